import express, { NextFunction, Request, Response } from "express";
import { Pool } from "pg";

const app = express();
const pool = new Pool();

app.locals.stats = { requests: 0, errors: 0, slowest: 0 };
app.locals.exportedAt = 0;

async function pushMetric(name: string, value: number): Promise<void> {
  await fetch(`${process.env.METRICS_URL}/push`, {
    method: "POST",
    body: JSON.stringify({ name, value, at: Date.now() }),
  });
}

let exporting = false;

async function exportStats(): Promise<void> {
  if (exporting) {
    return;
  }
  exporting = true;
  try {
    const snapshot = { ...app.locals.stats };
    await pool.query("insert into stats_snapshots (payload) values ($1)", [snapshot]);
    app.locals.exportedAt = Date.now();
  } finally {
    exporting = false;
  }
}

app.use((req: Request, res: Response, next: NextFunction) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    app.locals.stats.requests++;
    if (res.statusCode >= 500) app.locals.stats.errors++;
    if (ms > app.locals.stats.slowest) app.locals.stats.slowest = ms;
  });
  next();
});

app.get("/orders/:id", async (req: Request, res: Response) => {
  const { rows } = await pool.query("select * from orders where id = $1", [req.params.id]);
  pushMetric("orders.read", 1);
  res.json(rows[0] ?? null);
});

app.post("/orders/:id/cancel", async (req: Request, res: Response) => {
  const cancelledBefore: number = app.locals.cancelled ?? 0;
  await pool.query("update orders set status = 'cancelled' where id = $1", [req.params.id]);
  app.locals.cancelled = cancelledBefore + 1;
  void pushMetric("orders.cancelled", 1);
  res.sendStatus(204);
});

app.post("/admin/export", async (_req: Request, res: Response) => {
  await exportStats();
  res.json({ exportedAt: app.locals.exportedAt });
});

app.post("/admin/export/async", (_req: Request, res: Response) => {
  exportStats();
  res.status(202).json({ queued: true });
});

app.get("/metrics", (_req: Request, res: Response) => {
  res.json(app.locals.stats);
});

setInterval(() => {
  void exportStats();
}, 60_000);

app.listen(3000);

import express, { Request, Response } from "express";
import { Pool } from "pg";
import pLimit from "p-limit";

const router = express.Router();

const analyticsPool = new Pool({ connectionString: process.env.ANALYTICS_URL, max: 5 });
const limit = pLimit(4);

const MAX_CSV_EXPORTS = 3;
let activeCsvExports = 0;
let activePdfExports = 0;

type Row = { day: string; revenue: number };

async function revenueFor(pool: Pool, storeId: string): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    "select day::text, sum(amount) as revenue from sales where store_id = $1 group by day order by day",
    [storeId],
  );
  return rows;
}

router.post("/reports/revenue", async (req: Request, res: Response) => {
  const storeIds: string[] = req.body.storeIds ?? [];
  const results = await Promise.all(storeIds.map((id) => revenueFor(analyticsPool, id)));
  res.json(Object.fromEntries(storeIds.map((id, i) => [id, results[i]])));
});

router.post("/reports/revenue/limited", async (req: Request, res: Response) => {
  const storeIds: string[] = req.body.storeIds ?? [];
  const results = await Promise.all(storeIds.map((id) => limit(() => revenueFor(analyticsPool, id))));
  res.json(Object.fromEntries(storeIds.map((id, i) => [id, results[i]])));
});

router.get("/reports/tenant/:tenant", async (req: Request, res: Response) => {
  const pool = new Pool({ connectionString: `${process.env.TENANT_DB_PREFIX}/${req.params.tenant}` });
  try {
    const [summary, refunds] = await Promise.all([
      pool.query("select count(*)::int as orders, sum(total) as revenue from orders"),
      pool.query("select count(*)::int as refunds from refunds"),
    ]);
    res.json({ ...summary.rows[0], ...refunds.rows[0] });
  } finally {
    await pool.end();
  }
});

router.get("/reports/store/:id", async (req: Request, res: Response) => {
  const client = await analyticsPool.connect();
  try {
    await client.query("begin read only");
    const rows = await revenueFor(analyticsPool, req.params.id);
    const { rows: top } = await client.query("select sku, count(*) from sales where store_id = $1 group by sku limit 10", [
      req.params.id,
    ]);
    await client.query("commit");
    res.json({ rows, top });
  } finally {
    client.release();
  }
});

router.post("/reports/export", async (req: Request, res: Response) => {
  const emails: string[] = req.body.recipients;
  const report = await revenueFor(analyticsPool, req.body.storeId);
  const sends: Promise<globalThis.Response>[] = [];
  for (const email of emails) {
    sends.push(
      fetch("https://mail.internal/send", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to: email, report }),
      }),
    );
  }
  await Promise.all(sends);
  res.json({ sent: emails.length });
});

router.post("/reports/csv", async (req: Request, res: Response) => {
  if (activeCsvExports >= MAX_CSV_EXPORTS) {
    return res.status(429).json({ error: "too many exports running" });
  }
  const { rows } = await analyticsPool.query("insert into exports (store_id, kind) values ($1, 'csv') returning id", [
    req.body.storeId,
  ]);
  activeCsvExports++;
  try {
    const data = await revenueFor(analyticsPool, req.body.storeId);
    res.type("text/csv").send(data.map((r) => `${r.day},${r.revenue}`).join("\n"));
  } finally {
    activeCsvExports--;
    await analyticsPool.query("update exports set finished_at = now() where id = $1", [rows[0].id]);
  }
});

router.post("/reports/pdf", async (req: Request, res: Response) => {
  if (activePdfExports >= MAX_CSV_EXPORTS) {
    return res.status(429).json({ error: "too many exports running" });
  }
  activePdfExports++;
  try {
    const data = await revenueFor(analyticsPool, req.body.storeId);
    res.json({ pages: Math.ceil(data.length / 40), data });
  } finally {
    activePdfExports--;
  }
});

export default router;

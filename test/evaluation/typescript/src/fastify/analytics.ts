import Fastify, { FastifyReply, FastifyRequest } from "fastify";
import { writeFile } from "node:fs/promises";
import { Pool } from "pg";

const app = Fastify();
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

type PageView = { path: string; referrer: string | null; at: number };

const buffer: PageView[] = [];
let flushedTotal = 0;

async function track(event: string, props: Record<string, unknown>): Promise<void> {
  await pool.query("insert into events (name, props) values ($1, $2)", [event, props]);
}

async function flush(): Promise<number> {
  const batch = buffer.splice(0, buffer.length);
  if (batch.length === 0) return 0;
  await pool.query("insert into page_views (path, referrer, at) select * from unnest($1::text[], $2::text[], $3::bigint[])", [
    batch.map((b) => b.path),
    batch.map((b) => b.referrer),
    batch.map((b) => b.at),
  ]);
  return batch.length;
}

app.addHook("onResponse", async (request: FastifyRequest, reply: FastifyReply) => {
  if (reply.statusCode >= 500) {
    track("server_error", { url: request.url, status: reply.statusCode });
  }
});

app.route({
  method: "POST",
  url: "/collect",
  handler: async (request, reply) => {
    const view = request.body as PageView;
    buffer.push({ ...view, at: Date.now() });
    if (buffer.length >= 500) {
      flushedTotal += await flush();
    }
    return reply.code(204).send();
  },
});

app.route({
  method: "POST",
  url: "/collect/flush",
  handler: async () => {
    const n = await flush();
    flushedTotal = flushedTotal + n;
    return { flushed: n, total: flushedTotal };
  },
});

app.post("/collect/signup", async (request) => {
  const { email } = request.body as { email: string };
  track("signup", { email }).catch((err) => request.log.warn(err, "tracking failed"));
  void track("signup_funnel", { step: 3 });
  return { ok: true };
});

app.post("/collect/export", async () => {
  const counting = pool.query<{ n: number }>("select count(*)::int as n from page_views");
  const rows = await pool.query("select * from page_views order by at desc limit 10000");
  writeFile(`/tmp/page-views-${Date.now()}.json`, JSON.stringify(rows.rows));
  return { exported: rows.rowCount, total: (await counting).rows[0].n };
});

app.get("/collect/recent", async () => {
  return pool.query("select path, count(*) from page_views group by path order by 2 desc limit 20").then((r) => r.rows);
});

const timer = setInterval(() => {
  flush().catch((err) => app.log.error(err));
}, 10_000);
app.addHook("onClose", async () => {
  clearInterval(timer);
  await flush();
  await pool.end();
});

app.listen({ port: 3002 });

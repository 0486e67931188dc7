import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import Redis from "ioredis";
import { Pool } from "pg";
import { chargeCard, refundCharge } from "./psp";

const app = new Hono();
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const redis = new Redis(process.env.REDIS_URL!);

type ChargeResult = { chargeId: string; amount: number };

const idempotency = new Map<string, ChargeResult>();
const refunded = new Set<string>();

async function recordCharge(result: ChargeResult, customerId: string): Promise<void> {
  await pool.query("insert into charges (id, customer_id, amount) values ($1, $2, $3)", [
    result.chargeId,
    customerId,
    result.amount,
  ]);
}

app.post("/charges", async (c) => {
  const key = c.req.header("idempotency-key");
  if (!key) throw new HTTPException(400, { message: "idempotency-key required" });
  const { customerId, amount, token } = await c.req.json<{ customerId: string; amount: number; token: string }>();
  const existing = idempotency.get(key);
  if (existing) {
    return c.json(existing);
  }
  const result = await chargeCard(token, amount);
  idempotency.set(key, result);
  recordCharge(result, customerId);
  return c.json(result, 201);
});

app.post("/v2/charges", async (c) => {
  const key = c.req.header("idempotency-key");
  if (!key) throw new HTTPException(400, { message: "idempotency-key required" });
  const { customerId, amount, token } = await c.req.json<{ customerId: string; amount: number; token: string }>();
  const claimed = await redis.set(`idem:${key}`, "pending", "EX", 86_400, "NX");
  if (claimed !== "OK") {
    const stored = await redis.get(`idem:${key}`);
    return c.json(stored === "pending" ? { status: "processing" } : JSON.parse(stored!), 409);
  }
  const result = await chargeCard(token, amount);
  await redis.set(`idem:${key}`, JSON.stringify(result), "EX", 86_400);
  await recordCharge(result, customerId);
  return c.json(result, 201);
});

app.post("/charges/:id/refund", async (c) => {
  const chargeId = c.req.param("id");
  if (refunded.has(chargeId)) {
    return c.json({ status: "already refunded" });
  }
  refunded.add(chargeId);
  try {
    await refundCharge(chargeId);
  } catch (err) {
    refunded.delete(chargeId);
    throw err;
  }
  await pool.query("update charges set refunded_at = now() where id = $1", [chargeId]);
  return c.json({ status: "refunded" });
});

export default app;

import express from "express";
import { Mutex } from "async-mutex";
import { Pool } from "pg";

const app = express();
app.use(express.json());

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

// Balances are cached in memory and written through to Postgres.
const balances = new Map<string, number>();
const walletLock = new Mutex();

async function ledger(userId: string, delta: number, reason: string): Promise<void> {
  await pool.query("insert into ledger (user_id, delta, reason) values ($1, $2, $3)", [userId, delta, reason]);
}

app.post("/wallets/:userId/withdraw", async (req, res) => {
  const userId = req.params.userId;
  const amount = Number(req.body.amount);
  const available = balances.get(userId) ?? 0;
  if (available < amount) {
    return res.status(402).json({ error: "insufficient funds" });
  }
  await ledger(userId, -amount, "withdraw");
  balances.set(userId, (balances.get(userId) ?? 0) - amount);
  res.json({ balance: balances.get(userId) });
});

app.post("/wallets/:userId/deposit", async (req, res) => {
  const userId = req.params.userId;
  const amount = Number(req.body.amount);
  await ledger(userId, amount, "deposit");
  balances.set(userId, (balances.get(userId) ?? 0) + amount);
  res.json({ balance: balances.get(userId) });
});

app.post("/wallets/transfer", async (req, res) => {
  const { from, to, amount } = req.body as { from: string; to: string; amount: number };
  const result = await walletLock.runExclusive(async () => {
    const fromBalance = balances.get(from) ?? 0;
    if (fromBalance < amount) {
      return { ok: false as const };
    }
    const toBalance = balances.get(to) ?? 0;
    await ledger(from, -amount, `transfer:${to}`);
    await ledger(to, amount, `transfer:${from}`);
    balances.set(from, fromBalance - amount);
    balances.set(to, toBalance + amount);
    return { ok: true as const };
  });
  if (!result.ok) {
    return res.status(402).json({ error: "insufficient funds" });
  }
  res.json({ from: balances.get(from), to: balances.get(to) });
});

app.post("/wallets/:userId/refund", async (req, res) => {
  const userId = req.params.userId;
  const release = await walletLock.acquire();
  try {
    const before = balances.get(userId) ?? 0;
    const { rows } = await pool.query("select amount from refunds where id = $1", [req.body.refundId]);
    balances.set(userId, before + Number(rows[0].amount));
  } finally {
    release();
  }
  res.json({ balance: balances.get(userId) });
});

app.post("/wallets/:userId/bonus", async (req, res) => {
  const userId = req.params.userId;
  const before = balances.get(userId) ?? 0;
  const { rows } = await pool.query("select bonus from promotions where code = $1", [req.body.code]);
  balances.set(userId, before + Number(rows[0]?.bonus ?? 0));
  res.json({ balance: balances.get(userId) });
});

app.listen(Number(process.env.PORT ?? 3000));

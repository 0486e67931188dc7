import { Router, type Request, type Response } from "express";
import { Pool } from "pg";
import { getExchangeRate } from "../lib/fx";
import { fetchCustomer, type Customer } from "../lib/customers";

const pool = new Pool();
const router = Router();

type Order = { id: string; customerId: string; total: number; currency: string; customer?: Customer };

const DEFAULTS = { currency: "EUR", pageSize: 25 };
const receiptFormat = { locale: "en-US", currency: "EUR" };

function renderReceipt(order: Order, fmt: { locale: string; currency: string }): string {
  const money = new Intl.NumberFormat(fmt.locale, { style: "currency", currency: fmt.currency });
  return `Order ${order.id}\nTotal: ${money.format(order.total)}\n`;
}

async function enrich(order: Order): Promise<Order> {
  order.customer = await fetchCustomer(order.customerId);
  return order;
}

async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 * i);
    }
  }
}

router.get("/customers/:id/summary", async (req: Request, res: Response) => {
  const currency = String(req.query.currency ?? DEFAULTS.currency);
  const summary = { orders: 0, total: 0, currency };
  const { rows } = await pool.query<Order>("select * from orders where customer_id = $1 limit $2", [
    req.params.id,
    DEFAULTS.pageSize,
  ]);
  for (const order of rows) {
    summary.orders += 1;
    summary.total = summary.total + order.total * (await getExchangeRate(order.currency, currency));
  }
  res.json(summary);
});

router.get("/orders/:id", async (req: Request, res: Response) => {
  let order: Order | undefined;
  let source = "primary";
  const { rows } = await pool.query<Order>("select * from orders where id = $1", [req.params.id]);
  order = rows[0];
  if (!order) {
    source = "archive";
    const archived = await pool.query<Order>("select * from orders_archive where id = $1", [req.params.id]);
    order = archived.rows[0];
  }
  if (!order) return res.sendStatus(404);
  res.json({ source, order: await enrich(order) });
});

router.get("/orders/:id/total", async (req: Request, res: Response) => {
  let total = 0;
  const { rows } = await pool.query<{ amount: number; currency: string }>("select amount, currency from order_lines where order_id = $1", [
    req.params.id,
  ]);
  for (const line of rows) {
    total += line.amount * (await withRetry(() => getExchangeRate(line.currency, "EUR")));
  }
  res.json({ total });
});

router.post("/orders/:id/resend", async (req: Request, res: Response) => {
  const { rows } = await pool.query<Order>("select * from orders where id = $1", [req.params.id]);
  if (!rows[0]) {
    return res.sendStatus(404);
  }
  await withRetry(() => pool.query("select pg_notify('order_resend', $1)", [req.params.id]));
  res.sendStatus(202);
});

router.get("/orders/:id/receipt", async (req: Request, res: Response) => {
  const { rows } = await pool.query<Order>("select * from orders where id = $1", [req.params.id]);
  if (!rows[0]) return res.sendStatus(404);
  const previousLocale = receiptFormat.locale;
  receiptFormat.locale = String(req.query.locale ?? previousLocale);
  const text = renderReceipt(rows[0], receiptFormat);
  receiptFormat.locale = previousLocale;
  res.type("text/plain").send(text);
});

export default router;

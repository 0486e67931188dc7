import express, { NextFunction, Request, Response } from "express";
import { Pool } from "pg";
import { priceFor } from "../lib/pricing";
import { findCustomer } from "../lib/customers";

interface CartLine {
  sku: string;
  qty: number;
  unitPrice: number;
}

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const carts = new Map<string, CartLine[]>();
const cartTouchedAt = new Map<string, number>();

export const cartRouter = express.Router();

export async function loadCustomer(req: Request, res: Response, next: NextFunction) {
  const customerId = req.header("x-customer-id");
  if (!customerId) {
    return next();
  }
  res.locals.customer = await findCustomer(customerId);
  next();
}

cartRouter.use(loadCustomer);

cartRouter.post("/carts/:id/items", async (req: Request, res: Response) => {
  const { sku, qty } = req.body as { sku: string; qty: number };
  const lines = carts.get(req.params.id) ?? [];
  const unitPrice = await priceFor(sku);
  carts.set(req.params.id, [...lines, { sku, qty, unitPrice }]);
  cartTouchedAt.set(req.params.id, Date.now());
  res.status(201).json({ items: lines.length + 1 });
});

cartRouter.delete("/carts/:id/items/:sku", async (req: Request, res: Response) => {
  await pool.query(
    "insert into cart_events (cart_id, kind, sku) values ($1, 'remove', $2)",
    [req.params.id, req.params.sku],
  );
  const lines = carts.get(req.params.id) ?? [];
  carts.set(req.params.id, lines.filter((l) => l.sku !== req.params.sku));
  res.sendStatus(204);
});

cartRouter.get("/carts/:id", async (req: Request, res: Response) => {
  const lines = carts.get(req.params.id) ?? [];
  const skus = lines.map((l) => l.sku);
  const { rows } = await pool.query("select sku, name from products where sku = any($1)", [skus]);
  const names = new Map<string, string>(rows.map((r: { sku: string; name: string }) => [r.sku, r.name]));
  res.json({
    customer: res.locals.customer ?? null,
    lines: lines.map((l) => ({ ...l, name: names.get(l.sku) ?? l.sku })),
  });
});

cartRouter.put("/carts/:id/items/:sku", async (req: Request, res: Response) => {
  const qty = Number(req.body.qty);
  const lines = carts.get(req.params.id) ?? [];
  const updated = lines.map((l) => (l.sku === req.params.sku ? { ...l, qty } : l));
  carts.set(req.params.id, updated);
  await pool.query("update cart_snapshots set payload = $2 where cart_id = $1", [
    req.params.id,
    JSON.stringify(updated),
  ]);
  res.json({ lines: updated });
});

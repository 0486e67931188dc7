import { Mutex } from 'async-mutex';
import { Router } from 'express';
import { createOrder, findProduct } from '../db.js';

export const cart = Router();

/** Carts by id: kept in this process's memory. */
const carts = new Map<string, Map<number, number>>(); // expect: IL103
const cartsMutex = new Mutex();

// Add to cart: the quantity is read, the stock check awaits the database, and the sum is written
// back from the stale read. Two adds of the same product at once: one is lost.
cart.post('/:cartId/items', async (req, res) => {
  const { productId, quantity } = req.body as { productId: number; quantity: number };
  const lines = carts.get(req.params.cartId) ?? new Map<number, number>();
  const current = lines.get(productId) ?? 0;
  const product = await findProduct(productId);
  if (!product || product.stock < current + quantity) {
    res.status(409).json({ error: 'not enough stock' });
    return;
  }
  carts.set(req.params.cartId, new Map(lines).set(productId, current + quantity)); // expect: IL101
  res.sendStatus(204);
});

// The same, with the read, the await and the write under one mutex.
cart.post('/:cartId/items-locked', async (req, res) => {
  const { productId, quantity } = req.body as { productId: number; quantity: number };
  await cartsMutex.runExclusive(async () => {
    const lines = carts.get(req.params.cartId) ?? new Map<number, number>();
    const current = lines.get(productId) ?? 0;
    const product = await findProduct(productId);
    if (product && product.stock >= current + quantity) carts.set(req.params.cartId, new Map(lines).set(productId, current + quantity));
  });
  res.sendStatus(204);
});

// Checkout: the cart is tested, the order is created with an await, then the cart is removed.
// A double click passes the test twice and creates two orders from one cart.
cart.post('/:cartId/checkout', async (req, res) => {
  const lines = carts.get(req.params.cartId);
  if (!lines || lines.size === 0) {
    res.status(404).end();
    return;
  }
  const orderId = await createOrder(req.params.cartId, lines);
  carts.delete(req.params.cartId); // expect: IL104
  res.status(201).json({ orderId });
});

// The same, claiming the cart before the await: the second click finds it gone.
cart.post('/:cartId/checkout-claimed', async (req, res) => {
  const lines = carts.get(req.params.cartId);
  if (!lines || lines.size === 0) {
    res.status(404).end();
    return;
  }
  carts.delete(req.params.cartId);
  try {
    res.status(201).json({ orderId: await createOrder(req.params.cartId, lines) });
  } catch (error) {
    carts.set(req.params.cartId, lines);
    throw error;
  }
});

// Reading after the await: nothing stale is written.
cart.patch('/:cartId/items/:productId', async (req, res) => {
  const product = await findProduct(Number(req.params.productId));
  const lines = carts.get(req.params.cartId);
  if (product && lines) lines.set(product.id, Math.min(Number(req.body.quantity), product.stock));
  res.sendStatus(204);
});

import { Router } from 'express';
import pLimit from 'p-limit';
import pg from 'pg';
import { settings } from '../config.js';
import { pool } from '../db.js';
import { renderInvoice, renderInvoiceAsync } from '../services/invoices.js';
import { sendReceipt } from '../services/mailer.js';
import { charge, refund } from '../services/payments.js';

export const orders = Router();
/** At most five receipts are being sent at once, across every request this process serves. */
const receiptSends = pLimit(5);

interface Order {
  id: number;
  email: string;
  totalCents: number;
  chargeId: string | null;
}

async function loadOrder(id: number): Promise<Order> {
  const { rows } = await pool.query<Order>('select id, email, total_cents as "totalCents", charge_id as "chargeId" from orders where id = $1', [id]);
  return rows[0]!;
}

// The receipt is sent without awaiting: the response goes out first, and a failing mail server
// becomes an unhandled rejection that ends the process.
orders.post('/:id/pay', async (req, res) => {
  const order = await loadOrder(Number(req.params.id));
  const chargeId = await charge(order.email, order.totalCents);
  await pool.query('update orders set charge_id = $1 where id = $2', [chargeId, order.id]);
  sendReceipt(order.email, order.id); // expect: IL403
  res.json({ chargeId });
});

// Refunds send their mail in the background on purpose, and say what happens if it fails.
orders.post('/:id/refund', async (req, res) => {
  const order = await loadOrder(Number(req.params.id));
  if (order.chargeId) await refund(order.chargeId);
  void sendReceipt(order.email, order.id).catch((error) => console.error('refund mail failed', error));
  res.sendStatus(204);
});

// Support resends receipts for a list of orders; the list comes from the request, and every order
// becomes a query and a mail at the same moment: 300 ids take the whole pool and flood the SMTP server.
orders.post('/receipts/resend', async (req, res) => {
  const ids: number[] = req.body.orderIds;
  await Promise.all( // expect: IL406
    ids.map(async (id) => {
      const order = await loadOrder(id);
      await sendReceipt(order.email, order.id);
    }),
  );
  res.sendStatus(204);
});

orders.post('/receipts/resend-limited', async (req, res) => {
  const ids: number[] = req.body.orderIds;
  await Promise.all(
    ids.map((id) =>
      receiptSends(async () => {
        const order = await loadOrder(id);
        await sendReceipt(order.email, order.id);
      }),
    ),
  );
  res.sendStatus(204);
});

// The invoice is rendered by a sync helper that reads the order's archived line items from disk.
orders.get('/:id/invoice', async (req, res) => {
  const order = await loadOrder(Number(req.params.id));
  res.type('html').send(renderInvoice(order.id, order.totalCents)); // expect: IL202
});

orders.get('/:id/invoice-async', async (req, res) => {
  const order = await loadOrder(Number(req.params.id));
  res.type('html').send(await renderInvoiceAsync(order.id, order.totalCents));
});

// A reporting query gets a pool of its own, built and torn down for every request.
orders.get('/report', async (req, res) => {
  const reporting = new pg.Pool({ connectionString: settings.databaseUrl }); // expect: IL302
  try {
    const { rows } = await reporting.query('select date_trunc($1, created_at) as day, count(*) from orders group by 1', ['day']);
    res.json(rows);
  } finally {
    await reporting.end();
  }
});

orders.get('/report-shared', async (req, res) => {
  const { rows } = await pool.query('select date_trunc($1, created_at) as day, count(*) from orders group by 1', ['day']);
  res.json(rows);
});

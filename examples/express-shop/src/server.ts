import express from 'express';
import { settings } from './config.js';
import { pool, redis } from './db.js';
import { account } from './routes/account.js';
import { admin } from './routes/admin.js';
import { cart } from './routes/cart.js';
import { catalog } from './routes/catalog.js';
import { orders } from './routes/orders.js';

const app = express();
app.use(express.json());
app.use('/account', account);
app.use('/admin', admin);
app.use('/cart', cart);
app.use('/catalog', catalog);
app.use('/orders', orders);

// Abandoned carts are swept every minute; a failed sweep rejects with nobody listening.
setInterval(async () => { // expect: IL401
  await pool.query("delete from carts where updated_at < now() - interval '1 day'");
}, 60_000);

// Sessions are pruned the same way, handling their own failures.
setInterval(async () => {
  try {
    await redis.eval("return redis.call('DEL', unpack(redis.call('KEYS', 'session:expired:*')))", 0);
  } catch (error) {
    console.error('pruning sessions failed', error);
  }
}, 60_000);

const server = app.listen(settings.port);

// On SIGTERM, stop accepting connections, let in-flight requests finish, then close the pool.
process.on('SIGTERM', () => {
  server.close(async () => {
    await pool.end();
  });
});

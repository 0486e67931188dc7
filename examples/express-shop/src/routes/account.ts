import bcrypt from 'bcrypt';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { pool, redis } from '../db.js';

export const account = Router();

interface Credentials {
  email: string;
  password: string;
}

async function storedHash(email: string): Promise<string> {
  const { rows } = await pool.query<{ hash: string }>('select password_hash as hash from customers where email = $1', [email]);
  return rows[0]?.hash ?? '$2b$12$invalidinvalidinvalidinvalidinvalidinvalidinvalidinval';
}

// Checking a password synchronously: bcrypt's cost factor is spent on the event loop.
account.post('/login', async (req, res) => {
  const { email, password } = req.body as Credentials;
  const ok = bcrypt.compareSync(password, await storedHash(email)); // expect: IL203
  if (!ok) {
    res.sendStatus(401);
    return;
  }
  const token = randomUUID();
  await redis.set(`session:${token}`, email, 'EX', 3600);
  res.json({ token });
});

// The same check in libuv's threadpool.
account.post('/login-async', async (req, res) => {
  const { email, password } = req.body as Credentials;
  if (!(await bcrypt.compare(password, await storedHash(email)))) {
    res.sendStatus(401);
    return;
  }
  const token = randomUUID();
  await redis.set(`session:${token}`, email, 'EX', 3600);
  res.json({ token });
});

account.post('/register', async (req, res) => {
  const { email, password } = req.body as Credentials;
  const hash = await bcrypt.hash(password, 12);
  await pool.query('insert into customers (email, password_hash) values ($1, $2)', [email, hash]);
  res.sendStatus(201);
});

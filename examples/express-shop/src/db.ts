import Redis from 'ioredis';
import pg from 'pg';
import { settings } from './config.js';

/** One pool for the process; server.ts closes it on SIGTERM. */
export const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 10 });

/** Sessions and rate limits live here, shared by every process. Nothing ever quits it. */
export const redis = new Redis(settings.redisUrl); // expect: IL301

export interface Product {
  id: number;
  name: string;
  priceCents: number;
  stock: number;
}

export async function findProduct(id: number): Promise<Product | undefined> {
  const { rows } = await pool.query<Product>('select id, name, price_cents as "priceCents", stock from products where id = $1', [id]);
  return rows[0];
}

export async function createOrder(customer: string, lines: Map<number, number>): Promise<number> {
  const { rows } = await pool.query<{ id: number }>('insert into orders (customer, lines) values ($1, $2) returning id', [customer, JSON.stringify([...lines])]);
  return rows[0]!.id;
}

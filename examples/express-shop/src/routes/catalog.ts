import { Router } from 'express';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { findProduct, redis } from '../db.js';

export const catalog = Router();

/** Categories: read once at startup, never changed. */
const categories = JSON.parse(readFileSync('data/categories.json', 'utf8')) as string[];
/** Product pages already rendered: a cache, which may be cold in one process and warm in another. */
const pageCache = new Map<number, string>();
/** Searches per client, for rate limiting: every process counts its own share. */
const searchHits = new Map<string, number>(); // expect: IL103

catalog.get('/categories', (req, res) => {
  res.json(categories);
});

// Recommendations are read from disk synchronously on every request.
catalog.get('/recommendations', (req, res) => {
  const picks = readFileSync(`data/recommendations-${req.query.segment}.json`, 'utf8'); // expect: IL201
  res.type('json').send(picks);
});

// The same, without holding the event loop.
catalog.get('/bestsellers', async (req, res) => {
  const picks = await readFile('data/bestsellers.json', 'utf8');
  res.type('json').send(picks);
});

catalog.get('/products/:id', async (req, res) => {
  const id = Number(req.params.id);
  if (!pageCache.has(id)) {
    const product = await findProduct(id);
    pageCache.set(id, `<h1>${product?.name ?? 'Unknown'}</h1>`);
  }
  res.send(pageCache.get(id));
});

// A rate limit kept in process memory: four processes let four times the traffic through.
catalog.get('/search', (req, res) => {
  const hits = (searchHits.get(req.ip ?? '') ?? 0) + 1;
  searchHits.set(req.ip ?? '', hits);
  if (hits > 100) {
    res.sendStatus(429);
    return;
  }
  res.json([]);
});

// The same limit in Redis, shared by every process.
catalog.get('/search-shared', async (req, res) => {
  const hits = await redis.incr(`search:${req.ip}`);
  if (hits === 1) await redis.expire(`search:${req.ip}`, 60);
  res.status(hits > 100 ? 429 : 200).json([]);
});

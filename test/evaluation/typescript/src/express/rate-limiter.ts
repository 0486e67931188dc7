import type { NextFunction, Request, Response } from "express";
import Redis from "ioredis";
import { recordAudit } from "../lib/audit";

const WINDOW_MS = 60_000;
const LIMIT = Number(process.env.RATE_LIMIT ?? 120);

type Bucket = { count: number; resetAt: number };

const buckets = new Map<string, Bucket>();
let blockedTotal = 0;
let lastBlockedIp: string | null = null;

const redis = new Redis(process.env.REDIS_URL ?? "redis://localhost:6379");

// In-process limiter for the public API.
export async function rateLimit(req: Request, res: Response, next: NextFunction) {
  const ip = req.ip ?? "unknown";
  const now = Date.now();
  const bucket = buckets.get(ip);
  const current = bucket && bucket.resetAt > now ? bucket.count : 0;

  await recordAudit("request", { ip, path: req.path });

  buckets.set(ip, { count: current + 1, resetAt: bucket?.resetAt ?? now + WINDOW_MS });

  if (current + 1 > LIMIT) {
    blockedTotal++;
    lastBlockedIp = ip;
    res.status(429).json({ error: "rate limited" });
    return;
  }
  next();
}

// Shared limiter for login attempts: the counter lives in Redis.
export async function loginLimit(req: Request, res: Response, next: NextFunction) {
  const key = `login:${req.ip}`;
  const attempts = await redis.incr(key);
  if (attempts === 1) {
    await redis.pexpire(key, WINDOW_MS);
  }
  if (attempts > 10) {
    await recordAudit("login-blocked", { ip: req.ip });
    blockedTotal++;
    res.status(429).send("too many attempts");
    return;
  }
  next();
}

export function limiterStats(_req: Request, res: Response) {
  res.json({ blockedTotal, lastBlockedIp, tracked: buckets.size });
}

export function resetLimiter(req: Request, res: Response) {
  const ip = String(req.query.ip ?? "");
  const bucket = buckets.get(ip);
  if (bucket) {
    buckets.set(ip, { ...bucket, count: 0 });
  }
  res.sendStatus(204);
}

import Koa from "koa";
import Router from "@koa/router";

const UPSTREAM = process.env.UPSTREAM_URL ?? "https://api.example.com";
const TTL_MS = 30_000;

/** @type {Map<string, { body: string, etag: string | null, storedAt: number, hits: number }>} */
const cache = new Map();
/** @type {Map<string, Promise<string>>} */
const inflight = new Map();

async function fetchUpstream(path) {
  const res = await fetch(`${UPSTREAM}${path}`, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`upstream ${res.status}`);
  return res.text();
}

function singleFlight(path) {
  let pending = inflight.get(path);
  if (!pending) {
    pending = fetchUpstream(path).finally(() => inflight.delete(path));
    inflight.set(path, pending);
  }
  return pending;
}

const router = new Router();

router.get("/proxy/:path(.*)", async (ctx) => {
  const path = `/${ctx.params.path}`;
  const entry = cache.get(path);
  if (entry && Date.now() - entry.storedAt < TTL_MS) {
    cache.set(path, { ...entry, hits: entry.hits + 1 });
    ctx.body = entry.body;
    return;
  }
  const body = await singleFlight(path);
  cache.set(path, { body, etag: null, storedAt: Date.now(), hits: 0 });
  ctx.type = "application/json";
  ctx.body = body;
});

router.get("/proxy-revalidate/:path(.*)", async (ctx) => {
  const path = `/${ctx.params.path}`;
  const entry = cache.get(path);
  if (!entry) {
    ctx.status = 404;
    return;
  }
  const res = await fetch(`${UPSTREAM}${path}`, { headers: entry.etag ? { "if-none-match": entry.etag } : {} });
  if (res.status === 304) {
    cache.set(path, { ...entry, storedAt: Date.now(), hits: entry.hits + 1 });
    ctx.status = 204;
    return;
  }
  const body = await res.text();
  cache.set(path, { body, etag: res.headers.get("etag"), storedAt: Date.now(), hits: 0 });
  ctx.status = 200;
});

router.delete("/proxy/:path(.*)", (ctx) => {
  cache.delete(`/${ctx.params.path}`);
  ctx.status = 204;
});

const app = new Koa();
app.use(router.routes());
app.listen(8080);

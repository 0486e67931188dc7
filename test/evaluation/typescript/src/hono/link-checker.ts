import { Hono } from "hono";
import { serve } from "@hono/node-server";
import pLimit from "p-limit";
import { lookupAccount, type Account } from "./accounts";

type Env = { Variables: { account: Account } };

const app = new Hono<Env>();

let linksChecked = 0;
let brokenFound = 0;
const recentRuns: { at: number; urls: number }[] = [];
const hostLimit = pLimit(8);

async function check(url: string): Promise<{ url: string; ok: boolean; status: number }> {
  try {
    const res = await fetch(url, { method: "HEAD", redirect: "follow" });
    return { url, ok: res.ok, status: res.status };
  } catch {
    return { url, ok: false, status: 0 };
  }
}

async function countBroken(results: { ok: boolean }[]): Promise<number> {
  return results.filter((r) => !r.ok).length;
}

app.use("/api/*", async (c, next) => {
  const key = c.req.header("x-api-key");
  if (!key) return c.json({ error: "missing key" }, 401);
  c.set("account", await lookupAccount(key));
  await next();
});

app.post("/api/check", async (c) => {
  const { urls } = await c.req.json<{ urls: string[] }>();
  const results = await Promise.all(urls.map((u) => check(u)));
  linksChecked += results.length;
  brokenFound += await countBroken(results);
  recentRuns.push({ at: Date.now(), urls: urls.length });
  return c.json({ results });
});

app.post("/api/check/polite", async (c) => {
  const { urls } = await c.req.json<{ urls: string[] }>();
  const results = await Promise.all(urls.map((u) => hostLimit(() => check(u))));
  linksChecked += results.length;
  return c.json({ results, account: c.get("account").id });
});

app.get("/api/status", async (c) => {
  const [docs, status] = await Promise.all([check("https://docs.example.com"), check("https://status.example.com")]);
  return c.json({ docs, status, linksChecked, brokenFound, runs: recentRuns.length });
});

app.post("/api/check/sitemap", async (c) => {
  const { sitemap } = await c.req.json<{ sitemap: string }>();
  const xml = await (await fetch(sitemap)).text();
  const urls = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  const pending: Promise<{ url: string; ok: boolean; status: number }>[] = [];
  for (const url of urls) {
    pending.push(check(url));
  }
  const results = await Promise.all(pending);
  return c.json({ checked: results.length, broken: results.filter((r) => !r.ok) });
});

serve({ fetch: app.fetch, port: 8787 });

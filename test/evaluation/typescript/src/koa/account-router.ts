import Router from "@koa/router";
import type { Context } from "koa";
import Redis from "ioredis";
import { Pool } from "pg";
import { sendMail } from "./mailer";

const pool = new Pool();
const redis = new Redis();

const presence = { online: 0, peak: 0, lastLogin: "" };
const loginFailures: Record<string, number> = {};

export const accountRouter = new Router({ prefix: "/account" });

accountRouter.post("/login", async (ctx: Context) => {
  const { email, password } = ctx.request.body as { email: string; password: string };
  const failures = loginFailures[email] ?? 0;
  const { rows } = await pool.query("select id, password_ok($2, hash) as ok from users where email = $1", [email, password]);
  if (!rows[0]?.ok) {
    loginFailures[email] = failures + 1;
    ctx.status = 401;
    return;
  }
  delete loginFailures[email];
  ctx.session!.userId = rows[0].id;
  ctx.session!.loginAt = Date.now();
  const online = presence.online;
  await redis.sadd("online", rows[0].id);
  presence.online = online + 1;
  presence.peak = Math.max(presence.peak, presence.online);
  presence.lastLogin = email;
  ctx.body = { ok: true };
});

accountRouter.post("/logout", async (ctx: Context) => {
  const userId = ctx.session?.userId;
  if (userId) {
    await redis.srem("online", userId);
    presence.online = await redis.scard("online");
  }
  ctx.session = null;
  ctx.status = 204;
});

accountRouter.get("/views", async (ctx: Context) => {
  const views = ctx.session!.views ?? 0;
  const { rows } = await pool.query("select count(*)::int as n from page_views where user_id = $1", [ctx.session!.userId]);
  ctx.session!.views = views + 1;
  ctx.body = { sessionViews: ctx.session!.views, totalViews: rows[0].n };
});

accountRouter.post("/invite", async (ctx: Context) => {
  const { emails } = ctx.request.body as { emails: string[] };
  const results = await Promise.allSettled(emails.map((to) => sendMail(to, "You're invited", "Join us")));
  ctx.body = { sent: results.filter((r) => r.status === "fulfilled").length };
});

accountRouter.post("/notify-admins", async (ctx: Context) => {
  const admins = ["ops@example.com", "security@example.com", "billing@example.com"];
  await Promise.all(admins.map((to) => sendMail(to, "Account event", JSON.stringify(ctx.request.body))));
  ctx.status = 202;
});

accountRouter.get("/cache-stats", async (ctx: Context) => {
  const local = new Redis(process.env.CACHE_REDIS_URL!);
  const info = await local.info("stats");
  local.disconnect();
  ctx.body = info;
});

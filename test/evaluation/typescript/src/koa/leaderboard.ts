import Koa from "koa";
import Router from "@koa/router";
import bodyParser from "koa-bodyparser";
import Database from "better-sqlite3";
import { fetchProfile } from "./profiles";

const db = new Database(process.env.SCORES_DB ?? "scores.db");
db.pragma("journal_mode = WAL");
db.exec("create table if not exists scores (player text primary key, score integer not null)");
const upsertScore = db.prepare("insert into scores (player, score) values (?, ?) on conflict(player) do update set score = excluded.score");
const topScores = db.prepare("select player, score from scores order by score desc limit ?");

const scores = new Map<string, number>();
for (const row of db.prepare("select player, score from scores").all() as { player: string; score: number }[]) {
  scores.set(row.player, row.score);
}

let topCache: { player: string; score: number }[] = [];
let topCacheAt = 0;

const router = new Router({ prefix: "/leaderboard" });

router.post("/:player/points", async (ctx) => {
  const player = ctx.params.player;
  const points = Number((ctx.request.body as { points: number }).points);
  const previous = scores.get(player) ?? 0;
  const profile = await fetchProfile(player);
  if (profile.banned) {
    ctx.status = 403;
    return;
  }
  const next = previous + points * profile.multiplier;
  scores.set(player, next);
  upsertScore.run(player, next);
  ctx.body = { player, score: next };
});

router.post("/:player/bonus", async (ctx) => {
  const player = ctx.params.player;
  const profile = await fetchProfile(player);
  const score = (scores.get(player) ?? 0) + 100 * profile.multiplier;
  scores.set(player, score);
  ctx.body = { player, score };
});

router.get("/top", async (ctx) => {
  const limit = Math.min(Number(ctx.query.limit ?? 10), 100);
  if (Date.now() - topCacheAt > 5_000) {
    topCache = topScores.all(limit) as { player: string; score: number }[];
    topCacheAt = Date.now();
  }
  ctx.body = topCache;
});

router.get("/:player", (ctx) => {
  const row = db.prepare("select score from scores where player = ?").get(ctx.params.player) as
    | { score: number }
    | undefined;
  ctx.body = { player: ctx.params.player, score: row?.score ?? scores.get(ctx.params.player) ?? 0 };
});

const app = new Koa();
app.use(bodyParser());
app.use(router.routes()).use(router.allowedMethods());
app.listen(3000);

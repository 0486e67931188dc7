import Koa, { Context, Next } from "koa";
import bodyParser from "koa-bodyparser";
import { verifyToken, loadUser, loadOrders, type User } from "./services";

const app = new Koa();

let inFlight = 0;
let served = 0;

// Error boundary
app.use(async (ctx: Context, next: Next) => {
  try {
    await next();
  } catch (err: any) {
    ctx.status = err.status ?? 500;
    ctx.body = { error: err.expose ? err.message : "internal error" };
    ctx.app.emit("error", err, ctx);
  }
});

// X-Response-Time
app.use(async (ctx: Context, next: Next) => {
  const start = Date.now();
  inFlight++;
  await next();
  inFlight--;
  served++;
  ctx.set("X-Response-Time", `${Date.now() - start}ms`);
});

app.use(bodyParser());

// Authentication
app.use(async (ctx: Context, next: Next) => {
  const header = ctx.get("authorization");
  if (header.startsWith("Bearer ")) {
    const claims = await verifyToken(header.slice(7));
    ctx.state.user = await loadUser(claims.sub);
    ctx.state.scopes = claims.scopes;
  }
  await next();
});

// Impersonation for support staff: swap the user for the rest of the chain, then restore it.
app.use(async (ctx: Context, next: Next) => {
  const target = ctx.get("x-impersonate");
  const current: User | undefined = ctx.state.user;
  if (!target || !current?.isSupport) {
    return next();
  }
  const original = ctx.state.user;
  ctx.state.user = await loadUser(target);
  ctx.state.impersonatedBy = original.id;
  try {
    await next();
  } finally {
    ctx.state.user = original;
  }
});

// Audit trail: fire-and-forget logging of mutating requests.
app.use(async (ctx: Context, next: Next) => {
  if (ctx.method !== "GET") {
    ctx.state.audit = { at: Date.now(), path: ctx.path };
  }
  next();
});

app.use(async (ctx: Context) => {
  if (ctx.path === "/me") {
    ctx.body = ctx.state.user ?? null;
    return;
  }
  if (ctx.path === "/orders") {
    ctx.body = await loadOrders(ctx.state.user.id);
    ctx.status = 200;
    return;
  }
  if (ctx.path === "/health") {
    ctx.body = { inFlight, served };
    return;
  }
  ctx.status = 404;
});

app.listen(Number(process.env.PORT ?? 3000));

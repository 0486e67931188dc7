import express, { Request, Response } from "express";
import session from "express-session";
import bcrypt from "bcrypt";
import crypto from "node:crypto";
import { promisify } from "node:util";
import { db } from "../lib/db";

declare module "express-session" {
  interface SessionData {
    userId: string;
    loginCount: number;
    lastLogin: number;
  }
}

const pbkdf2 = promisify(crypto.pbkdf2);
const app = express();
app.use(express.json());
app.use(session({ secret: process.env.SESSION_SECRET ?? "dev", resave: false, saveUninitialized: false }));

// Hash of the bootstrap admin password, computed once at startup.
const ADMIN_HASH = bcrypt.hashSync(process.env.ADMIN_PASSWORD ?? "change-me", 12);

app.post("/signup", async (req: Request, res: Response) => {
  const { email, password } = req.body;
  const hash = await bcrypt.hash(password, 12);
  const user = await db.users.insert({ email, hash });
  req.session.userId = user.id;
  res.status(201).json({ id: user.id });
});

app.post("/login", async (req: Request, res: Response) => {
  const { email, password } = req.body;
  const user = await db.users.findByEmail(email);
  if (!user || !bcrypt.compareSync(password, user.hash)) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  req.session.userId = user.id;
  req.session.loginCount = (req.session.loginCount ?? 0) + 1;
  req.session.lastLogin = Date.now();
  res.json({ ok: true });
});

app.post("/admin/login", (req: Request, res: Response) => {
  if (!bcrypt.compareSync(req.body.password, ADMIN_HASH)) {
    return res.sendStatus(401);
  }
  req.session.userId = "admin";
  res.sendStatus(204);
});

app.post("/password/reset", async (req: Request, res: Response) => {
  const user = await db.users.findByResetToken(req.body.token);
  if (!user) {
    return res.sendStatus(404);
  }
  const hash = bcrypt.hashSync(req.body.password, 12);
  await db.users.update(user.id, { hash });
  res.sendStatus(204);
});

app.post("/api-keys", async (req: Request, res: Response) => {
  const raw = crypto.randomBytes(32).toString("hex");
  const salt = crypto.randomBytes(16);
  const derived = crypto.pbkdf2Sync(raw, salt, 210_000, 32, "sha256");
  await db.apiKeys.insert({ userId: req.session.userId, salt: salt.toString("hex"), key: derived.toString("hex") });
  res.status(201).json({ key: raw });
});

app.post("/api-keys/verify", async (req: Request, res: Response) => {
  const record = await db.apiKeys.findByPrefix(String(req.body.key).slice(0, 8));
  if (!record) {
    return res.sendStatus(401);
  }
  const derived = await pbkdf2(req.body.key, Buffer.from(record.salt, "hex"), 210_000, 32, "sha256");
  res.json({ valid: crypto.timingSafeEqual(derived, Buffer.from(record.key, "hex")) });
});

export default app;

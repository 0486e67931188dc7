import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { Pool } from "pg";

type Session = { userId: string; createdAt: number; lastSeen: number };

const sessions = new Map<string, Session>();
const loginAttempts = new Map<string, number>();
const SESSION_TTL_MS = 30 * 60_000;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function startWorker() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://internal");

    if (req.method === "POST" && url.pathname === "/login") {
      const { email, password } = JSON.parse(await readBody(req));
      const attempts = loginAttempts.get(email) ?? 0;
      if (attempts >= 5) {
        res.writeHead(429).end();
        return;
      }
      const { rows } = await pool.query("select id from users where email = $1 and password_hash = crypt($2, password_hash)", [
        email,
        password,
      ]);
      if (rows.length === 0) {
        loginAttempts.set(email, attempts + 1);
        res.writeHead(401).end();
        return;
      }
      const sid = randomUUID();
      sessions.set(sid, { userId: rows[0].id, createdAt: Date.now(), lastSeen: Date.now() });
      res.writeHead(200, { "set-cookie": `sid=${sid}; HttpOnly; Path=/` }).end();
      return;
    }

    if (url.pathname === "/me") {
      const sid = /sid=([\w-]+)/.exec(req.headers.cookie ?? "")?.[1];
      const session = sid ? sessions.get(sid) : undefined;
      if (!session || Date.now() - session.lastSeen > SESSION_TTL_MS) {
        res.writeHead(401).end();
        return;
      }
      session.lastSeen = Date.now();
      const { rows } = await pool.query("select id, email from users where id = $1", [session.userId]);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(rows[0]));
      return;
    }

    res.writeHead(404).end();
  });

  server.listen(Number(process.env.PORT ?? 3000));
}

if (cluster.isPrimary) {
  const workers = Number(process.env.WEB_CONCURRENCY ?? availableParallelism());
  for (let i = 0; i < workers; i++) {
    cluster.fork();
  }
  cluster.on("exit", (worker) => {
    console.error(`worker ${worker.process.pid} died, restarting`);
    cluster.fork();
  });
} else {
  startWorker();
}

import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import express from "express";

type HashJob = { id: number; op: "hash"; password: string } | { id: number; op: "verify"; password: string; stored: string };

if (!isMainThread) {
  // Runs on a worker thread: synchronous work here does not block the HTTP event loop.
  parentPort!.on("message", (job: HashJob) => {
    if (job.op === "hash") {
      const salt = randomBytes(16);
      const key = pbkdf2Sync(job.password, salt, 600_000, 32, "sha256");
      parentPort!.postMessage({ id: job.id, result: `${salt.toString("hex")}:${key.toString("hex")}` });
    } else {
      const [saltHex, keyHex] = job.stored.split(":");
      const key = pbkdf2Sync(job.password, Buffer.from(saltHex, "hex"), 600_000, 32, "sha256");
      parentPort!.postMessage({ id: job.id, result: timingSafeEqual(key, Buffer.from(keyHex, "hex")) });
    }
  });
} else {
  const worker = new Worker(__filename);
  const waiting = new Map<number, (value: unknown) => void>();
  let nextId = 0;

  worker.on("message", (msg: { id: number; result: unknown }) => {
    waiting.get(msg.id)?.(msg.result);
    waiting.delete(msg.id);
  });

  const run = <T>(job: Omit<HashJob, "id"> & Record<string, unknown>): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (value: unknown) => void);
      worker.postMessage({ ...job, id });
    });

  const app = express();
  app.use(express.json());

  app.post("/hash", async (req, res) => {
    const hash = await run<string>({ op: "hash", password: req.body.password });
    res.json({ hash });
  });

  app.post("/verify", async (req, res) => {
    const ok = await run<boolean>({ op: "verify", password: req.body.password, stored: req.body.stored });
    res.json({ ok });
  });

  app.post("/verify-inline", async (req, res) => {
    const [saltHex, keyHex] = String(req.body.stored).split(":");
    const key = pbkdf2Sync(req.body.password, Buffer.from(saltHex, "hex"), 600_000, 32, "sha256");
    res.json({ ok: timingSafeEqual(key, Buffer.from(keyHex, "hex")) });
  });

  app.listen(4000);
}

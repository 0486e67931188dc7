import type { FastifyInstance } from "fastify";
import { Pool } from "pg";

type JobStatus = "queued" | "running" | "done" | "failed";
type Job = { id: number; kind: string; payload: unknown; status: JobStatus; error?: string };

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

let nextJobId = 1;
const jobs = new Map<number, Job>();
const queue: number[] = [];
let draining = false;

async function persist(job: Job): Promise<void> {
  await pool.query(
    "insert into jobs (id, kind, payload, status) values ($1, $2, $3, $4) on conflict (id) do update set status = excluded.status",
    [job.id, job.kind, JSON.stringify(job.payload), job.status],
  );
}

async function runJob(job: Job): Promise<void> {
  job.status = "running";
  try {
    await pool.query("select pg_notify('jobs', $1)", [JSON.stringify(job)]);
    job.status = "done";
  } catch (err) {
    job.status = "failed";
    job.error = String(err);
  }
  await persist(job);
}

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    while (queue.length > 0) {
      const id = queue.shift()!;
      const job = jobs.get(id);
      if (job) await runJob(job);
    }
  } finally {
    draining = false;
  }
}

export default async function jobRoutes(fastify: FastifyInstance) {
  fastify.post<{ Body: { kind: string; payload: unknown } }>("/jobs", async (request, reply) => {
    const id = nextJobId;
    const job: Job = { id, kind: request.body.kind, payload: request.body.payload, status: "queued" };
    await persist(job);
    nextJobId = id + 1;
    jobs.set(id, job);
    queue.push(id);
    void drain();
    return reply.code(202).send({ id });
  });

  fastify.post<{ Body: { kind: string; payload: unknown } }>("/jobs/urgent", async (request, reply) => {
    const id = nextJobId++;
    const job: Job = { id, kind: request.body.kind, payload: request.body.payload, status: "queued" };
    jobs.set(id, job);
    await persist(job);
    runJob(job);
    return reply.code(202).send({ id });
  });

  fastify.post<{ Params: { id: string } }>("/jobs/:id/retry", async (request, reply) => {
    const job = jobs.get(Number(request.params.id));
    if (!job) return reply.code(404).send();
    job.status = "queued";
    job.error = undefined;
    await persist(job);
    queue.push(job.id);
    drain();
    return { id: job.id, status: job.status };
  });

  fastify.get<{ Params: { id: string } }>("/jobs/:id", async (request, reply) => {
    const job = jobs.get(Number(request.params.id));
    if (!job) return reply.code(404).send();
    return job;
  });
}

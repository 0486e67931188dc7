import Fastify, { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import Redis from "ioredis";
import { randomUUID } from "node:crypto";

declare module "fastify" {
  interface FastifyRequest {
    sessionId: string | null;
    sessionData: Record<string, unknown> | null;
  }
}

type SessionRecord = { userId: string; createdAt: number; hits: number };

const SESSION_TTL = 60 * 60 * 24;
const localSessions = new Map<string, SessionRecord>();

const sessionsPlugin: FastifyPluginAsync<{ redisUrl: string }> = async (fastify: FastifyInstance, opts) => {
  const redis = new Redis(opts.redisUrl);
  fastify.addHook("onClose", async () => {
    await redis.quit();
  });

  fastify.decorateRequest("sessionId", null);
  fastify.decorateRequest("sessionData", null);

  fastify.addHook("preHandler", async (request: FastifyRequest) => {
    const sid = request.headers["x-session-id"];
    if (typeof sid !== "string") return;
    request.sessionId = sid;
    const raw = await redis.get(`sess:${sid}`);
    request.sessionData = raw ? JSON.parse(raw) : null;
  });

  fastify.post<{ Body: { userId: string } }>("/sessions", async (request, reply) => {
    const sid = randomUUID();
    const record: SessionRecord = { userId: request.body.userId, createdAt: Date.now(), hits: 0 };
    await redis.set(`sess:${sid}`, JSON.stringify(record), "EX", SESSION_TTL);
    localSessions.set(sid, record);
    return reply.code(201).send({ sid });
  });

  fastify.post("/sessions/touch", async (request) => {
    const sid = request.sessionId;
    if (!sid) return { ok: false };
    const record = localSessions.get(sid);
    const hits = record?.hits ?? 0;
    await redis.expire(`sess:${sid}`, SESSION_TTL);
    localSessions.set(sid, { ...(record as SessionRecord), hits: hits + 1 });
    return { ok: true, hits: hits + 1 };
  });

  fastify.get("/sessions/remote-count", async () => {
    const client = new Redis(opts.redisUrl);
    try {
      const keys = await client.keys("sess:*");
      return { count: keys.length };
    } finally {
      client.disconnect();
    }
  });

  fastify.delete("/sessions", async (request) => {
    if (!request.sessionId) return { ok: false };
    await redis.del(`sess:${request.sessionId}`);
    localSessions.delete(request.sessionId);
    request.sessionData = null;
    return { ok: true };
  });
};

export async function build() {
  const app = Fastify();
  await app.register(sessionsPlugin, { redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
  return app;
}

import Fastify from "fastify";
import { MongoClient } from "mongodb";

type Flag = { key: string; enabled: boolean; rollout: number; updatedAt: Date };

const app = Fastify({ logger: true });
const mongo = new MongoClient(process.env.MONGO_URL ?? "mongodb://localhost:27017");
const flagsCollection = mongo.db("config").collection<Flag>("flags");

const REFRESH_MS = 30_000;
let flags: Map<string, Flag> = new Map();
let loadedAt = 0;
const segmentCache = new Map<string, string[]>();
const exposures: Record<string, number> = {};

async function loadFlags(): Promise<Map<string, Flag>> {
  const docs = await flagsCollection.find({}).toArray();
  return new Map(docs.map((d) => [d.key, d]));
}

async function currentFlags(): Promise<Map<string, Flag>> {
  if (Date.now() - loadedAt > REFRESH_MS) {
    flags = await loadFlags();
    loadedAt = Date.now();
  }
  return flags;
}

async function segmentsFor(userId: string): Promise<string[]> {
  const cached = segmentCache.get(userId);
  if (cached) return cached;
  const res = await fetch(`${process.env.SEGMENTS_URL}/users/${encodeURIComponent(userId)}`);
  const segments = (await res.json()) as string[];
  segmentCache.set(userId, segments);
  return segments;
}

app.get<{ Params: { key: string }; Querystring: { user: string } }>("/flags/:key", async (request) => {
  const all = await currentFlags();
  const flag = all.get(request.params.key);
  if (!flag || !flag.enabled) return { enabled: false };
  const segments = await segmentsFor(request.query.user);
  const seen = exposures[flag.key] ?? 0;
  exposures[flag.key] = seen + 1;
  return { enabled: segments.includes("beta") || Math.random() * 100 < flag.rollout };
});

app.put<{ Params: { key: string }; Body: { enabled: boolean; rollout: number } }>("/flags/:key", async (request) => {
  const previous = flags.get(request.params.key);
  const doc: Flag = { key: request.params.key, ...request.body, updatedAt: new Date() };
  await flagsCollection.replaceOne({ key: doc.key }, doc, { upsert: true });
  flags.set(doc.key, doc);
  return { previous: previous ?? null, current: doc };
});

app.post("/flags/exposures/flush", async () => {
  const snapshot = { ...exposures };
  await mongo.db("config").collection("exposures").insertOne({ at: new Date(), counts: snapshot });
  for (const [key, n] of Object.entries(snapshot)) {
    exposures[key] = (exposures[key] ?? 0) - n;
  }
  return { flushed: Object.keys(snapshot).length };
});

app.listen({ port: 3001 });

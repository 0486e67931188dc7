import type { CallEvent, FunctionFacts } from '../core/facts';
import { callsOf, requestReach } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { resourceCreatedBy } from './catalog/resources';
import { describeFunction } from './blocking/loop-calls';
import { runsOncePerProcess } from './catalog/tasks';

/** Stored in shared state (`app.state.http = …`, a module global): a lazily created singleton. */
function isKeptForLater(fn: FunctionFacts, call: CallEvent): boolean {
  const holders = call.boundTo ?? [];
  if (holders.some((holder) => holder.kind !== 'local')) return true;
  const locals = holders.map((holder) => holder.key);
  return fn.flow.blocks.some((block) =>
    block.events.some((event) => event.kind === 'write' && event.value.locals.some((name) => locals.includes(name))),
  );
}

export const perRequestClient: Rule = {
  meta: {
    code: 'IL302',
    name: 'per-request-client',
    family: 'lifespan',
    defaultSeverity: 'warning',
    summary: 'A pooled client, engine or connection pool is constructed per request inside a handler or dependency.',
    languages: ['python', 'typescript'],
    fix: 'none',
    docs: {
      whatItDoes: `
Finds pooled clients — \`httpx\` and \`aiohttp\` clients, \`requests.Session\`, SQLAlchemy engines,
\`asyncpg\` and psycopg pools, Redis, MongoDB, Kafka, RabbitMQ and gRPC clients, SDK clients such
as \`openai.AsyncOpenAI\` — constructed inside a request handler, a per-request dependency or a
background task, or in a function of the same module they call, also when the client is used with
\`async with\`. Per-request database *sessions* (\`SessionLocal()\`, \`AsyncSession(engine)\`,
\`sessionmaker\` products) are per request by design and are not reported, nor are dependencies
cached with \`@lru_cache\`, nor clients stored in shared state for later requests.

In TypeScript and JavaScript the pools are Node's — \`new Pool()\` from \`pg\`, \`new PrismaClient()\`,
ioredis and \`redis\` clients, \`MongoClient\`, MySQL pools, Knex, undici dispatchers — built in a route
handler or middleware, a NestJS provider method, or a function of the same module they call.
Checking a connection out of a shared pool (\`pool.connect()\`) is not reported, nor are clients
created at startup (a Fastify plugin, a provider's constructor) or kept for later
(\`client ??= new Pool()\`, \`app.locals.redis = …\`).`,
      whyIsThisBad: `
These objects are connection pools. Building one per request throws the pool away after a single
use: every request pays a new TCP (and TLS) handshake, keep-alive never helps, and under load the
closed sockets pile up in TIME_WAIT until the process runs out of ports or file descriptors. An
engine or pool per request also means a new set of database connections per request, which is how
a small traffic spike exhausts the database's connection limit.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/weather/{city}")
async def weather(city: str) -> dict:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"https://weather.example.com/{city}")
    return response.json()
`,
          good: `
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with httpx.AsyncClient() as client:
        app.state.http = client
        yield


app = FastAPI(lifespan=lifespan)


@app.get("/weather/{city}")
async def weather(city: str, request: Request) -> dict:
    response = await request.app.state.http.get(f"https://weather.example.com/{city}")
    return response.json()
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import express from 'express';
import { Pool } from 'pg';

const app = express();

app.get('/orders', async (req, res) => {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const { rows } = await pool.query('select * from orders');
  res.json(rows);
});
`,
          good: `
import express from 'express';
import { pool } from './db';

const app = express();

app.get('/orders', async (req, res) => {
  const { rows } = await pool.query('select * from orders');
  res.json(rows);
});
`,
        },
      ],
      fixSafety: `
There is no automatic fix: the client moves to the lifespan and the handler gets it from
\`app.state\` or a dependency, which changes the handler's signature.`,
      whenNotToUse: `
When a client really must be per request (per-tenant credentials, a one-off call in a rarely used
admin endpoint), suppress with a reason:
\`# interleave: ignore[per-request-client] -- per-tenant TLS certificate\`.`,
    },
  },
  check({ module, report }) {
    for (const [fn, handler] of requestReach(module, runsOncePerProcess)) {
      for (const call of callsOf(fn)) {
        const kind = resourceCreatedBy(call.callee);
        if (!kind?.pooled || isKeptForLater(fn, call)) continue;
        if (kind.sharedPoolKeyword && new RegExp(`\\b${kind.sharedPoolKeyword}\\s*=`).test(excerpt(module, call.range, Number.POSITIVE_INFINITY))) continue;
        const role = (entry: FunctionFacts) =>
          module.language === 'python' ? `${entry.kind === 'dependency' ? 'dependency' : 'handler'} \`${entry.name}\`` : describeFunction(entry, module.language);
        const where = fn === handler ? role(fn) : `\`${fn.name}\`, which ${role(handler)} calls`;
        const remedy =
          module.language === 'python'
            ? 'Create it once in the lifespan, keep it on `app.state`, and hand it out with a dependency.'
            : 'Create it once, when a module loads or at startup, and share that instance: import it (or inject it) wherever a handler needs it.';
        report({
          message: `\`${excerpt(module, call.range)}\` builds ${kind.label} — a connection pool — for every request in ${where}: each request pays new connection handshakes, keep-alive never helps, and under load the closed sockets exhaust ports and file descriptors. ${remedy}`,
          range: call.range,
          related: fn === handler ? [] : [{ path: module.path, range: handler.nameRange, message: `\`${handler.name}\` runs per request` }],
        });
      }
    }
  },
};

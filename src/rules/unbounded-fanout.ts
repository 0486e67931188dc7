import { calleeIndex } from '../core/call-graph';
import { contextModelOf } from '../core/contexts';
import type { CallEvent, FlowEvent, FunctionFacts, ModuleFacts } from '../core/facts';
import { callsOf, PER_REQUEST_KINDS, requestReach } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { sourceLines } from '../core/source-lines';
import { eventsById, originCalls, valueOrigins, type Origins } from '../core/value-origins';
import { BOUNDING_CALLS, CAMEL_CASE_LIMITER_NAME, CONCURRENCY_LIMITERS, GATHERERS, LIMITER_METHODS, LIMITER_NAME, ROW_CAP_OPTION, startsTask } from './catalog/tasks';
import { feedingBinds, gatheredFanOuts, scopesAround, spawnedWork, type FanOut, type Work } from './fanout/fan-outs';
import { requestInput, sizeChecked, type RequestEntry, type RequestInput } from './fanout/request-input';
import { line } from './race-reporting';

const RUN_ONCE_KINDS = new Set(['lifespan', 'startup', 'shutdown']);
const SLICE = /\[[^[\]]*:[^[\]]*\]/;
/** `xs.slice(0, 20)`, `xs.slice(i, i + 10)`: a cut to a fixed size or a batch, given two bounds. */
const JS_SLICE = /\.(slice|splice)$/;
/**
 * JavaScript functions that do no I/O: builtins that return at once (`xs.map(Number)`,
 * `Promise.resolve(x)`), and libraries whose promises only wrap computation (`hash-wasm`'s
 * `sha256`, `jose`'s key export, WebCrypto digests).
 */
const NO_IO = /^(Number|String|Boolean|BigInt|Symbol|Object|Array|Date|JSON|Math|Buffer|Promise|parseInt|parseFloat|structuredClone|(en|de)codeURI(Component)?|hash-wasm|jose|crypto\.subtle)(\.|$)/;

/** The parameters a collection comes from (Python's `self` aside): `req`, `dto`, `urls`. */
function requestNames(module: ModuleFacts, fn: FunctionFacts, elements: Origins): string[] {
  const own = module.language === 'python' && fn.className ? fn.params[0]?.name : undefined;
  return [...elements.names].filter((name) => name !== own);
}

/** The awaited calls a collection comes from: a query, a body. */
function awaitedSources(elements: Origins, events: ReadonlyMap<number, FlowEvent>): CallEvent[] {
  return originCalls(elements, events).filter((call) => call.usage === 'awaited');
}

/** Whether a collection is sized by the request: its parameters, or what it awaits (a query, a body). */
function requestSized(module: ModuleFacts, fn: FunctionFacts, elements: Origins | undefined, events: ReadonlyMap<number, FlowEvent>): elements is Origins {
  if (!elements) return false;
  // Iterating shared state itself (connections, subscribers, peers): sized by the application, not by one request.
  if ([...elements.events].some(([id, computed]) => !computed && events.get(id)?.kind === 'read')) return false;
  return requestNames(module, fn, elements).length > 0 || awaitedSources(elements, events).length > 0;
}

/**
 * A cut to a fixed size or into batches: `xs[:10]`, `chunk = xs[i : i + 20]`, `.limit(50)`,
 * `batched(xs, 10)`, `xs.slice(i, i + 10)`, a query given `take: 50`.
 */
function bounded(module: ModuleFacts, fn: FunctionFacts, fanOut: FanOut, elements: Origins, events: ReadonlyMap<number, FlowEvent>): boolean {
  const sources = originCalls(elements, events);
  if (sources.some((call) => BOUNDING_CALLS.test(call.callee ?? call.text))) return true;
  if (module.language === 'typescript') {
    return sources.some(
      (call) => (JS_SLICE.test(call.text) && (call.positional?.length ?? 0) >= 2) || (call.usage === 'awaited' && call.positional?.some((argument) => ROW_CAP_OPTION.test(argument))),
    );
  }
  if (SLICE.test(excerpt(module, fanOut.collection, Number.POSITIVE_INFINITY))) return true;
  const lines = sourceLines(module);
  const roots = fanOut.loop ? fanOut.loop.value.locals : (fanOut.work.call.inputs?.locals ?? []);
  return feedingBinds(fn, roots).some((bind) => SLICE.test(lines[bind.range.start.line] ?? ''));
}

/** The functions of the module a call or a function reference runs: a module-level one, or one nested where it is called. */
function resolve(module: ModuleFacts, fn: FunctionFacts, work: { call: CallEvent } | { reference: string; call: CallEvent }): FunctionFacts | undefined {
  const index = calleeIndex(module);
  if (!('reference' in work) && work.call.callee) {
    const found = index.get(work.call.callee)?.[0];
    if (found) return found;
  }
  const name = 'reference' in work ? work.reference : work.call.text;
  const qualified = `${module.moduleName}.${name}`;
  const byName = index.get(qualified)?.[0];
  if (byName) return byName;
  const scopes = new Set(scopesAround(module, fn).map((scope) => scope.id));
  return module.functions.find((candidate) => candidate.name === name && candidate.parent !== undefined && scopes.has(candidate.parent));
}

/** Names bound to a concurrency limiter in a function, the functions around it, and at module level. */
function limiterNames(module: ModuleFacts, fn: FunctionFacts): Set<string> {
  const names = new Set<string>();
  for (const state of module.state) if (CONCURRENCY_LIMITERS.has(state.valueKind?.replace(/\(\)$/, '') ?? '')) names.add(state.root);
  for (const scope of scopesAround(module, fn)) {
    for (const call of callsOf(scope)) {
      if (CONCURRENCY_LIMITERS.has(call.callee ?? '')) for (const holder of call.boundTo ?? []) names.add(holder.key);
    }
  }
  return names;
}

function isLimiter(text: string, limiters: ReadonlySet<string>): boolean {
  return limiters.has(text) || LIMITER_NAME.test(text) || CAMEL_CASE_LIMITER_NAME.test(text);
}

/** A call that waits for a limiter's slot: `sem.acquire()`, `limiter.schedule(f)`, or a p-limit function `limit(f)`. */
function usesLimiter(call: CallEvent, limiters: ReadonlySet<string>): boolean {
  const method = call.text.slice(call.text.lastIndexOf('.') + 1);
  if (call.receiver && LIMITER_METHODS.has(method) && isLimiter(call.receiver.text, limiters)) return true;
  return !call.text.includes('.') && isLimiter(call.text, limiters);
}

/** Whether a function (or one it calls in this module) holds a lock, semaphore or limiter around its work. */
function holdsLimiter(module: ModuleFacts, fn: FunctionFacts, depth = 0): boolean {
  const limiters = limiterNames(module, fn);
  for (const block of fn.flow.blocks) {
    for (const event of block.events) {
      if (event.kind === 'lock-enter') return true;
      if (event.kind === 'context' && event.holder && isLimiter(event.holder.text, limiters)) return true;
      if (event.kind === 'call' && usesLimiter(event, limiters)) return true;
    }
  }
  if (depth > 0) return false;
  const index = calleeIndex(module);
  return callsOf(fn).some((call) => (call.callee ? (index.get(call.callee) ?? []) : []).some((callee) => holdsLimiter(module, callee, depth + 1)));
}

/** Whether a JavaScript call a callback returns or awaits starts I/O, as far as this module tells. */
function startsIo(module: ModuleFacts, callback: FunctionFacts, call: CallEvent): boolean {
  if (NO_IO.test(call.callee ?? call.text)) return false;
  const target = resolve(module, callback, { call });
  if (target) return target.isAsync && suspends(target) && !holdsLimiter(module, target);
  if (call.awaitable || call.usage === 'awaited') return true;
  // A method of the element itself (`x.trim()`) in a sync callback is taken to be a value's method, not I/O.
  const root = call.receiver?.key.split('.')[0];
  return !callback.params.some((param) => param.name === root);
}

/** The I/O call a callback written in place makes for each element, unless it waits for a limiter first. */
function callbackIo(module: ModuleFacts, callback: FunctionFacts): CallEvent | undefined {
  if (holdsLimiter(module, callback)) return undefined;
  const events = eventsById(callback);
  const returned = new Set(callback.flow.blocks.flatMap((block) => block.events.flatMap((event) => (event.kind === 'return' ? (event.value.calls ?? []) : []))));
  const candidates = callsOf(callback).filter((call) => call.usage === 'awaited' || returned.has(call.id));
  return candidates.find((call) => events.has(call.id) && startsIo(module, callback, call));
}

function suspends(fn: FunctionFacts): boolean {
  return fn.flow.blocks.some((block) => block.events.some((event) => event.kind === 'await'));
}

/** What the fan-out starts per element reaches I/O and nothing bounds it. */
function unboundedIo(module: ModuleFacts, fn: FunctionFacts, work: Work): boolean {
  if ('callback' in work) return callbackIo(module, work.callback) !== undefined;
  const limiters = limiterNames(module, fn);
  const handed = [...(work.call.positional ?? []), ...(work.call.arguments ?? []).map((holder) => holder.text)];
  if (handed.some((text) => isLimiter(text, limiters))) return false;
  const target = resolve(module, fn, work);
  // A coroutine from elsewhere is taken to do I/O, unless it only sleeps or is a JavaScript builtin.
  if (!target) {
    const name = 'reference' in work ? work.reference : (work.call.callee ?? work.call.text);
    return name !== 'asyncio.sleep' && !(module.language === 'typescript' && NO_IO.test(name));
  }
  return target.isAsync && suspends(target) && !holdsLimiter(module, target);
}

/** The functions that may run per request: those reached from handlers, or, in a module with none, all but run-once hooks. */
function perRequestFunctions(module: ModuleFacts): FunctionFacts[] {
  const reached = requestReach(module);
  const hasHandlers = module.functions.some((fn) => PER_REQUEST_KINDS.has(fn.kind));
  return module.functions.filter((fn) => fn.isAsync && !RUN_ONCE_KINDS.has(fn.kind) && (hasHandlers ? reached.has(fn) : true));
}

function workText(module: ModuleFacts, work: Work): string {
  if ('reference' in work) return `\`${work.reference}\``;
  const call = 'callback' in work ? callbackIo(module, work.callback) : work.call;
  return call ? `\`${call.text}(…)\`` : `\`${work.call.text}(…)\``;
}

/** A call as written, or for a chain (`db.collection('x').find(…).toArray`) its last link. */
function calledName(call: CallEvent): string {
  if (!call.text.includes('(')) return call.text;
  const last = /\.[\w$]+$/.exec(call.callee ?? '')?.[0];
  return last ? `…${last}` : call.text;
}

/** Where a collection that is not the client's own data comes from, as the user wrote it: an awaited query, or the parameters. */
function sourceText(module: ModuleFacts, fn: FunctionFacts, elements: Origins, events: ReadonlyMap<number, FlowEvent>): string {
  // The last awaited call is the one that produced the collection; a long chain is named by its last link.
  const awaited = awaitedSources(elements, events).at(-1);
  if (awaited) return `, from \`await ${calledName(awaited)}(…)\``;
  const names = requestNames(module, fn, elements);
  return names.length > 0 ? `, from ${names.map((name) => `\`${name}\``).join(', ')}` : '';
}

function remedy(module: ModuleFacts, collection: string): string {
  if (module.language === 'typescript') {
    return (
      `Run each call through a \`p-limit\` limiter (\`const limit = pLimit(10)\`, then \`${collection}.map((x) => limit(() => …))\`), ` +
      `use \`p-map\` with \`{ concurrency: 10 }\`, or await fixed-size batches (\`${collection}.slice(i, i + 10)\`).`
    );
  }
  return 'Hold an `asyncio.Semaphore` (or anyio `CapacityLimiter`) around each call, or process the collection in fixed-size batches.';
}

function fanOutText(module: ModuleFacts, fanOut: FanOut): { head: string; collection: string } {
  const site = fanOut.site;
  const collection = excerpt(module, fanOut.collection, 50);
  const starts = GATHERERS.has(site.callee ?? '') ? 'awaits' : 'starts';
  return { head: `\`${site.text}\` ${starts} one ${workText(module, fanOut.work)} per element of \`${collection}\``, collection };
}

/** A collection the client sends: the request decides how many calls run at once. */
function requestMessage(module: ModuleFacts, fanOut: FanOut, input: RequestInput): string {
  const { head, collection } = fanOutText(module, fanOut);
  const limit = module.language === 'typescript' ? 'limit' : 'semaphore';
  return (
    `${head} (${line(fanOut.collection)}), all at once and with no ${limit} or batching. \`${collection}\` comes from ${input.part} ${input.handler.kind === 'websocket' ? 'on' : 'of'} ${input.route}, ` +
    `and nothing in this module caps its length (a length check, a schema maximum): one request with 500 elements makes 500 concurrent calls — ` +
    `enough to exhaust a database pool or trip an API's rate limit for every other user. ${remedy(module, collection)}`
  );
}

/** Preview: a collection whose size the request does not decide, but nothing here bounds either (a query with no limit, a parameter). */
function unboundedMessage(module: ModuleFacts, fn: FunctionFacts, fanOut: FanOut, elements: Origins, events: ReadonlyMap<number, FlowEvent>): string {
  const { head, collection } = fanOutText(module, fanOut);
  const limit = module.language === 'typescript' ? 'limit' : 'semaphore';
  return (
    `${head} (${line(fanOut.collection)}${sourceText(module, fn, elements, events)}), all at once and with no ${limit} or batching. ` +
    `Nothing here bounds how many elements there are: if \`${collection}\` can grow large (every row of a table, every item a user owns), one call makes that many ` +
    `concurrent calls and can exhaust a database pool or an API's rate limit. ${remedy(module, collection)}`
  );
}

/** Every call per element takes part in one transaction (`{ transaction }`, `trx`): they share its connection and run one after another. */
function sharesTransaction(work: Work): boolean {
  const calls = 'callback' in work ? callsOf(work.callback) : [work.call];
  return calls.some((call) => call.positional?.some((argument) => /\b(transaction|trx)\b/.test(argument)));
}

/** A task started in a loop and kept in one holder whose previous task is cancelled (a debounce): one runs at a time. */
function cancelsPrevious(module: ModuleFacts, fn: FunctionFacts, spawn: CallEvent): boolean {
  const holders = (spawn.boundTo ?? []).map((holder) => `${holder.text}.cancel`);
  const scopes = [fn, ...module.functions.filter((inner) => scopesAround(module, inner).includes(fn))];
  return holders.length > 0 && scopes.some((scope) => callsOf(scope).some((call) => holders.includes(call.text)));
}

export const unboundedFanout: Rule = {
  meta: {
    code: 'IL406',
    name: 'unbounded-fanout',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A collection the client sends is fanned out into concurrent calls to an external service with no length check, semaphore or batching (`asyncio.gather`, `Promise.all(xs.map(…))`).',
    languages: ['python', 'typescript'],
    preview: true,
    fix: 'none',
    docs: {
      whatItDoes: `
Finds \`asyncio.gather\`, \`asyncio.wait\` and \`asyncio.as_completed\` over one coroutine per
element of a collection — \`gather(*(f(x) for x in xs))\`, \`gather(*[...])\`,
\`gather(*map(f, xs))\`, coroutines or tasks appended in a loop — and tasks started in a loop
(\`asyncio.create_task\`, \`TaskGroup.create_task\`, anyio/trio \`start_soon\`), when the
collection is data the client sent and the coroutine reaches I/O. The message names the call
each element runs (not a filter or a call that prepares its argument), the collection, what part
of the request it comes from, and the handler.

The collection must be the client's own data, read by the handler that holds the gather (or a
function nested in it) — as it is, or filtered, mapped or split: a FastAPI body or query
parameter (\`skus: list[str]\`, \`batch.urls\` of a Pydantic body, \`ids: list[int] = Query()\`; not
one that \`Depends()\` supplies), \`await request.json()\`, \`request.query_params.getlist(…)\`, a
message a WebSocket receives. Nothing is reported when a query, a service or the project's own
code produces the collection (its size is the data's, not the request's), nor when the handler
checks the length first (\`if len(batch.urls) > 20: raise …\`) or the model of this module caps
the field (\`Field(max_length=20)\`, \`conlist(…, max_length=20)\`, \`Query(max_length=5)\`).
Nothing is reported either when the coroutine holds a semaphore, \`CapacityLimiter\` or lock
(directly or in a function it calls), when a limiter is handed to it, when the collection is cut
to a fixed size or into batches (\`xs[:10]\`, \`xs[i : i + 20]\`, \`.limit(50)\`, \`batched(xs, 10)\`,
\`min(n, 100)\`), when it is a fixed collection (\`for region in REGIONS\`, a literal tuple) or
shared application state (open websockets), when the gather is of a fixed number of calls
(\`gather(f(a), g(b))\`), or when each task started in a loop replaces one whose \`cancel()\` is
called (a debounce).

In TypeScript and JavaScript the gather is \`Promise.all\`, \`Promise.allSettled\`,
\`Promise.any\` or \`Promise.race\`, given \`xs.map(f)\` or \`xs.map((x) => …)\` (directly or
through a local), or an array filled by \`promises.push(f(x))\` in a \`for…of\` loop or an
\`xs.forEach\` callback. The finding is at the \`Promise.…\` call; the related location is the
collection. The collection is the client's when it is read from the body or the query string of
the handler's request (\`req.body.ids\`, \`req.query\`, Fastify's \`request.body\`, Koa's
\`ctx.request.body\` and destructured \`{ body: { ids } }\`, \`await req.json()\`,
\`searchParams.getAll()\`) or is a NestJS \`@Body()\` or \`@Query()\` parameter — not the server's
data hanging off the request (\`req.user.teams\`, \`ctx.state\`), and not rows of an awaited query.
Nothing is reported when the handler checks the length first (\`if (ids.length > 20) …\`), when
the route's registration caps it (zod's \`.max(20)\`, JSON Schema's \`maxItems\`), when every call
takes part in one transaction (\`{ transaction }\`: one connection, one call at a time), when the
mapped function starts no I/O (a sync function, builtins like \`Number\`, methods of the element,
an async function of this module that never awaits), when each call goes through a limiter — a
\`p-limit\` function (\`limit(() => f(x))\`), \`Bottleneck\`'s \`schedule\`, an \`async-mutex\`
\`Semaphore\` (\`runExclusive\`, \`acquire\`), in the callback or in the function it calls —, or when
the collection is cut (\`xs.slice(0, 20)\`, \`xs.slice(i, i + 10)\` batches, \`_.chunk\`,
\`Math.min(n, 100)\`). \`p-map\` with \`{ concurrency }\` and \`async\`'s \`mapLimit\` are not gathers
and are never reported.

With \`preview = true\` (or \`--preview\`) the rule also reports, as information, fan-outs over
collections nothing bounds though the request does not size them: every row of an awaited query
with no limit or page (\`(await pool.query(…)).rows\`, \`prisma.x.findMany()\`), or a parameter
of a helper. Whether those grow large depends on the data, which the analysis cannot see.`,
      whyIsThisBad: `
Every element becomes a concurrent call the moment the gather starts. The client decides how
many: a 500-line order or a 2,000-id filter makes hundreds of simultaneous database queries or
API calls from one request. That checks out every connection in the pool
(other requests then time out waiting for one), trips the partner API's rate limit for all your
users at once, and opens enough sockets to hit file-descriptor limits. The code works in tests,
where collections are small.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import asyncio

import httpx
from fastapi import FastAPI, Request

app = FastAPI()


async def fetch_price(client: httpx.AsyncClient, sku: str) -> int:
    response = await client.get(f"https://prices.example.com/{sku}")
    return response.json()["cents"]


@app.post("/quote")
async def quote(skus: list[str], request: Request) -> int:
    client = request.app.state.http
    prices = await asyncio.gather(*(fetch_price(client, sku) for sku in skus))
    return sum(prices)
`,
          good: `
import asyncio

import httpx
from fastapi import FastAPI, Request

app = FastAPI()
price_calls = asyncio.Semaphore(10)


async def fetch_price(client: httpx.AsyncClient, sku: str) -> int:
    async with price_calls:
        response = await client.get(f"https://prices.example.com/{sku}")
    return response.json()["cents"]


@app.post("/quote")
async def quote(skus: list[str], request: Request) -> int:
    client = request.app.state.http
    prices = await asyncio.gather(*(fetch_price(client, sku) for sku in skus))
    return sum(prices)
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import express from 'express';

const app = express();

async function fetchPrice(sku: string): Promise<number> {
  const response = await fetch(\`https://prices.example.com/\${sku}\`);
  return (await response.json()).cents;
}

app.post('/quote', async (req, res) => {
  const skus: string[] = req.body.skus;
  const prices = await Promise.all(skus.map((sku) => fetchPrice(sku)));
  res.json({ total: prices.reduce((sum, cents) => sum + cents, 0) });
});
`,
          good: `
import express from 'express';
import pLimit from 'p-limit';

const app = express();
const priceCalls = pLimit(10);

async function fetchPrice(sku: string): Promise<number> {
  const response = await fetch(\`https://prices.example.com/\${sku}\`);
  return (await response.json()).cents;
}

app.post('/quote', async (req, res) => {
  const skus: string[] = req.body.skus;
  const prices = await Promise.all(skus.map((sku) => priceCalls(() => fetchPrice(sku))));
  res.json({ total: prices.reduce((sum, cents) => sum + cents, 0) });
});
`,
        },
      ],
      fixSafety: `
There is no automatic fix: the right bound depends on the service (its pool size, its rate
limit) and on where the semaphore should live — module level to bound all requests of a worker
together, or per request to bound each one. The same holds for a \`p-limit\` limiter in Node.`,
      whenNotToUse: `
When the collection is validated to a small size somewhere the rule does not look (a model in
another module, a middleware, a gateway), or the callee bounds concurrency itself (a client with
a small connection limit and a queueing policy you rely on), suppress with a reason:
\`# interleave: ignore[unbounded-fanout] -- at most 20 items, validated by QuoteRequest\`, or
\`// interleave: ignore[unbounded-fanout] -- the gateway caps skus at 20\`.

Preview (off unless selected or with \`preview = true\`): on the real-code evaluation none of the
6 judged findings was worth fixing (request arrays in admin-only routes, whose lookups queue on
the database pool) and it found 2 of 7 labelled hazards.`,
    },
  },
  check({ module, project, config, report }) {
    const model = contextModelOf(project, module);
    const entryOf: RequestEntry = (candidate) =>
      model.contextsOf(module.moduleName, candidate.id).witnesses.find((witness) => witness.kind === 'request-loop' && witness.steps.length === 0)?.entry.label;
    for (const fn of perRequestFunctions(module)) {
      const calls = callsOf(fn);
      if (!calls.some((call) => GATHERERS.has(call.callee ?? '') || (call.loop !== undefined && startsTask(call.callee, call.text)))) continue;
      const origins = valueOrigins(fn);
      const events = eventsById(fn);
      // Per site (a gather, or a spawn in a loop), the fan-outs it may make: the first that qualifies is reported.
      const sites: FanOut[][] = [];
      const covered = new Set<number>();
      for (const call of calls) {
        if (!GATHERERS.has(call.callee ?? '')) continue;
        const value = origins.get(call)?.value;
        const candidates = value ? gatheredFanOuts(module, fn, call, value, origins, events) : [];
        if (candidates.length === 0) continue;
        sites.push(candidates);
        for (const id of value!.events.keys()) covered.add(id);
      }
      for (const call of calls) {
        if (call.loop === undefined || covered.has(call.id) || !startsTask(call.callee, call.text)) continue;
        const loop = events.get(call.loop);
        const loopCalls = calls.filter((other) => other.loop === call.loop);
        const work = spawnedWork(call, loopCalls);
        const elements = loop && origins.get(loop)?.value;
        if (loop?.kind === 'iterate' && work) sites.push([{ site: call, work, host: fn, loop, collection: loop.range, ...(elements && { elements }) }]);
      }
      for (const candidates of sites) {
        for (const fanOut of candidates) {
          const { elements } = fanOut;
          if (!elements || !unboundedIo(module, fanOut.host, fanOut.work) || sharesTransaction(fanOut.work) || bounded(module, fn, fanOut, elements, events)) continue;
          if (startsTask(fanOut.site.callee, fanOut.site.text) && cancelsPrevious(module, fn, fanOut.site)) continue;
          const input = requestInput(module, fn, fanOut, elements, events, entryOf);
          if (input && sizeChecked(module, fn, fanOut, input)) break;
          if (input) {
            report({
              message: requestMessage(module, fanOut, input),
              range: fanOut.site.range,
              related: [{ path: module.path, range: fanOut.collection, message: `the collection, from ${input.part}` }],
            });
            break;
          }
          if (!config.preview || !requestSized(module, fn, elements, events)) continue;
          report({
            message: unboundedMessage(module, fn, fanOut, elements, events),
            range: fanOut.site.range,
            severity: 'info',
            related: [{ path: module.path, range: fanOut.collection, message: 'the collection' }],
          });
          break;
        }
      }
    }
  },
};

import { calleeIndex } from '../core/call-graph';
import type { BindEvent, CallEvent, FlowEvent, FunctionFacts, IterateEvent, ModuleFacts, Range } from '../core/facts';
import { callsOf, PER_REQUEST_KINDS, requestReach } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { sourceLines } from '../core/source-lines';
import { eventsById, originCalls, valueOrigins, type Origins } from '../core/value-origins';
import { BOUNDING_CALLS, CONCURRENCY_LIMITERS, GATHERERS, LIMITER_NAME, startsTask, takesFunctionReference } from './catalog/tasks';
import { line } from './race-reporting';

/** One fan-out: the call that starts or awaits them all, the work started per element, and the loop. */
interface FanOut {
  site: CallEvent;
  /** The coroutine started per element: a call (`fetch(url)`), or a function handed over by name (`start_soon(f, x)`). */
  work: { call: CallEvent } | { reference: string; call: CallEvent };
  /** The loop over the collection; undefined for `map(f, xs)`, whose collection is `collection`. */
  loop?: IterateEvent;
  collection: Range;
}

const RUN_ONCE_KINDS = new Set(['lifespan', 'startup', 'shutdown']);
const SLICE = /\[[^[\]]*:[^[\]]*\]/;

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** The work a spawn starts: `f(x)` of `create_task(f(x))`, or `f` of `start_soon(f, x)`. */
function spawnedWork(spawn: CallEvent, loopCalls: readonly CallEvent[]): FanOut['work'] | undefined {
  if (takesFunctionReference(spawn.callee)) {
    const reference = spawn.positional?.[0];
    return reference ? { reference, call: spawn } : undefined;
  }
  const inner = loopCalls.filter((call) => call !== spawn && contains(spawn.range, call.range));
  const outermost = inner.find((call) => !inner.some((other) => other !== call && contains(other.range, call.range)));
  return outermost && { call: outermost };
}

/** What a gather is given that runs once per element of a loop, or `map(f, xs)`. */
function gatheredFanOut(gather: CallEvent, origins: Origins, events: ReadonlyMap<number, FlowEvent>): FanOut | undefined {
  const calls = originCalls(origins, events);
  const mapped = calls.find((call) => call.callee === 'builtins.map' && call.positional?.length === 2);
  if (mapped) return { site: gather, work: { reference: mapped.positional![0]!, call: mapped }, collection: mapped.range };
  const loopCalls = calls.filter((call) => call.loop !== undefined);
  const outermost = loopCalls.filter((call) => !loopCalls.some((other) => other !== call && contains(other.range, call.range)));
  for (const element of outermost) {
    const loop = events.get(element.loop!);
    if (loop?.kind !== 'iterate') continue;
    const work = startsTask(element.callee, element.text) ? spawnedWork(element, loopCalls) : { call: element };
    if (work) return { site: gather, work, loop, collection: loop.range };
  }
  return undefined;
}

/** Whether a loop's collection is sized by the request: its parameters, or what it awaits (a query, a body). */
function requestSized(loop: IterateEvent, fn: FunctionFacts, origins: ReadonlyMap<FlowEvent, { value: Origins }>, events: ReadonlyMap<number, FlowEvent>): boolean {
  const found = origins.get(loop)?.value;
  if (!found) return false;
  // Iterating shared state itself (connections, subscribers, peers): sized by the application, not by one request.
  if ([...found.events].some(([id, computed]) => !computed && events.get(id)?.kind === 'read')) return false;
  const values = [...found.events.keys()].map((id) => events.get(id));
  const own = fn.className ? fn.params[0]?.name : undefined;
  if ([...found.names].some((name) => name !== own)) return true;
  return values.some((event) => event?.kind === 'call' && event.usage === 'awaited');
}

/** The binds of the locals that feed a value, following binds backwards (flow-insensitively). */
function feedingBinds(fn: FunctionFacts, names: readonly string[]): BindEvent[] {
  const binds = fn.flow.blocks.flatMap((block) => block.events.filter((event): event is BindEvent => event.kind === 'bind'));
  const seen = new Set<string>();
  const queue = [...names];
  const found: BindEvent[] = [];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const bind of binds) {
      if (bind.name !== name) continue;
      found.push(bind);
      queue.push(...bind.value.locals);
    }
  }
  return found;
}

/** A cut to a fixed size or into batches: `xs[:10]`, `chunk = xs[i : i + 20]`, `.limit(50)`, `batched(xs, 10)`. */
function bounded(module: ModuleFacts, fn: FunctionFacts, fanOut: FanOut, origins: ReadonlyMap<FlowEvent, { value: Origins }>, events: ReadonlyMap<number, FlowEvent>): boolean {
  if (SLICE.test(excerpt(module, fanOut.collection, Number.POSITIVE_INFINITY))) return true;
  const value = fanOut.loop ? origins.get(fanOut.loop)?.value : origins.get(fanOut.work.call)?.value;
  if (value && originCalls(value, events).some((call) => BOUNDING_CALLS.test(call.callee ?? call.text))) return true;
  const lines = sourceLines(module);
  const roots = fanOut.loop ? fanOut.loop.value.locals : (fanOut.work.call.inputs?.locals ?? []);
  return feedingBinds(fn, roots).some((bind) => SLICE.test(lines[bind.range.start.line] ?? ''));
}

/** The functions of the module a call or a function reference runs: a module-level one, or one nested where it is called. */
function resolve(module: ModuleFacts, fn: FunctionFacts, work: FanOut['work']): FunctionFacts | undefined {
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

/** A function and the functions it is nested in, innermost first: where its closures' names are bound. */
function scopesAround(module: ModuleFacts, fn: FunctionFacts): FunctionFacts[] {
  const scopes: FunctionFacts[] = [];
  for (let scope: FunctionFacts | undefined = fn; scope; scope = module.functions.find((candidate) => candidate.id === scope!.parent)) scopes.push(scope);
  return scopes;
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
  return limiters.has(text) || LIMITER_NAME.test(text);
}

/** Whether a function (or one it calls in this module) holds a lock, semaphore or limiter around its work. */
function holdsLimiter(module: ModuleFacts, fn: FunctionFacts, depth = 0): boolean {
  const limiters = limiterNames(module, fn);
  for (const block of fn.flow.blocks) {
    for (const event of block.events) {
      if (event.kind === 'lock-enter') return true;
      if (event.kind === 'context' && event.holder && isLimiter(event.holder.text, limiters)) return true;
      if (event.kind === 'call' && event.text.endsWith('.acquire') && event.receiver && isLimiter(event.receiver.text, limiters)) return true;
    }
  }
  if (depth > 0) return false;
  const index = calleeIndex(module);
  return callsOf(fn).some((call) => (call.callee ? (index.get(call.callee) ?? []) : []).some((callee) => holdsLimiter(module, callee, depth + 1)));
}

/** What the fan-out starts per element reaches I/O and nothing bounds it. */
function unboundedIo(module: ModuleFacts, fn: FunctionFacts, work: FanOut['work']): boolean {
  const limiters = limiterNames(module, fn);
  const handed = [...(work.call.positional ?? []), ...(work.call.arguments ?? []).map((holder) => holder.text)];
  if (handed.some((text) => isLimiter(text, limiters))) return false;
  const target = resolve(module, fn, work);
  // A coroutine from elsewhere is taken to do I/O, unless it only sleeps.
  if (!target) return ('reference' in work ? work.reference : work.call.callee) !== 'asyncio.sleep';
  const suspends = target.flow.blocks.some((block) => block.events.some((event) => event.kind === 'await'));
  return target.isAsync && suspends && !holdsLimiter(module, target);
}

/** The functions that may run per request: those reached from handlers, or, in a module with none, all but run-once hooks. */
function perRequestFunctions(module: ModuleFacts): FunctionFacts[] {
  const reached = requestReach(module);
  const hasHandlers = module.functions.some((fn) => PER_REQUEST_KINDS.has(fn.kind));
  return module.functions.filter((fn) => fn.isAsync && !RUN_ONCE_KINDS.has(fn.kind) && (hasHandlers ? reached.has(fn) : true));
}

function workText(work: FanOut['work']): string {
  return 'reference' in work ? `\`${work.reference}\`` : `\`${work.call.text}(…)\``;
}

function message(module: ModuleFacts, fanOut: FanOut): string {
  const site = fanOut.site;
  const collection = excerpt(module, fanOut.collection, 50);
  const starts = GATHERERS.has(site.callee ?? '') ? 'awaits' : 'starts';
  return (
    `\`${site.text}\` ${starts} one ${workText(fanOut.work)} per element of \`${collection}\` (${line(fanOut.collection)}), all at once and with no ` +
    `semaphore or batching: the request decides how many run, so one request with 500 elements makes 500 concurrent calls — ` +
    `enough to exhaust a database pool or trip an API's rate limit for every other user. Hold an \`asyncio.Semaphore\` ` +
    `(or anyio \`CapacityLimiter\`) around each call, or process the collection in fixed-size batches.`
  );
}

export const unboundedFanout: Rule = {
  meta: {
    code: 'IL406',
    name: 'unbounded-fanout',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A request-sized collection is fanned out into concurrent calls to an external service with no semaphore or batching.',
    languages: ['python'],
    fix: 'none',
    docs: {
      whatItDoes: `
Finds \`asyncio.gather\`, \`asyncio.wait\` and \`asyncio.as_completed\` over one coroutine per
element of a collection — \`gather(*(f(x) for x in xs))\`, \`gather(*[...])\`,
\`gather(*map(f, xs))\`, tasks appended in a loop — and tasks started in a loop
(\`asyncio.create_task\`, \`TaskGroup.create_task\`, anyio/trio \`start_soon\`), when the
collection comes from the request (a parameter, the body, an awaited query) and the coroutine
reaches I/O, in a handler or a function of the module it calls. Nothing is reported when the
coroutine holds a semaphore, \`CapacityLimiter\` or lock (directly or in a function it calls), when
a limiter is handed to it, when the collection is cut to a fixed size or into batches (\`xs[:10]\`,
\`xs[i : i + 20]\`, \`.limit(50)\`, \`batched(xs, 10)\`), when it is a fixed collection
(\`for region in REGIONS\`) or shared application state (open websockets), or when the gather is
of a fixed number of calls (\`gather(f(a), g(b))\`).`,
      whyIsThisBad: `
Every element becomes a concurrent call the moment the gather starts. The client decides how
many: a 500-line order, a 2,000-id filter or an unpaginated query makes hundreds of simultaneous
database queries or API calls from one request. That checks out every connection in the pool
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
      ],
      fixSafety: `
There is no automatic fix: the right bound depends on the service (its pool size, its rate
limit) and on where the semaphore should live — module level to bound all requests of a worker
together, or per request to bound each one.`,
      whenNotToUse: `
When the collection is validated to a small size before it gets here (\`Field(max_length=20)\` on
the request model, an explicit length check), or the callee bounds concurrency itself (a client
with a small connection limit and a queueing policy you rely on), suppress with a reason:
\`# interleave: ignore[unbounded-fanout] -- at most 20 items, validated by QuoteRequest\`.`,
    },
  },
  check({ module, report }) {
    for (const fn of perRequestFunctions(module)) {
      const calls = callsOf(fn);
      if (!calls.some((call) => GATHERERS.has(call.callee ?? '') || (call.loop !== undefined && startsTask(call.callee, call.text)))) continue;
      const origins = valueOrigins(fn);
      const events = eventsById(fn);
      const fanOuts: FanOut[] = [];
      const covered = new Set<number>();
      for (const call of calls) {
        if (!GATHERERS.has(call.callee ?? '')) continue;
        const value = origins.get(call)?.value;
        const fanOut = value && gatheredFanOut(call, value, events);
        if (!fanOut) continue;
        fanOuts.push(fanOut);
        for (const id of value.events.keys()) covered.add(id);
      }
      for (const call of calls) {
        if (call.loop === undefined || covered.has(call.id) || !startsTask(call.callee, call.text)) continue;
        const loop = events.get(call.loop);
        const loopCalls = calls.filter((other) => other.loop === call.loop);
        const work = spawnedWork(call, loopCalls);
        if (loop?.kind === 'iterate' && work) fanOuts.push({ site: call, work, loop, collection: loop.range });
      }
      for (const fanOut of fanOuts) {
        const sized = fanOut.loop
          ? requestSized(fanOut.loop, fn, origins, events)
          : [...(origins.get(fanOut.work.call)?.value.names ?? [])].length > 0;
        if (!sized || bounded(module, fn, fanOut, origins, events) || !unboundedIo(module, fn, fanOut.work)) continue;
        report({
          message: message(module, fanOut),
          range: fanOut.site.range,
          related: [{ path: module.path, range: fanOut.collection, message: 'the collection the request sizes' }],
        });
      }
    }
  },
};

import { calleeIndex } from '../core/call-graph';
import type { BindEvent, CallEvent, FlowEvent, FunctionFacts, IterateEvent, ModuleFacts, Range } from '../core/facts';
import { callsOf, PER_REQUEST_KINDS, requestReach } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { sourceLines } from '../core/source-lines';
import { eventsById, originCalls, valueOrigins, type Origins } from '../core/value-origins';
import {
  BOUNDING_CALLS,
  CAMEL_CASE_LIMITER_NAME,
  CONCURRENCY_LIMITERS,
  GATHERERS,
  LIMITER_METHODS,
  LIMITER_NAME,
  MAPPING_METHODS,
  ROW_CAP_OPTION,
  startsTask,
  takesFunctionReference,
} from './catalog/tasks';
import { line } from './race-reporting';

/**
 * The coroutine or promise started per element: a call (`fetch(url)`), a function handed over by
 * name (`start_soon(f, x)`, `xs.map(fetchPrice)`), or a callback written in place
 * (`xs.map((x) => fetch(x))`), with the call that hands it over.
 */
type Work = { call: CallEvent } | { reference: string; call: CallEvent } | { callback: FunctionFacts; call: CallEvent };

/** One fan-out: the call that starts or awaits them all, the work started per element, and the collection. */
interface FanOut {
  site: CallEvent;
  work: Work;
  /** The function whose body holds the work: the handler, or a `forEach` callback that pushes each promise. */
  host: FunctionFacts;
  /** The loop over the collection, when the work runs in one (`for`, a comprehension). */
  loop?: IterateEvent;
  collection: Range;
  /** Where the collection comes from, in the function that holds the gather. */
  elements?: Origins;
}

const RUN_ONCE_KINDS = new Set(['lifespan', 'startup', 'shutdown']);
const SLICE = /\[[^[\]]*:[^[\]]*\]/;
/** `xs.slice(0, 20)`, `xs.slice(i, i + 10)`: a cut to a fixed size or a batch, given two bounds. */
const JS_SLICE = /\.(slice|splice)$/;
/** JavaScript functions that return at once without I/O: `xs.map(Number)`, `Promise.resolve(x)`. */
const SYNC_BUILTIN = /^(Number|String|Boolean|BigInt|Symbol|Object|Array|Date|JSON|Math|Buffer|Promise|parseInt|parseFloat|structuredClone|(en|de)codeURI(Component)?)(\.|$)/;
/** Methods that collect their argument into the array they are called on: `promises.push(f(x))`. */
const JS_COLLECTING_METHODS = /\.(push|unshift)$/;

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** The work a spawn starts: `f(x)` of `create_task(f(x))`, or `f` of `start_soon(f, x)`. */
function spawnedWork(spawn: CallEvent, loopCalls: readonly CallEvent[]): Work | undefined {
  if (takesFunctionReference(spawn.callee)) {
    const reference = spawn.positional?.[0];
    return reference ? { reference, call: spawn } : undefined;
  }
  const inner = loopCalls.filter((call) => call !== spawn && contains(spawn.range, call.range));
  const outermost = inner.find((call) => !inner.some((other) => other !== call && contains(other.range, call.range)));
  return outermost && { call: outermost };
}

/** The callback written in place as an argument of a call: `(x) => fetch(x)` of `xs.map((x) => fetch(x))`. */
function callbackOf(module: ModuleFacts, fn: FunctionFacts, call: CallEvent): FunctionFacts | undefined {
  return module.functions.find((candidate) => candidate.parent === fn.id && candidate.passedTo !== undefined && sameRange(candidate.passedTo.range, call.range));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Where the object of a method call is written: `req.body.ids` of `req.body.ids.map(…)`. */
function receiverRange(module: ModuleFacts, call: CallEvent): Range {
  const { start, end } = call.calleeRange;
  const text = sourceLines(module)[end.line] ?? '';
  let character = end.character - (call.text.length - call.text.lastIndexOf('.') - 1);
  while (character > 0 && /[.?\s]/.test(text[character - 1]!)) character--;
  return { start, end: { line: end.line, character: Math.max(character, end.line === start.line ? start.character : 0) } };
}

/** The iterate events a call runs inside, innermost first. */
function loopsAround(call: CallEvent, events: ReadonlyMap<number, FlowEvent>): number[] {
  const loops: number[] = [];
  for (let id = call.loop; id !== undefined; ) {
    loops.push(id);
    const loop = events.get(id);
    id = loop?.kind === 'iterate' ? loop.parent : undefined;
  }
  return loops;
}

/**
 * `Promise.all(xs.map(f))`: the mapping calls among what a gather is given, with their callback or
 * function, the last evaluated first (`ids.map(…)` that built a query's filter comes before the
 * `rows.map(…)` gathered).
 */
function mappedFanOuts(module: ModuleFacts, fn: FunctionFacts, gather: CallEvent, calls: readonly CallEvent[], origins: ReadonlyMap<FlowEvent, { value: Origins }>): FanOut[] {
  const fanOuts: FanOut[] = [];
  for (const mapping of [...calls].reverse()) {
    if (!MAPPING_METHODS.test(mapping.text) || !mapping.positional?.length) continue;
    const callback = callbackOf(module, fn, mapping);
    const reference = mapping.positional[0]!;
    const work: Work | undefined = callback ? { callback, call: mapping } : /^[\w$.]+$/.test(reference) ? { reference, call: mapping } : undefined;
    const elements = origins.get(mapping)?.value;
    if (work) fanOuts.push({ site: gather, work, host: fn, collection: receiverRange(module, mapping), ...(elements && { elements }) });
  }
  return fanOuts;
}

/** `xs.forEach((x) => promises.push(f(x)))` and then a gather of `promises`: the push's call runs once per element. */
function pushedFanOut(module: ModuleFacts, fn: FunctionFacts, gather: CallEvent, origins: ReadonlyMap<FlowEvent, { value: Origins }>): FanOut | undefined {
  const gathered = new Set(gather.inputs?.locals ?? []);
  if (gathered.size === 0) return undefined;
  for (const each of callsOf(fn)) {
    if (!each.text.endsWith('.forEach')) continue;
    const callback = callbackOf(module, fn, each);
    if (!callback) continue;
    const events = eventsById(callback);
    for (const push of callsOf(callback)) {
      if (!JS_COLLECTING_METHODS.test(push.text) || !push.receiver || !gathered.has(push.receiver.key)) continue;
      const pushed = (push.inputs?.calls ?? []).map((id) => events.get(id)).find((event): event is CallEvent => event?.kind === 'call');
      const elements = origins.get(each)?.value;
      if (pushed) return { site: gather, work: { call: pushed }, host: callback, collection: receiverRange(module, each), ...(elements && { elements }) };
    }
  }
  return undefined;
}

/**
 * What a gather is given that runs once per element of a loop, `map(f, xs)`, `xs.map(f)`, or
 * `xs.forEach` pushing promises: the candidates, most likely first.
 */
function gatheredFanOuts(
  module: ModuleFacts,
  fn: FunctionFacts,
  gather: CallEvent,
  value: Origins,
  origins: ReadonlyMap<FlowEvent, { value: Origins }>,
  events: ReadonlyMap<number, FlowEvent>,
): FanOut[] {
  const calls = originCalls(value, events);
  const mapped = calls.find((call) => call.callee === 'builtins.map' && call.positional?.length === 2);
  if (mapped) {
    const elements = origins.get(mapped)?.value;
    return [{ site: gather, work: { reference: mapped.positional![0]!, call: mapped }, host: fn, collection: mapped.range, ...(elements && { elements }) }];
  }
  // Mappings an earlier gather already awaited are that gather's fan-out, not this one's:
  // `files = await Promise.all(keys.map(fetch))` then `Promise.all(files.map(limited))`.
  const earlier = new Set(
    calls
      .filter((call) => call !== gather && GATHERERS.has(call.callee ?? ''))
      .flatMap((inner) => {
        const fed = origins.get(inner)?.value;
        return fed ? originCalls(fed, events) : [];
      }),
  );
  const fanOuts = module.language === 'typescript' ? mappedFanOuts(module, fn, gather, calls.filter((call) => !earlier.has(call)), origins) : [];
  // A loop the gather itself runs in gathers each element's calls separately: batches, not one fan-out.
  const enclosing = new Set(loopsAround(gather, events));
  const loopCalls = calls.filter((call) => call.loop !== undefined && !enclosing.has(call.loop));
  const outermost = loopCalls.filter((call) => !loopCalls.some((other) => other !== call && contains(other.range, call.range)));
  for (const element of outermost) {
    const loop = events.get(element.loop!);
    if (loop?.kind !== 'iterate') continue;
    const work = startsTask(element.callee, element.text) ? spawnedWork(element, loopCalls) : { call: element };
    const elements = origins.get(loop)?.value;
    if (work) fanOuts.push({ site: gather, work, host: fn, loop, collection: loop.range, ...(elements && { elements }) });
  }
  const pushed = module.language === 'typescript' ? pushedFanOut(module, fn, gather, origins) : undefined;
  return pushed ? [...fanOuts, pushed] : fanOuts;
}

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
  if (SYNC_BUILTIN.test(call.callee ?? call.text)) return false;
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
    return name !== 'asyncio.sleep' && !(module.language === 'typescript' && SYNC_BUILTIN.test(name));
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

/** Where the collection comes from, as the user wrote it: an awaited query or body, or the parameters. */
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

function message(module: ModuleFacts, fn: FunctionFacts, fanOut: FanOut, elements: Origins, events: ReadonlyMap<number, FlowEvent>): string {
  const site = fanOut.site;
  const collection = excerpt(module, fanOut.collection, 50);
  const starts = GATHERERS.has(site.callee ?? '') ? 'awaits' : 'starts';
  const limit = module.language === 'typescript' ? 'limit' : 'semaphore';
  return (
    `\`${site.text}\` ${starts} one ${workText(module, fanOut.work)} per element of \`${collection}\` (${line(fanOut.collection)}${sourceText(module, fn, elements, events)}), ` +
    `all at once and with no ${limit} or batching: the request decides how many run, so one request with 500 elements makes 500 concurrent calls — ` +
    `enough to exhaust a database pool or trip an API's rate limit for every other user. ${remedy(module, collection)}`
  );
}

export const unboundedFanout: Rule = {
  meta: {
    code: 'IL406',
    name: 'unbounded-fanout',
    family: 'tasks',
    defaultSeverity: 'warning',
    summary: 'A request-sized collection is fanned out into concurrent calls to an external service with no semaphore or batching (`asyncio.gather`, `Promise.all(xs.map(…))`).',
    languages: ['python', 'typescript'],
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
of a fixed number of calls (\`gather(f(a), g(b))\`).

In TypeScript and JavaScript the gather is \`Promise.all\`, \`Promise.allSettled\`,
\`Promise.any\` or \`Promise.race\`, given \`xs.map(f)\` or \`xs.map((x) => …)\` (directly or
through a local), or an array filled by \`promises.push(f(x))\` in a \`for…of\` loop or an
\`xs.forEach\` callback. The finding is at the \`Promise.…\` call, as for \`asyncio.gather\` and
\`asyncio.wait\` over tasks appended in a loop; the related location is the collection. The
collection is request-sized when it comes from a handler's parameters (\`req.body\`,
\`req.query\`, Fastify's \`request.body\`, Koa's \`ctx.request.body\`, NestJS \`@Body()\` and
\`@Query()\` parameters, \`searchParams.getAll()\`) or from an awaited call (\`await req.json()\`,
\`(await pool.query(…)).rows\`, \`prisma.x.findMany()\`, \`find().toArray()\`). The mapped
function must start I/O: a call from another module or library, or an async function of this
module that awaits. Nothing is reported when each call goes through a limiter — a \`p-limit\`
function (\`limit(() => f(x))\`), \`Bottleneck\`'s \`schedule\`, an \`async-mutex\`
\`Semaphore\` (\`runExclusive\`, \`acquire\`), in the callback or in the function it calls —,
when the collection is cut (\`xs.slice(0, 20)\`, \`xs.slice(i, i + 10)\` batches, \`_.chunk\`,
\`.limit(20)\`, a query given \`take:\` or \`limit:\`), when it is a module-level constant array,
or when the callback is sync and only calls methods of the element (\`(s) => s.trim()\`) or
builtins (\`Number\`). \`p-map\` with \`{ concurrency }\` and \`async\`'s \`mapLimit\` are not
gathers and are never reported.`,
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
When the collection is validated to a small size before it gets here (\`Field(max_length=20)\` on
the request model, an explicit length check), or the callee bounds concurrency itself (a client
with a small connection limit and a queueing policy you rely on), suppress with a reason:
\`# interleave: ignore[unbounded-fanout] -- at most 20 items, validated by QuoteRequest\`. A length
check that rejects large inputs (\`if (skus.length > 20) return res.status(400)…\`) or a schema
with \`maxItems\` is not read either: suppress with
\`// interleave: ignore[unbounded-fanout] -- the schema caps skus at 20\`.`,
    },
  },
  check({ module, report }) {
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
          if (!requestSized(module, fn, elements, events) || bounded(module, fn, fanOut, elements, events) || !unboundedIo(module, fanOut.host, fanOut.work)) continue;
          report({
            message: message(module, fn, fanOut, elements, events),
            range: fanOut.site.range,
            related: [{ path: module.path, range: fanOut.collection, message: 'the collection the request sizes' }],
          });
          break;
        }
      }
    }
  },
};

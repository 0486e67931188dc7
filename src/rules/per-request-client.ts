import { reachedFrom } from '../core/contexts/describe';
import { contextModelOf } from '../core/contexts';
import { testedStateOf } from '../core/contexts/summary';
import { flowEvents } from '../core/dataflow';
import type { CallEvent, FunctionFacts, ModuleFacts, ValueHolder, ValueSource } from '../core/facts';
import { calleeNamesOf, callsOf, requestReach } from '../core/request-reach';
import type { Finding, ProjectFacts, Rule } from '../core/rule';
import type { Severity } from '../core/hazard';
import { excerpt } from '../core/source-excerpt';
import { RELEASE_METHODS, resourceCreatedBy, type ResourceKind } from './catalog/resources';
import { describeFunction } from './blocking/loop-calls';
import { runsOncePerProcess } from './catalog/tasks';
import { buildersFor, handedOut, localNamesOf, summarizeBuilders, type BuilderSummary, type ResolvedBuilder } from './lifespan/client-builders';
import { placementOf, type RunPlacement } from './lifespan/placement';

/** Stored in shared state (`app.state.http = …`, a module global): a lazily created singleton. */
function isKeptForLater(fn: Pick<FunctionFacts, 'flow'>, call: CallEvent): boolean {
  const holders = call.boundTo ?? [];
  if (holders.some((holder) => holder.kind !== 'local')) return true;
  const locals = holders.map((holder) => holder.key);
  return fn.flow.blocks.some((block) =>
    block.events.some((event) => event.kind === 'write' && event.value.locals.some((name) => locals.includes(name))),
  );
}

/**
 * `browser = await chromium.connect(url)` in code that runs again and again, with no test of
 * `browser` first (a lazy singleton has one) and no close of the one stored before: each call
 * replaces the global and leaks the client it held. Where how often it runs is unknown, only a
 * function that hands the global back (an accessor) is taken to be called again and again.
 */
function replacedGlobal(fn: FunctionFacts, call: CallEvent, placement: RunPlacement): ValueHolder | undefined {
  const global = (call.boundTo ?? []).find((holder) => holder.kind === 'shared' && holder.key === holder.text && /^[\w$]+$/.test(holder.key));
  if (!global || testedStateOf(fn.flow).has(global.key)) return undefined;
  const events = flowEvents(fn.flow);
  if (events.some((event) => event.kind === 'call' && event.receiver?.key === global.key && RELEASE_METHODS.has(event.text.slice(event.text.lastIndexOf('.') + 1)))) return undefined;
  if (placement.runs !== 'unknown') return global;
  const reads = new Set(events.flatMap((event) => (event.kind === 'read' && event.state.key === global.key ? [event.id] : [])));
  return events.some((event) => event.kind === 'return' && event.value.reads.some((read) => reads.has(read))) ? global : undefined;
}

/**
 * `self.get_client = lambda: AsyncOpenAI()`: a factory kept on the instance, which builds a new
 * client at each `self.get_client()`. It runs where those calls are: the first in its class that
 * runs per request, or on the loop with no known entry point.
 */
function storedLambdaCaller(project: ProjectFacts, module: ModuleFacts, lambda: FunctionFacts): { placement: RunPlacement; caller: FunctionFacts; where: string } | undefined {
  const line = module.source.split(/\r?\n/, lambda.range.start.line + 1)[lambda.range.start.line] ?? '';
  const attribute = /\bself\.(\w+)\s*(?::[^=]*)?=\s*$/.exec(line.slice(0, lambda.range.start.character))?.[1];
  const owner = module.functions.find((fn) => fn.id === lambda.parent)?.className;
  if (!attribute || !owner) return undefined;
  for (const caller of module.functions) {
    if (caller.className !== owner || !callsOf(caller).some((call) => call.text === `self.${attribute}`)) continue;
    const placement = placementOf(project, module, caller);
    if (placement && placement.runs !== 'once') return { placement, caller, where: `at each \`self.${attribute}()\`,` };
  }
  return undefined;
}

/** Given to another call as an argument (not a method called on it): that code may keep it. */
function isPassedOn(fn: FunctionFacts, call: CallEvent): boolean {
  const events = flowEvents(fn.flow);
  const locals = localNamesOf(call, events);
  return call.usage === 'argument' || events.some((event) => event.kind === 'call' && event.arguments?.some((argument) => locals.has(argument.key)) === true);
}

const REQUEST_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'ws_connect']);

/**
 * An HTTP client whose requests go to hosts the code names — a literal URL, its \`base_url\`, a
 * setting or a module constant (\`f"{settings.api_url}/x"\`, \`CARRIER_URLS[name]\`), also through
 * locals bound to one — rather than to whatever URL the function is handed (a webhook's callback,
 * a page to scrape), which would rarely reuse a shared pool's connections.
 */
function talksToNamedHosts(module: ModuleFacts, fn: FunctionFacts, call: CallEvent): boolean {
  if (/\bbase_url\s*=/.test(excerpt(module, call.range, Number.POSITIVE_INFINITY))) return true;
  const events = flowEvents(fn.flow);
  const clients = localNamesOf(call, events);
  const parameters = new Set(fn.params.map((parameter) => parameter.name).filter((name) => name !== 'self' && name !== 'cls'));
  const binds = new Map<string, string[]>();
  const lines = module.source.split(/\r?\n/);
  for (const event of events) {
    if (event.kind !== 'bind') continue;
    const line = lines[event.range.start.line]?.slice(event.range.end.character) ?? '';
    const value = /^\s*(?::[^=]*)?=(?!=)(.*)$/.exec(line)?.[1];
    binds.set(event.name, [...(binds.get(event.name) ?? []), value ?? '']);
  }
  const named = (url: string, seen: ReadonlySet<string>): boolean => {
    const text = url.trimStart().replace(/^await\s+/, '');
    // A value the line does not show: a loop variable, a `with … as` name.
    if (text === '') return false;
    if (/^[fF]?["'][^{]/.test(text)) return true;
    // A URL made by a call (`str(url)`, `validate(url)`) comes from what the call is given.
    const made = /^[A-Za-z_][\w.]*\(/.exec(text);
    if (made) return named(text.slice(made[0].length), seen);
    const head = /^(?:[fF]?["']\{)?([A-Za-z_]\w*)/.exec(text)?.[1];
    if (head === undefined || seen.has(head)) return true;
    if (parameters.has(head)) return false;
    const values = binds.get(head);
    return values === undefined || values.every((value) => named(value, new Set([...seen, head])));
  };
  const requests = events.filter(
    (event): event is CallEvent => event.kind === 'call' && event.receiver !== undefined && clients.has(event.receiver.key) && REQUEST_METHODS.has(event.text.slice(event.text.lastIndexOf('.') + 1)),
  );
  return (
    requests.length > 0 &&
    requests.every((request) => {
      const text = excerpt(module, request.range, Number.POSITIVE_INFINITY);
      const args = text.slice(text.indexOf('(') + 1);
      // `client.request("GET", url)`, `client.stream("GET", url)`: the URL follows the method.
      const method = request.text.slice(request.text.lastIndexOf('.') + 1);
      return named(method === 'request' || method === 'stream' ? args.replace(/^\s*["'][A-Za-z]+["']\s*,/, '') : args, new Set());
    })
  );
}

/**
 * Built from the connection settings or credentials the function is handed: an argument or the
 * receiver of the call flows from a parameter that carries them (`aws_config: AWSConfig`,
 * `storage_secrets`, `connection_string`), directly or through locals and the calls that made them
 * (`session.client("sts")` on a session made from the caller's secrets). Such a client may be
 * configured differently on every call — per tenant, per stored credential — so one shared
 * instance would not serve. A request parameter that only picks among the app's own settings
 * (`PROVIDERS[name]`) does not count.
 */
const CONFIGURATION_NAME = /(config|secrets?|credentials?|creds|connection_?string|dsn)$/i;
const CONFIGURATION_TYPE = /(Config|Secrets|Credentials)$/;

function configuredByCaller(fn: FunctionFacts, call: CallEvent): boolean {
  const parameters = new Set(fn.params.filter((parameter) => CONFIGURATION_NAME.test(parameter.name) || CONFIGURATION_TYPE.test(parameter.annotation ?? '')).map((parameter) => parameter.name));
  if (parameters.size === 0) return false;
  const events = flowEvents(fn.flow);
  const calls = new Map(events.flatMap((event) => (event.kind === 'call' ? [[event.id, event] as const] : [])));
  const binds = new Map<string, ValueSource[]>();
  for (const event of events) if (event.kind === 'bind') binds.set(event.name, [...(binds.get(event.name) ?? []), event.value]);
  const seenNames = new Set<string>();
  const seenCalls = new Set<number>();
  const handed = (source: ValueSource | undefined): boolean =>
    source !== undefined &&
    (source.locals.some((name) => {
      if (parameters.has(name)) return true;
      if (seenNames.has(name)) return false;
      seenNames.add(name);
      return (binds.get(name) ?? []).some(handed);
    }) ||
      (source.calls ?? []).some((id) => {
        if (seenCalls.has(id)) return false;
        seenCalls.add(id);
        return handed(calls.get(id)?.inputs);
      }));
  return handed(call.inputs);
}

/** Entered with `async with`/`with`, or closed in the function that built it: nothing leaks, only the handshakes are wasted. */
function isClosedWhereBuilt(fn: FunctionFacts, call: CallEvent, kind: ResourceKind): boolean {
  const events = flowEvents(fn.flow);
  const locals = localNamesOf(call, events);
  const closes = new Set(kind.closes.map((close) => close.method));
  return events.some(
    (event) =>
      (event.kind === 'context' && (event.call === call.id || (event.holder !== undefined && locals.has(event.holder.key)))) ||
      (event.kind === 'call' && event.receiver !== undefined && locals.has(event.receiver.key) && closes.has(event.text.slice(event.text.lastIndexOf('.') + 1))),
  );
}

/**
 * `engine or create_engine(url)`, `client ?? new Pool()`, `X() if fresh else shared`, `pool ??= new
 * Pool()`: built only when the value at hand is missing — not on every call.
 */
function isFallback(module: ModuleFacts, call: CallEvent): boolean {
  const lines = module.source.split(/\r?\n/, call.range.end.line + 1);
  const before = (lines[call.range.start.line] ?? '').slice(0, call.range.start.character);
  const after = (lines[call.range.end.line] ?? '').slice(call.range.end.character);
  if (/(\?\?|\|\|)=\s*(await\s+)?$/.test(before)) return true;
  if (call.usage !== 'other') return false;
  return /(\bor|\belse|\?\?|\|\||\?)\s*\(?\s*$/.test(before) || /^\s*\)?\s*(\bif\b|\bor\b|\?\?|\|\|)/.test(after);
}

/** What a call builds: a client of the catalog, or one made by a builder of the project. */
interface Creation {
  kind: ResourceKind;
  builder?: ResolvedBuilder;
}

/**
 * A builder whose calls are reported where they are made, not at the client it creates: a
 * constructor that stores the client on the instance, a builder of another module, or one the
 * module also uses to make its shared instance — the builder is fine, calling it per request is not.
 */
function reportedAtCalls(project: ProjectFacts, module: ModuleFacts, builder: ResolvedBuilder): boolean {
  if (builder.entry.how === 'instance' || builder.moduleName !== module.moduleName) return true;
  return alsoBuildsOnce(project, module, builder.moduleName, builder.entry.fn);
}

/** Called at import, at startup or memoised as well: it also makes a shared instance. */
function alsoBuildsOnce(project: ProjectFacts, module: ModuleFacts, moduleName: string, functionId: string): boolean {
  const { witnesses } = contextModelOf(project, module).contextsOf(moduleName, functionId);
  if (witnesses.some((witness) => witness.kind === 'import' || witness.kind === 'startup' || witness.kind === 'once-per-worker')) return true;
  return moduleName === module.moduleName && keptByACaller(module, functionId);
}

/** A call of the function in its own module keeps what it returns (`_cache = Wrapper(build())` under `if _cache is None`). */
function keptByACaller(module: ModuleFacts, functionId: string): boolean {
  const fn = module.functions.find((candidate) => candidate.id === functionId);
  if (!fn) return false;
  const names = new Set(calleeNamesOf(module, fn));
  const kept = (flow: FunctionFacts['flow'], call: CallEvent) => isKeptForLater({ flow }, call);
  if (callsOf({ flow: module.moduleFlow }).some((call) => call.callee !== undefined && names.has(call.callee) && (call.boundTo ?? []).length > 0)) return true;
  return module.functions.some((caller) => callsOf(caller).some((call) => call.callee !== undefined && names.has(call.callee) && kept(caller.flow, call)));
}

function where(module: ModuleFacts, fn: FunctionFacts, placement: Exclude<RunPlacement, { runs: 'once' }>): string {
  const named = module.language === 'python' ? `\`${fn.qualifiedName}\`` : describeFunction(fn, module.language);
  if (placement.runs === 'unknown') return `on every call of ${named} (which runs on the event loop; no entry point this analysis knows reaches it, so how often is not known)`;
  const { handler, witness } = placement;
  if (handler) {
    const role = (entry: FunctionFacts) =>
      module.language === 'python' ? `${entry.kind === 'dependency' ? 'dependency' : 'handler'} \`${entry.name}\`` : describeFunction(entry, module.language);
    return fn === handler ? `for every request in ${role(fn)}` : `for every request in \`${fn.name}\`, which ${role(handler)} calls`;
  }
  return `on every call of ${named}${reachedFrom(witness) || (witness ? `, which runs per request as \`${witness.entry.label.replace(/`/g, '')}\`` : '')}`;
}

/** What becomes of the client in the function that builds it. */
type Fate = 'closed' | 'handed-out' | 'dropped' | 'replaced';

function consequence(kind: ResourceKind, fate: Fate, global?: string): string {
  const sdk = kind.category === 'SDK client' ? 'SDK clients are costly to build (configuration, credentials, their own connection pool), and ' : '';
  if (fate === 'replaced') return `${sdk}it is stored in \`${global}\` over the one the previous call stored, which is never closed: every call leaks that one's connections`;
  if (fate === 'closed') return `${sdk}it is closed again at the end, so nothing leaks, but every call pays new connection (and TLS) handshakes and keep-alive never helps`;
  if (fate === 'handed-out') return `${sdk}each caller gets a new one: every call pays new connection handshakes, and each pool its caller drops keeps its sockets open until garbage collection`;
  return `${sdk}it is never closed: every call pays new connection handshakes, and each abandoned pool keeps its sockets open until garbage collection, so under load the process runs out of ports and file descriptors`;
}

/** Unsure how often it runs, or sure only of wasted handshakes: information. */
function severityOf(kind: ResourceKind, fate: Fate, placement: RunPlacement): Severity | undefined {
  if (placement.runs === 'unknown') return 'info';
  return fate === 'closed' && kind.category !== 'SDK client' ? 'info' : undefined;
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
as \`openai.AsyncOpenAI\`, \`anthropic.AsyncAnthropic\`, boto3 and Azure Storage clients —
constructed in code that runs per request: a request handler, a per-request dependency, a
background or scheduled job, and whatever they call, in any module of the project (the execution
context model names the chain from the route). Also when the client is used with \`async with\`:
nothing leaks then, so the finding is information. An HTTP client closed where it is built that
fetches whatever URL the function is handed or computes (a webhook's callback, a page to scrape)
rather than hosts the code names (a literal URL, a \`base_url\`, a setting, a module constant) is
reported only with \`preview = true\`: a shared pool would rarely reuse its connections, and on
real code these were one-off calls. So is a browser launched or connected to and closed again in
the same function (a check that the browser works), and so is a client built from the connection
settings or credentials its function is handed — a parameter named or typed as configuration,
secrets or credentials (\`aws_config: AWSConfig\`, \`storage_secrets\`, \`connection_string\`),
followed through locals: configured anew on every call, one shared instance would not serve.

A function or class of the project that builds a client and hands it over — \`def get_client():
return boto3.client("s3")\`, \`class Storage\` whose \`__init__\` makes one — is reported where it
is called per request when it is a constructor, lives in another module, or also makes the
module's shared instance (the builder is fine; calling it per request is not); otherwise at the
client it makes. A factory kept on the instance (\`self.get_client = lambda: AsyncOpenAI()\`) is
reported where \`self.get_client()\` is called. A client stored in a module global on every call,
over the one stored before and without closing it, is reported too. Coroutine functions no entry
point is known to reach get information, with \`preview = true\`, when they build a client and
drop it unclosed: the finding cannot name the route that runs them.

Per-request database *sessions* (\`SessionLocal()\`, \`AsyncSession(engine)\`, \`sessionmaker\`
products) are per request by design and are not reported, nor are dependencies cached with
\`@lru_cache\`, clients stored in shared state for later requests (\`if _client is None: _client =
…\`), clients built only when none is given (\`engine or create_engine(url)\`, \`pool ??= new
Pool()\`), nor code that runs once (at import, at startup, in a CLI command).

In TypeScript and JavaScript the pools are Node's — \`new Pool()\` from \`pg\`, \`new PrismaClient()\`,
ioredis and \`redis\` clients, \`MongoClient\`, MySQL pools, Knex, TypeORM data sources, undici
dispatchers, AWS SDK clients, Playwright and Puppeteer browsers — built in a route handler or
middleware, a NestJS provider method, or a function they call. Checking a connection out of a
shared pool (\`pool.connect()\`) is not reported, nor are clients created at startup (a Fastify
plugin, a provider's constructor) or kept for later (\`client ??= new Pool()\`, \`app.locals.redis
= …\`).`,
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
  summarize(module): { builders: BuilderSummary } {
    return { builders: summarizeBuilders(module) };
  },
  check({ module, project, config, report }) {
    const builders = buildersFor(project, module, 'IL302');
    const inModule = requestReach(module, runsOncePerProcess);
    for (const fn of module.functions) {
      if (runsOncePerProcess(fn)) continue;
      const stored = fn.isLambda ? storedLambdaCaller(project, module, fn) : undefined;
      const placement = stored?.placement ?? placementOf(project, module, fn, inModule.get(fn));
      if (!placement || placement.runs === 'once') continue;
      const found: FoundClient[] = [];
      for (const call of callsOf(fn)) {
        const creation = creationOf(project, module, call, builders);
        if (!creation || isFallback(module, call)) continue;
        const replaced = replacedGlobal(fn, call, placement);
        if (!replaced && isKeptForLater(fn, call)) continue;
        const out = handedOut(module, fn, call);
        // A constructor keeps it on the instance, and a builder hands it out: where they are called decides.
        if (out === 'instance') continue;
        if (out === 'returned' && ((placement.runs === 'per-call' && !placement.calledHere) || alsoBuildsOnce(project, module, module.moduleName, fn.id))) continue;
        const { kind, builder } = creation;
        const fate: Fate = replaced ? 'replaced' : isClosedWhereBuilt(fn, call, kind) ? 'closed' : out ? 'handed-out' : 'dropped';
        // Closed where it is built, or handed to other code that may keep it (`R.setup(knex(config))`),
        // by code that may run once or rarely: too little to report.
        if (placement.runs === 'unknown' && (fate === 'closed' || isPassedOn(fn, call))) continue;
        // No entry point is known to reach it: on real code such functions were as often never
        // called by the server as called per request, and the finding cannot name its route (preview).
        if (placement.runs === 'unknown' && !config.preview) continue;
        // Closed where it is built: a browser launched to run one check, or an HTTP client sent to
        // whatever URL it is handed, would gain little from being shared (preview).
        if (fate === 'closed' && !config.preview && (kind.category === 'browser' || (kind.category === 'HTTP client' && !talksToNamedHosts(module, fn, call)))) continue;
        // Configured by the settings or credentials the caller hands it: one shared client
        // would not serve every call; on real code these were judged wrong to report (preview).
        if (!config.preview && configuredByCaller(fn, call)) continue;
        const shown = excerpt(module, call.range);
        const built = builder
          ? `builds a new ${kind.label.replace(/^an? /, '')} each time (\`${builder.created.text}\` at ${builder.created.path.replace(/^.*[\\/]/, '')}:${builder.created.line + 1}${builder.chain.length > 1 ? `, through \`${builder.chain.slice(1).join('` → `')}\`` : ''})`
          : `builds ${kind.label} — ${kind.category === 'browser' ? 'a browser process or connection' : 'a connection pool'} —`;
        const remedy =
          module.language === 'python'
            ? 'Create it once in the lifespan, keep it on `app.state`, and hand it out with a dependency.'
            : 'Create it once, when a module loads or at startup, and share that instance: import it (or inject it) wherever a handler needs it.';
        const handler = placement.runs === 'per-call' ? placement.handler : undefined;
        const finding: Finding = {
          message: `\`${shown}\` ${built} ${stored ? `${stored.where} ` : ''}${where(module, stored?.caller ?? fn, placement)}: ${consequence(kind, fate, replaced?.text)}. ${remedy}`,
          range: call.range,
          severity: severityOf(kind, fate, placement),
          related: [
            ...(handler && handler !== fn ? [{ path: module.path, range: handler.nameRange, message: `\`${handler.name}\` runs per request` }] : []),
            ...(builder ? [{ path: builder.created.path, range: lineRange(builder.created.line), message: `\`${builder.created.text}\` creates ${kind.label} here` }] : []),
          ],
        };
        found.push({ finding, kind, call });
      }
      for (const finding of oneFindingPerKind(module, found)) report(finding);
    }
  },
};

interface FoundClient {
  finding: Finding;
  kind: ResourceKind;
  call: CallEvent;
}

/**
 * The branches of one function that each build the same kind of client (`if azure: AsyncAzureOpenAI(…)
 * else: AsyncOpenAI(…)`) are one finding, at the first, with the others as related locations.
 */
function oneFindingPerKind(module: ModuleFacts, found: readonly FoundClient[]): Finding[] {
  const byKind = new Map<ResourceKind, FoundClient[]>();
  for (const entry of found) byKind.set(entry.kind, [...(byKind.get(entry.kind) ?? []), entry]);
  return [...byKind.values()].map(([first, ...others]) => ({
    ...first!.finding,
    severity: others.some((other) => other.finding.severity === undefined) ? undefined : first!.finding.severity,
    related: [
      ...(first!.finding.related ?? []),
      ...others.map(({ call }) => ({ path: module.path, range: call.range, message: `\`${excerpt(module, call.range)}\` builds another one here` })),
    ],
  }));
}

function lineRange(line: number) {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

function creationOf(project: ProjectFacts, module: ModuleFacts, call: CallEvent, builders: ReturnType<typeof buildersFor>): Creation | undefined {
  const kind = resourceCreatedBy(call.callee);
  if (kind) {
    if (!kind.pooled) return undefined;
    if (kind.sharedPoolKeyword && new RegExp(`\\b${kind.sharedPoolKeyword}\\s*=`).test(excerpt(module, call.range, Number.POSITIVE_INFINITY))) return undefined;
    return { kind };
  }
  const builder = builders(call.callee);
  return builder?.kind.pooled && reportedAtCalls(project, module, builder) ? { kind: builder.kind, builder } : undefined;
}

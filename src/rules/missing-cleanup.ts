import { contextModelOf, type ContextModel } from '../core/contexts';
import { witnessChain } from '../core/contexts/describe';
import { isLazyInitialisation, testedStateOf } from '../core/contexts/summary';
import { flowEvents } from '../core/dataflow';
import type { CallEvent, FlowGraph, FunctionFacts, ModuleFacts, ValueHolder } from '../core/facts';
import type { Fix } from '../core/hazard';
import { isConstructor, requestReach } from '../core/request-reach';
import { projectIndex } from '../core/project-index';
import type { FixBuilder, MethodCallStatement, ProjectFacts, Rule } from '../core/rule';
import { excerpt } from '../core/source-excerpt';
import { RELEASE_METHODS, resourceCreatedBy, type CloseCall, type ResourceKind } from './catalog/resources';
import { buildersFor, summarizeBuilders, type BuilderLookup, type BuilderSummary } from './lifespan/client-builders';
import { placementOf } from './lifespan/placement';
import { storyStep } from './story-steps';

/**
 * Where a resource is opened: once per process, so it must be closed once at shutdown. `once` is
 * any other function that runs once per process: a singleton's constructor, a lazy initialiser,
 * a function only startup reaches; `why` says so in the message.
 */
type Origin =
  | { kind: 'lifespan' | 'startup'; fn: FunctionFacts; entry: FunctionFacts }
  | { kind: 'module' }
  | { kind: 'once'; fn: FunctionFacts; why: string };

interface OpenedResource {
  kind: ResourceKind;
  /** How it is released: the catalog kind's calls, or the methods of the wrapper class that built it. */
  closes: readonly CloseCall[];
  call: CallEvent;
  origin: Origin;
  /** Every name the resource is reachable by: where it was stored and the names it was copied to. */
  holders: ValueHolder[];
}

/** One release another module performs: a qualified callee or a holder's key with the method, and the module-level function it is in. */
interface Release {
  name: string;
  fn?: { id: string; name: string };
}

/** What other modules need to know: the releases this module performs, the names it calls or passes on, the builders it defines. */
interface ReleaseSummary {
  releases: Release[];
  referenced: string[];
  builders: BuilderSummary;
}

const STACK_ENTRY = /\.(enter_async_context|enter_context)$/;
const APPLICATION_PARAMETER = /^_?(app|application)$/;
const SETUP_KINDS = new Set(['lifespan', 'startup'] as const);

function methodOf(call: CallEvent): string {
  return call.text.slice(call.text.lastIndexOf('.') + 1);
}

/**
 * Lifespans the framework registration names, plus `@asynccontextmanager` functions that take
 * the application: a lifespan imported into the module that creates the app is defined elsewhere.
 */
function isLifespan(fn: FunctionFacts): boolean {
  if (fn.kind === 'lifespan') return true;
  if (!fn.isAsync || !fn.decorators.includes('contextlib.asynccontextmanager')) return false;
  const first = fn.params[0];
  return first !== undefined && (APPLICATION_PARAMETER.test(first.name) || /(FastAPI|Starlette|Application)$/.test(first.annotation ?? ''));
}

/** State keys as holders spell them (one quote style). */
function canonicalKey(key: string): string {
  return key.replace(/'/g, '"');
}

/** The holders a created resource is stored in, followed through plain copies within its function. */
function holdersOf(call: CallEvent, flow: FlowGraph | undefined): ValueHolder[] {
  const holders = [...(call.boundTo ?? [])];
  if (!flow) return holders;
  const events = flowEvents(flow);
  for (let index = 0; index < holders.length; index++) {
    const holder = holders[index]!;
    if (holder.kind !== 'local') continue;
    for (const event of events) {
      if (event.kind === 'write' && event.op === 'assign' && !event.value.computed && event.value.locals.includes(holder.key)) {
        const key = canonicalKey(event.state.key);
        if (!holders.some((known) => known.key === key)) holders.push({ key, text: event.state.text, kind: 'shared' });
      } else if (event.kind === 'bind' && !event.value.computed && event.value.locals.includes(holder.key)) {
        if (!holders.some((known) => known.key === event.name)) holders.push({ key: event.name, text: event.name, kind: 'local' });
      }
    }
  }
  return holders;
}

/** What a call opens: a resource of the catalog, or one a builder of the project makes (a wrapper class, a factory). */
function openedBy(call: CallEvent, builders: BuilderLookup): { kind: ResourceKind; closes: readonly CloseCall[] } | undefined {
  const kind = resourceCreatedBy(call.callee);
  if (kind) return { kind, closes: kind.closes };
  const builder = builders(call.callee);
  if (!builder) return undefined;
  if (builder.entry.how === 'returned') return { kind: builder.kind, closes: builder.kind.closes };
  // A wrapper is closed by its own methods; one with none is closed by nothing here.
  const closes = (builder.entry.releasedBy ?? []).map((method) => ({ method, awaited: true }));
  return closes.length > 0 ? { kind: builder.kind, closes } : undefined;
}

/** Resources opened in lifespans, startup hooks (and what they call), at module level, and in code that runs once per process. */
function openedResources(module: ModuleFacts, project: ProjectFacts, builders: BuilderLookup): OpenedResource[] {
  const setup = new Map<FunctionFacts, FunctionFacts>();
  for (const fn of module.functions) if (isLifespan(fn)) setup.set(fn, fn);
  for (const [fn, entry] of requestReach(module, undefined, SETUP_KINDS)) if (!setup.has(fn)) setup.set(fn, entry);
  const opened: OpenedResource[] = [];
  for (const [fn, entry] of setup) {
    for (const event of flowEvents(fn.flow)) {
      const made = event.kind === 'call' ? openedBy(event, builders) : undefined;
      if (!made || event.kind !== 'call') continue;
      const holders = holdersOf(event, fn.flow);
      // A helper's local may be returned to its caller (no event says so): follow only what it stores in shared state.
      if (fn !== entry && !holders.some((holder) => holder.kind === 'shared')) continue;
      opened.push({ ...made, call: event, origin: { kind: isLifespan(entry) ? 'lifespan' : 'startup', fn, entry }, holders });
    }
  }
  for (const fn of module.functions) {
    if (setup.has(fn) || fn.kind !== 'plain') continue;
    const tested = testedStateOf(fn.flow);
    let placement: ReturnType<typeof placementOf> | null = null;
    for (const event of flowEvents(fn.flow)) {
      const made = event.kind === 'call' ? openedBy(event, builders) : undefined;
      if (!made?.kind.leaksAtModuleLevel || event.kind !== 'call') continue;
      const holders = holdersOf(event, fn.flow);
      if (!holders.some((holder) => holder.kind !== 'local')) continue;
      if (placement === null) placement = placementOf(project, module, fn);
      const why = isLazyInitialisation(event, tested)
        ? `the first time \`${fn.qualifiedName}\` runs (later calls find it set)`
        : placement?.runs === 'once'
          ? `in \`${fn.qualifiedName}\`, which runs once per process (${witnessChain(placement.witness)})`
          : undefined;
      if (why) opened.push({ ...made, call: event, origin: { kind: 'once', fn, why }, holders });
    }
  }
  for (const event of flowEvents(module.moduleFlow)) {
    const made = event.kind === 'call' ? openedBy(event, builders) : undefined;
    if (!made?.kind.leaksAtModuleLevel || event.kind !== 'call') continue;
    opened.push({ ...made, call: event, origin: { kind: 'module' }, holders: holdersOf(event, undefined) });
  }
  return opened;
}

/** Calls that make an object around what they are given and own it no more than the caller did. */
const BORROWERS = /^(sqlalchemy\.orm\.(sessionmaker|scoped_session|Session)|sqlalchemy\.ext\.asyncio\.(async_sessionmaker|AsyncSession|async_scoped_session)|sqlmodel\.(Session|ext\.asyncio\.session\.AsyncSession))$/;

/**
 * Whether a call that is given the resource borrows it: a session factory, or an object built
 * around it (`DockerMonitor(docker)`, `AsyncAnthropic(http_client=client)`) whose class closes
 * nothing of its own. A function it is handed to may keep and close it: that is a handover.
 */
function borrows(call: CallEvent, model: ContextModel, closers: ReadonlySet<string>): boolean {
  if (call.callee && BORROWERS.test(call.callee)) return true;
  const name = call.text.slice(call.text.lastIndexOf('.') + 1);
  if (!/^[A-Z]/.test(name)) return false;
  const constructor = call.callee ? model.functionCalled(call.callee) : undefined;
  return !constructor || !closers.has(`${constructor.moduleName}#${constructor.functionId}`);
}

/** Entered as a context manager or on an exit stack, handed to other code, or never stored: not ours to close. */
function isManagedOrHandedOver(resource: OpenedResource, flow: FlowGraph, lend: (call: CallEvent) => boolean): boolean {
  const { call, holders } = resource;
  if (call.usage === 'argument' || call.usage === 'returned') return true;
  if (call.argumentOf && STACK_ENTRY.test(call.argumentOf.text)) return true;
  if (holders.length === 0) return call.usage !== 'statement' && !isYieldedAsState(call, flow);
  const keys = new Set(holders.map((holder) => holder.key));
  return flowEvents(flow).some(
    (event) =>
      (event.kind === 'context' && (event.call === call.id || (event.holder !== undefined && keys.has(event.holder.key)))) ||
      (event.kind === 'call' && event.arguments?.some((argument) => keys.has(argument.key)) === true && !lend(event)),
  );
}

/** `yield {"http": httpx.AsyncClient()}`: handed to the framework as lifespan state, which closes nothing. */
function isYieldedAsState(call: CallEvent, flow: FlowGraph): boolean {
  const { start } = call.statement.range;
  return flowEvents(flow).some(
    (event) => event.kind === 'await' && event.form === 'yield' && event.statement.range.start.line === start.line && event.statement.range.start.character === start.character,
  );
}

/** A method that may release what it is called on: the catalog's close methods, and names like `close_all` or `shutdown`. */
function isReleaseName(method: string): boolean {
  return RELEASE_METHODS.has(method) || /close|shutdown|dispose|cleanup|teardown|disconnect/i.test(method);
}

/** `self.client` kept by a constructor is closed by `server.client.aclose()` elsewhere: the attribute and the method. */
function attributeRelease(key: string, method: string): string | undefined {
  const attribute = /\.(\w+)$/.exec(key)?.[1];
  return attribute ? `*.${attribute}.${method}` : undefined;
}

/** Whether some code releases the resource: a close call, a registered close callback, a context entry — in code that runs. */
function isReleased(resource: OpenedResource, module: ModuleFacts, project: ProjectFacts, live: Liveness): boolean {
  const closeMethods = new Set(resource.closes.map((close) => close.method));
  const shared = resource.holders.filter((holder) => holder.kind !== 'local').map((holder) => holder.key);
  const local = resource.origin.kind === 'module' ? [] : resource.holders.filter((holder) => holder.kind === 'local').map((holder) => holder.key);
  const releases = (flow: FlowGraph, keys: readonly string[]) =>
    flowEvents(flow).some(
      (event) =>
        (event.kind === 'call' && event.receiver !== undefined && keys.includes(event.receiver.key) && closeMethods.has(methodOf(event))) ||
        (event.kind === 'call' && event.arguments?.some((argument) => keys.some((key) => [...closeMethods].some((method) => argument.key === `${key}.${method}`))) === true) ||
        (event.kind === 'context' && event.holder !== undefined && keys.includes(event.holder.key)),
    );
  if (resource.origin.kind !== 'module' && resource.origin.kind !== 'once' && releases(resource.origin.fn.flow, [...local, ...shared])) return true;
  const running = module.functions.filter((fn) => fn === ('fn' in resource.origin ? resource.origin.fn : undefined) || live.runs(module.moduleName, fn, module));
  if (shared.length > 0 && [module.moduleFlow, ...running.map((fn) => fn.flow)].some((flow) => releases(flow, shared))) return true;
  if (closesThroughAlias(running, closeMethods, shared)) return true;
  // `self.http` of a class is closed elsewhere as `mailer.http.aclose()`, typed `app.clients.Mailer().http.aclose`.
  const owner = 'fn' in resource.origin ? resource.origin.fn.className : undefined;
  const instance = resource.holders.filter((holder) => holder.kind === 'instance' || /^(self|this)\./.test(holder.text)).map((holder) => holder.key);
  const attributes = new Set(instance.map((key) => key.slice(key.lastIndexOf('.') + 1)));
  if (owner && closedByOwnClass(module, owner, attributes, closeMethods)) return true;
  const typed = owner ? [...attributes].flatMap((attribute) => [...closeMethods].map((method) => `${module.moduleName}.${owner}().${attribute}.${method}`)) : [];
  const qualified = new Set([
    ...shared.flatMap((key) => [...closeMethods].flatMap((method) => [`${key}.${method}`, `${module.moduleName}.${key}.${method}`])),
    ...typed,
    ...instance.flatMap((key) => [...closeMethods].flatMap((method) => attributeRelease(key, method) ?? [])),
  ]);
  const released = projectIndex(project, 'IL301:releases', () => projectReleases(project, live));
  return [...qualified].some((release) => released.has(release));
}

/** A method of the class (or of a base class in the module) closes `self.client`: whoever calls it closes the resource. */
function closedByOwnClass(module: ModuleFacts, owner: string, attributes: ReadonlySet<string>, closeMethods: ReadonlySet<string>): boolean {
  const lineage = new Set([owner]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const info of module.classes) {
      if (!lineage.has(info.name)) continue;
      for (const base of info.bases) {
        const name = base.slice(base.lastIndexOf('.') + 1);
        if (!lineage.has(name) && module.classes.some((known) => known.name === name)) {
          lineage.add(name);
          grew = true;
        }
      }
    }
  }
  return module.functions.some(
    (fn) =>
      fn.className !== undefined &&
      lineage.has(fn.className) &&
      !isConstructor(fn) &&
      flowEvents(fn.flow).some((event) => {
        if (event.kind !== 'call' || !closeMethods.has(methodOf(event))) return false;
        const attribute = /^(?:self|this)\.([\w$]+)$/.exec(event.receiver?.text ?? '')?.[1];
        return attribute !== undefined && attributes.has(attribute);
      }),
  );
}

/**
 * Which functions can run: those the context model places, and those some code of the project
 * calls or passes on by name. A close function nothing calls (`close_db()` written for a shutdown
 * that never calls it) closes nothing. Methods and nested functions count as running: frameworks
 * and base classes call them in ways this rule does not follow.
 */
class Liveness {
  private readonly referenced: ReadonlySet<string>;

  constructor(
    project: ProjectFacts,
    module: ModuleFacts,
    private readonly model: ContextModel,
  ) {
    this.referenced = projectIndex(project, 'IL301:referenced', () => {
      const names = new Set<string>();
      for (const summary of project.summaries?.get('IL301')?.values() ?? []) if (isSummary(summary)) for (const name of summary.referenced) names.add(name);
      return names;
    });
    if (!project.summaries?.get('IL301')?.has(module.moduleName)) this.referenced = new Set([...this.referenced, ...referencedNames(module)]);
  }

  /** A function of the module being checked, or one another module's summary names as possibly dead. */
  runs(moduleName: string, fn: { id: string; name: string }, module?: ModuleFacts): boolean {
    if (module && 'flow' in fn && !mayBeDead(module, fn as FunctionFacts)) return true;
    return this.referenced.has(fn.name) || this.model.contextsOf(moduleName, fn.id).witnesses.length > 0;
  }
}

/**
 * A named module-level function the framework does not call itself, whose name its module writes
 * only where it defines it (not in a list of handlers, a dict, a registration): the only kind
 * whose callers this rule can count.
 */
function mayBeDead(module: ModuleFacts, fn: FunctionFacts): boolean {
  if (fn.kind !== 'plain' || fn.className || fn.parent || fn.isLambda || fn.passedTo || fn.name === '<anonymous>' || isLifespan(fn)) return false;
  return (module.source.match(new RegExp(`(?<![\\w$])${fn.name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g')) ?? []).length === 1;
}

/** The names a module calls or passes on as a value: the last segment of each (`close_db`, `shutdown`). */
function referencedNames(module: ModuleFacts): Set<string> {
  const names = new Set<string>();
  for (const flow of [module.moduleFlow, ...module.functions.map((fn) => fn.flow)]) for (const name of namesReferencedIn(flow)) names.add(name);
  // Imported by name elsewhere, it may be used there in ways that are not calls.
  for (const fact of module.imports) names.add(lastSegment(fact.target));
  return names;
}

/** The names one flow graph's calls make or pass on, in order; once per graph, which the language server keeps while its function is unchanged. */
function namesReferencedIn(flow: FlowGraph): readonly string[] {
  let names = namesByFlow.get(flow);
  if (!names) {
    const calls = flowEvents(flow).filter((event) => event.kind === 'call');
    const texts = calls.flatMap((call) => [call.text, ...(call.arguments ?? []).map((argument) => argument.text), ...(call.functionArguments ?? []).map((argument) => argument.text)]);
    namesByFlow.set(flow, (names = [...new Set(texts.map(lastSegment))]));
  }
  return names;
}

const namesByFlow = new WeakMap<FlowGraph, readonly string[]>();

function lastSegment(text: string): string {
  return text.slice(text.lastIndexOf('.') + 1);
}

/** What every module closes in code that runs, from the summaries: built once per project, not once per resource. */
function projectReleases(project: ProjectFacts, live: Liveness): Set<string> {
  const releases = new Set<string>();
  for (const [moduleName, summary] of project.summaries?.get('IL301') ?? []) {
    if (!isSummary(summary)) continue;
    for (const release of summary.releases) if (!release.fn || live.runs(moduleName, release.fn)) releases.add(release.name);
  }
  return releases;
}

/**
 * A function that reads the resource's holder and closes something through a local this rule
 * cannot follow (`for client in (app.state.a, app.state.b): await client.aclose()`) may be
 * closing this resource: stay silent.
 */
function closesThroughAlias(functions: readonly FunctionFacts[], closeMethods: ReadonlySet<string>, sharedKeys: readonly string[]): boolean {
  if (sharedKeys.length === 0) return false;
  return functions.some((fn) => {
    const events = flowEvents(fn.flow);
    const readsHolder = events.some((event) => event.kind === 'read' && sharedKeys.includes(canonicalKey(event.state.key)));
    return readsHolder && events.some((event) => event.kind === 'call' && closeMethods.has(methodOf(event)) && event.receiver?.kind === 'local');
  });
}

function isSummary(value: unknown): value is ReleaseSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as ReleaseSummary).releases) && Array.isArray((value as ReleaseSummary).referenced);
}

/** Constructors (by `module#id`) of classes with a method that releases an attribute: built around a client, they own it. */
function projectClosers(project: ProjectFacts, module: ModuleFacts): Set<string> {
  const collect = (moduleName: string, summary: BuilderSummary, into: Set<string>) => {
    for (const entry of summary.closers ?? []) into.add(`${moduleName}#${entry}`);
  };
  const stored = project.summaries?.get('IL301');
  const closers = projectIndex(project, 'IL301:closers', () => {
    const all = new Set<string>();
    for (const [moduleName, summary] of stored ?? []) if (isSummary(summary)) collect(moduleName, summary.builders, all);
    return all;
  });
  if (stored?.has(module.moduleName)) return closers;
  const own = new Set(closers);
  collect(module.moduleName, summarizeBuilders(module), own);
  return own;
}

/** A close after the lifespan's `yield` (safe when it is a plain statement of the body), or at the end of a shutdown hook. */
function closeFix(resource: OpenedResource, module: ModuleFacts, fixes: FixBuilder): Fix | undefined {
  const close = resource.closes[0]!;
  const { origin } = resource;
  if (origin.kind === 'module' || origin.kind === 'once') return undefined;
  const holder = resource.holders.find((candidate) => candidate.kind === 'local') ?? resource.holders[0];
  if (!holder) return undefined;
  const statement: MethodCallStatement = { receiver: holder.text, method: close.method, awaited: close.awaited };
  const shown = `${close.awaited ? 'await ' : ''}${holder.text}.${close.method}()`;
  if (isLifespan(origin.fn)) {
    const yields = flowEvents(origin.fn.flow).filter((event) => event.kind === 'await' && event.form === 'yield');
    const only = yields.length === 1 ? yields[0] : undefined;
    if (!only || only.kind !== 'await' || !only.text.startsWith('yield')) return undefined;
    if (only.statement.range.start.line !== only.range.start.line || only.statement.range.start.character !== only.range.start.character) return undefined;
    const edits = fixes.insertAfter(only.statement, [statement]);
    if (!edits) return undefined;
    const plain = only.statement.suites.length === 1;
    return { applicability: plain ? 'safe' : 'unsafe', message: `Close it after the \`yield\`: \`${shown}\``, edits };
  }
  if (holder.kind !== 'shared') return undefined;
  const shutdown = module.functions.find((fn) => fn.kind === 'shutdown' && !fn.isLambda && (fn.isAsync || !close.awaited));
  const edits = shutdown ? fixes.appendToFunction(shutdown, [statement]) : undefined;
  return edits && shutdown ? { applicability: 'safe', message: `Close it in the shutdown hook \`${shutdown.name}\`: \`${shown}\``, edits } : undefined;
}

function describeOrigin(origin: Origin): string {
  if (origin.kind === 'module') return 'at import time';
  if (origin.kind === 'once') return origin.why;
  const entry = `the ${origin.kind === 'lifespan' ? 'lifespan' : 'startup hook'} \`${origin.entry.name}\``;
  return origin.fn === origin.entry ? `in ${entry}` : `in \`${origin.fn.name}\` (called by ${entry})`;
}

/** What a Python app does instead: open it around the lifespan's `yield`, or close it at shutdown. */
function pythonRemedy(origin: Origin, closeCall: string | undefined): string {
  if (!closeCall) return 'Open it with `async with` around the `yield` (or on an `AsyncExitStack`) and hand out the opened object.';
  return {
    module: `Open it in a lifespan instead (\`async with\` around the \`yield\`), or close it at shutdown with \`${closeCall}\`.`,
    once: `Close it at shutdown — \`${closeCall}\` after the lifespan's \`yield\` or in a shutdown hook — or open it in the lifespan and hand it out from there.`,
    lifespan: `Open it with \`async with\` around the \`yield\` (or on an \`AsyncExitStack\`), or call \`${closeCall}\` after the \`yield\`.`,
    startup: `Call \`${closeCall}\` in a shutdown hook, or move startup and shutdown into a lifespan that opens it with \`async with\` around the \`yield\`.`,
  }[origin.kind];
}

/** What a Node app does instead: close the client on the shutdown path it has. */
function nodeRemedy(closeCall: string | undefined): string {
  const close = closeCall ?? 'await client.close()';
  return `Close it on the way out — in a \`process.on('SIGTERM', async () => { ${close}; })\` handler, in \`server.close()\`'s callback, or in a NestJS \`onModuleDestroy\` — so that shutdown lets in-flight queries finish and tests and reloads do not leak it.`;
}

export const missingCleanup: Rule = {
  meta: {
    code: 'IL301',
    name: 'missing-cleanup',
    family: 'lifespan',
    defaultSeverity: 'warning',
    summary: 'A client, pool, engine, executor or file opened at startup or import time is never closed.',
    languages: ['python', 'typescript'],
    fix: 'sometimes',
    docs: {
      whatItDoes: `
Finds resources that hold sockets, connection pools, threads or file handles — \`httpx\` and
\`aiohttp\` clients, SQLAlchemy engines, \`asyncpg\` pools, Redis, Motor, Kafka, RabbitMQ and gRPC
clients, SDK clients, executors, files — opened once per process and released nowhere: in a
lifespan, in a startup hook (or a function they call), at module level for async clients, in the
constructor of a singleton built at import or at startup, in a lazy initialiser (\`if _client is
None: _client = …\`), or in any function the execution context model places only at import or
startup. It also follows the project's own builders: a factory that returns a client, and a
wrapper class whose constructor opens one and whose own method (\`close()\`) releases it — a
wrapper kept as a singleton whose close method nobody calls is reported where it is built.

By default only resources opened in a lifespan or a startup hook (or a function they call) are
reported; those opened at import, in a singleton's constructor, lazily or otherwise once per
process — and so every TypeScript finding — need \`preview = true\`. On the real-code evaluation
11 of the 15 judged findings of that kind were right but of little value: a pool that lives as
long as the process is reclaimed at its exit.

Released means: entered with \`async with\`/\`with\` or on an \`AsyncExitStack\`, closed after the
\`yield\` or in a \`finally\`, closed in a shutdown hook, registered as a close callback
(\`atexit\`, \`on_cleanup\`), or closed in another module of the project — by code that runs: a
close function nothing calls or registers (\`close_db()\` written for a shutdown that never calls
it) does not count. A resource handed to code that may own it (a function it is passed to, a
class with a close method of its own, a return value) is that code's to close; a session factory
or an object merely built around it (\`async_sessionmaker(engine)\`, \`Monitor(client)\`) is not.
Module-level synchronous SQLAlchemy engines — the FastAPI tutorial pattern — are not reported.

In TypeScript and JavaScript it reports pools and clients created when a module loads — \`pg\`
pools and clients, \`PrismaClient\`, ioredis and \`redis\` clients, \`MongoClient\`, MySQL pools,
Knex, Sequelize, TypeORM data sources, undici dispatchers, Elasticsearch clients, BullMQ queues —
that the shutdown path the app has never closes: nothing calls their close method
(\`pool.end()\`, \`prisma.$disconnect()\`, \`redis.quit()\`, \`dataSource.destroy()\`) in a
\`SIGTERM\` handler, a \`server.close\` callback, a Fastify \`onClose\` hook, a NestJS
\`onModuleDestroy\`, or any other function of the project that runs.`,
      whyIsThisBad: `
What is opened once per process must be closed once per process. Left open, every reload in
development, every test that starts the app, and every graceful shutdown leaks the pool's
sockets and file descriptors; async clients warn "Unclosed client session" or fail with "Event
loop is closed" when garbage-collected after the loop is gone; buffered writes and queued
messages (Kafka producers, files) are lost at shutdown. The classic symptom is "Too many open
files" after a day of hot reloads or test runs.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.http = httpx.AsyncClient(timeout=10)
    yield


app = FastAPI(lifespan=lifespan)
`,
          good: `
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with httpx.AsyncClient(timeout=10) as http:
        app.state.http = http
        yield


app = FastAPI(lifespan=lifespan)
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.get('/orders', async (req, res) => {
  const { rows } = await pool.query('select * from orders');
  res.json(rows);
});

app.listen(3000);
`,
          good: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.get('/orders', async (req, res) => {
  const { rows } = await pool.query('select * from orders');
  res.json(rows);
});

const server = app.listen(3000);
process.on('SIGTERM', () => {
  server.close(async () => {
    await pool.end();
  });
});
`,
        },
      ],
      fixSafety: `
In a lifespan the fix inserts the close call (\`await app.state.http.aclose()\`) right after the
\`yield\`. It is **safe** when the \`yield\` is a plain statement of the lifespan's body, and
**unsafe** when it is nested (inside \`try\`, \`with\` or \`if\`), where the close may belong in a
\`finally\`. For a startup hook the close is appended to the app's shutdown hook (safe). Resources
opened at import time get no fix: move them into a lifespan. Neither do TypeScript's: where to
close depends on how the server shuts down.`,
      whenNotToUse: `
When the resource is closed by code this rule cannot follow (a helper that closes everything in a
registry), suppress on the creation line with a reason:
\`# interleave: ignore[missing-cleanup] -- closed by Registry.close_all()\`.`,
    },
  },
  summarize(module): ReleaseSummary {
    const releases = new Map<string, Release>();
    const add = (name: string, fn: FunctionFacts | undefined) => {
      const known = releases.get(name);
      // Released anywhere that surely runs: that release is the one to keep.
      if (known && !known.fn) return;
      releases.set(name, fn && mayBeDead(module, fn) ? { name, fn: { id: fn.id, name: fn.name } } : { name });
    };
    for (const [fn, flow] of [[undefined, module.moduleFlow] as const, ...module.functions.map((fn) => [fn, fn.flow] as const)]) {
      for (const event of flowEvents(flow)) {
        if (event.kind !== 'call' || !isReleaseName(methodOf(event))) continue;
        if (event.callee) add(event.callee, fn);
        if (event.receiver?.kind === 'shared') add(`${event.receiver.key}.${methodOf(event)}`, fn);
        // Of a receiver whose type is unknown, only the attribute and the method say what it closes.
        const attribute = !event.callee && event.receiver && event.receiver.kind !== 'local' ? attributeRelease(event.receiver.key, methodOf(event)) : undefined;
        if (attribute) add(attribute, fn);
      }
    }
    return { releases: [...releases.values()], referenced: [...referencedNames(module)], builders: summarizeBuilders(module) };
  },
  check({ module, project, config, fixes, report }) {
    const model = contextModelOf(project, module);
    const builders = buildersFor(project, module, 'IL301');
    const closers = projectClosers(project, module);
    const live = new Liveness(project, module, model);
    const lend = (call: CallEvent) => borrows(call, model, closers);
    for (const resource of openedResources(module, project, builders)) {
      const flow = resource.origin.kind === 'module' ? module.moduleFlow : resource.origin.fn.flow;
      // Opened at import or once per process, the resource lives as long as the process: on real
      // code leaving it to the exit was judged of little value more often than not (preview).
      if ((resource.origin.kind === 'module' || resource.origin.kind === 'once') && !config.preview) continue;
      if (isManagedOrHandedOver(resource, flow, lend) || isReleased(resource, module, project, live)) continue;
      const { kind, call, origin } = resource;
      const close = resource.closes[0]!;
      const stored = resource.holders.find((holder) => holder.kind !== 'local') ?? resource.holders[0];
      const where = stored ? `, kept in \`${stored.text}\`,` : '';
      const closeCall = stored && `${close.awaited ? 'await ' : ''}${stored.text}.${close.method}()`;
      const owner = origin.kind === 'once' && stored && /^(self|this)\./.test(stored.text) ? origin.fn.className : undefined;
      const remedy = owner
        ? `Give \`${owner}\` a method that calls \`${closeCall}\`, and call it at shutdown (${module.language === 'python' ? "after the lifespan's `yield` or in a shutdown hook" : "in a `SIGTERM` handler or a NestJS `onModuleDestroy`"}).`
        : module.language === 'python'
          ? pythonRemedy(origin, closeCall)
          : nodeRemedy(closeCall);
      const shown = excerpt(module, call.range);
      const label = shown.startsWith(kind.label) ? '' : ` (${kind.label})`;
      const opened = module.language === 'python' || origin.kind === 'once' ? describeOrigin(origin) : 'when its module loads';
      report({
        message: `\`${shown}\`${label} is opened ${opened}${where} and never closed: every reload, test run and shutdown leaks its ${kind.category === 'file' ? 'file handle' : 'connections and file descriptors'}. ${remedy}`,
        range: call.range,
        fix: closeFix(resource, module, fixes),
        story: { kind: 'missing-cleanup', opened: storyStep(module, call.range, call.statement), close: closeCall ?? `${close.method}()` },
      });
    }
  },
};

import { flowEvents } from '../dataflow';
import type { CallEvent, FlowGraph, FunctionFacts, Language, ModuleFacts, Range } from '../facts';
import { ENTRY_CLASSES, ENTRY_DECORATORS, MODEL_VALIDATORS, edgeOf, fileRoleOf, shadowedRole, type EdgeKind, type FileRole } from './catalog';
import type { ContextKind } from './kinds';
import { atOrBefore, rangeWithin } from '../positions';
import { resolvableClasses } from '../project-resolver';

/**
 * What one module tells the execution-context model: its functions with the entry points they
 * are and the calls they make, its import-time calls, and the names other modules resolve through
 * it. JSON-serialisable: it crosses worker threads and is kept per file by the language server.
 */
export interface ContextSummary {
  path: string;
  moduleName: string;
  language: Language;
  /** Set when the file's path says it is not part of the server (tests, migrations, scripts, browser code). */
  role?: FileRole;
  functions: ContextFunction[];
  /** Calls made when the module is imported. */
  importCalls: ContextCall[];
  /** Calls made only when the file runs as a program (`if __name__ == "__main__":`). */
  mainCalls: ContextCall[];
  /** Names the module imports: `send_mail` → `app.services.mailer.send_mail`. */
  imports: Record<string, string>;
  /** Modules it imports every name of. */
  starImports?: string[];
  /** Module-level names bound to instances: `mailer` → `app.mail.Mailer()`. */
  instances: Record<string, string>;
  /** Classes by name: their qualified bases and what their instances' attributes hold. */
  classes: Record<string, { bases: string[]; attributes?: Record<string, string> }>;
  /** Script files it runs on worker threads, by the path written (`build/workers/hash.js`). */
  workerScripts?: NonNullable<ModuleFacts['workerScripts']>;
}

export interface ContextFunction {
  /** Unique in the module: the frontend's function id (`Mailer.send@12`). */
  id: string;
  /** As the user names it and calls resolve to it: `send_mail`, `Mailer.send`, `outer.inner`. */
  name: string;
  /** The enclosing function's id, for nested functions and lambdas. */
  parent?: string;
  isAsync: boolean;
  nameRange: Range;
  /** The contexts the framework (or a decorator, or the file's role) starts this function in. */
  entries: { kind: ContextKind; label: string; contained?: boolean; parsesRequest?: boolean }[];
  /** Memoised with no arguments (`@lru_cache def get_client()`): its body runs once per worker. */
  runsOnce?: boolean;
  /** For a callback written as an argument: how the call it is handed to runs it. */
  passedTo?: EdgeKind;
  /** A lifespan: its calls before the `yield` run at startup, those after it at shutdown. */
  lifespan?: boolean;
  /** The qualified type its return annotation names: what calls on its result resolve through. */
  returns?: string;
  /** A `@property`: reading the attribute runs it. */
  property?: boolean;
  /** A Pydantic validator: it runs whenever its class's models are built. */
  validator?: boolean;
  calls: ContextCall[];
}

export interface ContextCall {
  /** The qualified name the call (or the function reference) resolves by, when known. */
  callee?: string;
  /** As written. */
  text: string;
  range: Range;
  edge: EdgeKind;
  /** In a lifespan, after its `yield`: it runs at shutdown. */
  afterYield?: boolean;
  /** For a `route` edge: the path it registers, as written (`/scrape/listings`). */
  route?: string;
}

export const MEMO_DECORATORS = /^(functools\.(lru_cache|cache)|cachetools\.(cached|func\.\w+)|async_lru\.alru_cache)$/;
const STATIC = /(^|\.)staticmethod$/;
const PROPERTIES = /^((builtins\.)?property|functools\.cached_property)$/;

export function summarizeContexts(module: ModuleFacts, root?: string): ContextSummary {
  const role = shadowedRole(module.moduleName) ?? fileRoleOf(module.language, placeOf(module, root), module.source);
  const classBases = new Map(module.classes.map((info) => [info.name, info.bases]));
  const moduleInputs = JSON.stringify([module.language, role ?? null, module.frameworks.includes('fastapi'), module.devOnly ?? null]);
  const functions = module.functions.map((fn) => {
    const bases = classBases.get(fn.className ?? '') ?? [];
    const inputs = `${moduleInputs}\0${JSON.stringify(bases)}`;
    const kept = summariesByFunction.get(fn);
    if (kept?.inputs === inputs) return kept.summary;
    const summary = functionSummary(module, fn, role, bases);
    summariesByFunction.set(fn, { inputs, summary });
    return summary;
  });
  const guards = module.mainGuards ?? [];
  const importCalls: ContextCall[] = [];
  const mainCalls: ContextCall[] = [];
  for (const call of servedCalls(module, contextCalls(module.moduleFlow))) (guards.some((guard) => rangeWithin(call.range, guard)) ? mainCalls : importCalls).push(call);
  const instances: Record<string, string> = {};
  for (const state of module.state) if (state.scope === 'module' && state.valueKind?.endsWith('()')) instances[state.root] = state.valueKind;
  for (const [name, item] of Object.entries(module.tableItems ?? {})) instances[`${name}[]`] = item.type;
  const imports: Record<string, string> = {};
  for (const fact of module.imports) imports[fact.local] = fact.target;
  return {
    path: module.path,
    moduleName: module.moduleName,
    language: module.language,
    ...(role && { role }),
    functions,
    importCalls,
    mainCalls,
    imports,
    ...(module.starImports && { starImports: module.starImports }),
    instances,
    classes: resolvableClasses(module),
    ...(module.workerScripts && { workerScripts: module.workerScripts }),
  };
}

/**
 * A function's summary, by its facts and what of its module the summary reads besides them (the
 * language, the file's role, its class's bases, whether the module uses FastAPI, its
 * development-only blocks). Facts never change once built, and the language server keeps an
 * unchanged function's facts keystroke after keystroke: its summary is made once.
 */
const summariesByFunction = new WeakMap<FunctionFacts, { inputs: string; summary: ContextFunction }>();

/**
 * Where a module sits in the project, in its language's module-name style: the path from the
 * project's root when it is known (so `migrations/versions/0001.py`, outside any package, is
 * still under `migrations`), else the module name.
 */
function placeOf(module: ModuleFacts, root: string | undefined): string {
  const path = module.path.split('\\').join('/');
  const base = root?.split('\\').join('/').replace(/\/+$/, '');
  if (!base || !path.startsWith(`${base}/`)) return module.moduleName;
  const relative = path.slice(base.length + 1).replace(/\.[^./]+$/, '');
  return module.language === 'python' ? relative.split('/').join('.') : relative;
}

function functionSummary(module: ModuleFacts, fn: FunctionFacts, role: FileRole | undefined, bases: readonly string[]): ContextFunction {
  const parameters = fn.className && !fn.decorators.some((decorator) => STATIC.test(decorator)) ? fn.params.slice(1) : fn.params;
  const passedTo = fn.passedTo ? edgeOf(fn.passedTo.callee, fn.passedTo.text) : undefined;
  return {
    id: fn.id,
    name: fn.qualifiedName,
    ...(fn.parent && { parent: fn.parent }),
    isAsync: fn.isAsync,
    nameRange: fn.nameRange,
    entries:
      (fn.kind === 'route' || fn.kind === 'websocket') && developmentOnly(module, fn.passedTo?.range)
        ? [{ kind: 'not-served', label: 'route registered only in development' }]
        : entriesOf(module.language, fn, role, bases),
    ...(parameters.length === 0 && fn.decorators.some((decorator) => MEMO_DECORATORS.test(decorator)) && { runsOnce: true }),
    ...(passedTo && { passedTo }),
    ...(fn.kind === 'lifespan' && { lifespan: true }),
    ...(fn.returns && { returns: fn.returns }),
    ...(fn.decorators.some((decorator) => PROPERTIES.test(decorator)) && { property: true }),
    ...(fn.decorators.some((decorator) => MODEL_VALIDATORS.test(decorator)) && { validator: true }),
    calls: [...servedCalls(module, fn.kind === 'lifespan' ? markShutdown(fn, contextCalls(fn.flow)) : contextCalls(fn.flow)), ...parsedParameters(module, fn, parameters)],
  };
}

/**
 * The models FastAPI would build from the request if the function is a handler or dependency, one
 * per parameter typed with a class (`user: UserCreate`): their validators run on the loop before
 * the handler does. The model follows them only from a function that is itself the entry point,
 * since a route may be registered by a call elsewhere (`router.post("/register")(register_user)`);
 * only a module that uses FastAPI can register one, so no other module's summary carries them.
 */
function parsedParameters(module: ModuleFacts, fn: FunctionFacts, parameters: FunctionFacts['params']): ContextCall[] {
  if (!module.frameworks.includes('fastapi') || fn.parent || fn.isLambda) return [];
  return parameters.flatMap(({ annotation, range }) =>
    annotation && !NOT_MODELS.test(annotation) ? [{ callee: annotation, text: lastName(annotation), range, edge: 'validates' as const }] : [],
  );
}

/** Annotations that never name a model of the project: builtins, typing, and the frameworks' own types. */
const NOT_MODELS = /^(builtins|typing|typing_extensions|collections|datetime|decimal|uuid|enum|pathlib|fastapi|starlette|sqlalchemy|sqlmodel|pydantic|aiohttp)\./;

function lastName(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

/** How the framework names a route: `POST /orders/{id}`, `websocket /ws`, else the handler. */
function routeLabel(fn: FunctionFacts): string {
  const path = fn.routePath !== undefined ? ` ${fn.routePath}` : '';
  if (fn.kind === 'websocket') return path ? `websocket${path}` : `websocket handler \`${fn.qualifiedName}\``;
  const methods = fn.httpMethods?.join('/') ?? '';
  return methods || path ? `${methods || 'route'}${path}` : `handler \`${fn.qualifiedName}\``;
}

function entriesOf(language: Language, fn: FunctionFacts, role: FileRole | undefined, bases: readonly string[]): ContextFunction['entries'] {
  const entries: ContextFunction['entries'] = [];
  const perRequest: ContextKind = fn.execution === 'threadpool' ? 'request-threadpool' : 'request-loop';
  switch (fn.kind) {
    case 'route':
    case 'websocket':
      entries.push({ kind: perRequest, label: routeLabel(fn), parsesRequest: true });
      break;
    case 'dependency':
      entries.push({ kind: perRequest, label: `dependency \`${fn.qualifiedName}\``, parsesRequest: true });
      break;
    case 'lifespan':
      entries.push({ kind: 'startup', label: `lifespan \`${fn.qualifiedName}\`` }, { kind: 'shutdown', label: `lifespan \`${fn.qualifiedName}\`` });
      break;
    case 'startup':
    case 'shutdown':
      entries.push({ kind: fn.kind, label: `${fn.kind} hook \`${fn.qualifiedName}\`` });
      break;
    case 'background':
      entries.push({ kind: fn.execution === 'threadpool' ? 'request-threadpool' : 'background-loop', label: `background task \`${fn.qualifiedName}\`` });
      break;
    case 'plain':
      break;
  }
  for (const decorator of fn.decorators) {
    const known = ENTRY_DECORATORS.find((entry) => entry.pattern.test(decorator));
    if (known) entries.push({ kind: fn.isAsync || !known.syncKind ? known.kind : known.syncKind, label: known.label.replace('{name}', fn.qualifiedName), ...(known.contained && { contained: true }) });
  }
  if (fn.className && !fn.parent) {
    for (const known of ENTRY_CLASSES) {
      if (!known.method.test(fn.name) || !bases.some((base) => known.base.test(base))) continue;
      entries.push({ kind: known.kind, label: known.label.replace('{class}', fn.className).replace('{method}', fn.name), ...(known.contained && { contained: true }) });
    }
  }
  // The module's own code calls it where it is written, once, as the module loads: at startup.
  if (fn.invokedAtLoad) entries.push({ kind: 'startup', label: 'top-level code, called as the module loads' });
  // Node runs timers and listeners on its one loop, whoever registered them.
  else if (language === 'typescript' && fn.kind === 'plain' && fn.execution === 'event-loop' && !fn.isAsync && !fn.passedTo && !fn.parent) {
    entries.push({ kind: 'background-loop', label: `callback \`${fn.qualifiedName}\`` });
  }
  if (role && !fn.parent) entries.push({ kind: role.kind, label: role.label, ...(role.contained && { contained: true }) });
  // Code of a file the server never runs (browser code, tests, migrations) serves nothing: a
  // browser's `socket.onmessage` or a test app's route is no request handler of the service.
  return role?.kind === 'not-served' ? entries.filter((entry) => entry.kind === 'not-served') : entries;
}

/**
 * The calls a flow graph makes, each once, with how each runs its callee: a coroutine handed to
 * `create_task`, a function handed to `to_thread`, a lazily initialised singleton (`if _client is
 * None: _client = Client()` runs once per worker), or inline.
 */
function contextCalls(flow: FlowGraph): ContextCall[] {
  let calls = callsByFlow.get(flow);
  if (!calls) callsByFlow.set(flow, (calls = flowCalls(flow)));
  return calls;
}

/** A flow graph never changes once built; the language server reuses unchanged functions' graphs keystroke after keystroke. */
const callsByFlow = new WeakMap<FlowGraph, ContextCall[]>();

function flowCalls(flow: FlowGraph): ContextCall[] {
  const events = flowEvents(flow);
  const lazy = lazyInitialisations(flow);
  const calls = new Map<string, ContextCall>();
  const add = (call: ContextCall) => {
    const key = `${call.range.start.line}:${call.range.start.character} ${call.text}`;
    if (!calls.has(key)) calls.set(key, call);
  };
  for (const event of events) {
    if (event.kind !== 'call') continue;
    const own = edgeOf(event.callee, event.text);
    const route = own === 'route' ? (event.literalArguments?.find((argument) => argument.position === 0 || argument.keyword === 'path')?.value.replace(/^['"]|['"]$/g, '') ?? decoratorPath(event.text)) : undefined;
    for (const argument of own ? (event.functionArguments ?? []) : []) add({ ...argument, range: event.range, edge: own!, ...(route && { route }) });
    const outer = event.argumentOf ? edgeOf(event.argumentOf.callee, event.argumentOf.text) : undefined;
    add({ ...(event.callee && { callee: event.callee }), text: event.text, range: event.range, edge: outer ?? (lazy.has(event.id) ? 'memo' : 'inline') });
  }
  return [...calls.values()];
}

/** Whether a place lies in a block that runs only in development (`if (isDev) { … }`). */
function developmentOnly(module: ModuleFacts, range: Range | undefined): boolean {
  return range !== undefined && (module.devOnly ?? []).some((block) => rangeWithin(range, block));
}

/** A function's calls, without the routes it registers only in development: those serve no request in production. */
function servedCalls(module: ModuleFacts, calls: ContextCall[]): ContextCall[] {
  return module.devOnly ? calls.filter((call) => call.edge !== 'route' || !developmentOnly(module, call.range)) : calls;
}

/** The method and path of a route decorator applied by hand, from the call's text: `router.post("/register")` → `POST /register`. */
function decoratorPath(text: string): string | undefined {
  const match = /\.(get|post|put|patch|delete|head|options|websocket)\(\s*(['"])([^'"]*)\2/.exec(text);
  return match ? `${match[1] === 'websocket' ? 'websocket' : match[1]!.toUpperCase()} ${match[3]}` : undefined;
}

/** A lifespan's calls after its `yield`, which run at shutdown. */
function markShutdown(fn: FunctionFacts, calls: ContextCall[]): ContextCall[] {
  const yieldAt = yieldPosition(fn);
  return yieldAt ? calls.map((call) => (atOrBefore(yieldAt, call.range.start) ? { ...call, afterYield: true } : call)) : calls;
}

/** Where a lifespan's (first) `yield` is: what runs after it runs at shutdown. */
export function yieldPosition(fn: FunctionFacts): Range['start'] | undefined {
  for (const block of fn.flow.blocks) for (const event of block.events) if (event.kind === 'await' && event.form === 'yield') return event.range.end;
  return undefined;
}

/** The state keys a flow graph's branches test: `_client` in `if _client is None:`. */
export function testedStateOf(flow: FlowGraph): ReadonlySet<string> {
  let tested = testedStateByFlow.get(flow);
  if (!tested) testedStateByFlow.set(flow, (tested = collectTestedState(flow)));
  return tested;
}

/** Asked of each function by the summaries and several rules; a flow graph never changes once built. */
const testedStateByFlow = new WeakMap<FlowGraph, ReadonlySet<string>>();

function collectTestedState(flow: FlowGraph): Set<string> {
  const events = flowEvents(flow);
  const testedState = new Set<string>();
  const readKeys = new Map<number, string>();
  for (const event of events) if (event.kind === 'read') readKeys.set(event.id, event.state.key);
  for (const event of events) {
    if (event.kind === 'branch') for (const read of event.value.reads) testedState.add(readKeys.get(read) ?? '');
  }
  return testedState;
}

/** `_client = Client()` under a test of `_client`: it runs the first time, and later calls find it set. */
export function isLazyInitialisation(call: CallEvent, testedState: ReadonlySet<string>): boolean {
  return (call.boundTo ?? []).some((holder) => holder.kind === 'shared' && testedState.has(holder.key));
}

/**
 * Calls (by id) that initialise shared state lazily: `_client = Client()` where the function tests
 * `_client` (`if _client is None:`) — it runs the first time, and later calls find it set.
 */
export function lazyInitialisations(flow: FlowGraph): Set<number> {
  const tested = testedStateOf(flow);
  const lazy = new Set<number>();
  for (const event of flowEvents(flow)) if (event.kind === 'call' && isLazyInitialisation(event, tested)) lazy.add(event.id);
  return lazy;
}


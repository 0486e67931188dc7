import { createHash } from 'node:crypto';
import { flowEvents } from './dataflow';
import type { CallEvent, FunctionFacts, LiteralArgument, ModuleFacts, Range } from './facts';
import { lazyInitialisations } from './contexts/summary';
import { namedSmallFile } from './fixed-files';
import { overInMemoryFile } from './in-memory-files';
import { resolvableClasses, type ResolvableFunction } from './project-resolver';

/**
 * The call graph of one module, as other modules' checks need it: its top-level functions and
 * methods with the sync calls they make, the instances it creates at module level, the names it
 * imports and its classes. The blocking rules search it for chains of sync calls from async code
 * to a call that holds the loop (IL202, IL203).
 *
 * Summaries keep every call with a known callee, not only blocking ones: which calls block depends
 * on the user's `blocking-calls` setting, which the check applies, so a summary stays valid when the
 * setting changes.
 */

export interface CallGraphSummary {
  path: string;
  /** A digest of the module's text: a check of the same text can use this summary as it is. */
  digest: string;
  /** Top-level functions and methods by qualified name: `send_mail`, `Mailer.send`. */
  functions: Record<string, FunctionSummary>;
  /** Module-level names bound to instances: `mailer` → `app.mail.Mailer()`, with where. */
  instances: Record<string, { type: string; range: Range }>;
  /** Names the module imports, which it re-exports: `send_mail` → `app.services.mailer.send_mail`. */
  imports: Record<string, string>;
  /** Modules it imports every name of. */
  starImports?: string[];
  /** Classes by name: their qualified bases (where inherited methods are found) and attribute types. */
  classes: Record<string, { bases: string[]; attributes?: Record<string, string> }>;
  /** Module names bound to tables with fixed string keys, with the keys. */
  constantKeys?: Record<string, string[]>;
}

export interface FunctionSummary extends ResolvableFunction {
  isAsync: boolean;
  /** Cached with no parameters (`@lru_cache def load_settings()`): its body runs once per process. */
  runsOnce: boolean;
  decorators: string[];
  /** The calls its body makes, for sync functions. */
  calls: SummaryCall[];
  /** Its first statement returns, before any call, when an argument is a key of a table. */
  exitsEarly?: EarlyExit;
}

/**
 * A guard clause at the top of a function: `if key in PROMPTS: return PROMPTS[key]`. A call that
 * passes one of the table's fixed keys (`get_text("chat")`) makes only the calls of the arm that
 * returns.
 */
export interface EarlyExit {
  parameter: string;
  /** Its index among the arguments a call passes (after `self`). */
  position: number;
  /** The table as the function's module names it: `PROMPTS`, or an imported name. */
  table: string;
  /** The calls of the arm that returns (`PROMPTS[key].strip()`). */
  calls: SummaryCall[];
}

export interface SummaryCall {
  callee: string;
  text: string;
  range: Range;
  literalArguments?: LiteralArgument[];
  /** The call works on an in-memory file (`json.load(io.StringIO(text))`): file readers do no I/O there. */
  inMemoryFile?: true;
  /**
   * The call opens, reads or writes a small file the code names itself (`open(PROMPTS / (name +
   * ".txt"))`, fixed-files.ts), the same on every call that passes these parameters as literals.
   */
  smallFile?: { parameters: ParameterSlot[] };
}

/** A parameter as a call passes it: by name, or at this index among the arguments (after `self`). */
export interface ParameterSlot {
  name: string;
  position: number;
}

const CACHES = /^(functools\.(lru_cache|cache)|cachetools\.(cached|func\.\w+))$/;
const PROPERTIES = /^((builtins\.)?property|functools\.cached_property)$/;

export function summarizeFunction(fn: FunctionFacts): FunctionSummary {
  let summary = functionSummaries.get(fn);
  if (!summary) functionSummaries.set(fn, (summary = functionSummaryOf(fn)));
  return summary;
}

/** Facts never change once built, and the language server reuses unchanged functions' facts from one keystroke to the next. */
const functionSummaries = new WeakMap<FunctionFacts, FunctionSummary>();

function functionSummaryOf(fn: FunctionFacts): FunctionSummary {
  const parameters = fn.className && fn.decorators.every((d) => !d.endsWith('staticmethod')) ? fn.params.slice(1) : fn.params;
  const lazy = lazyInitialisations(fn.flow);
  const summaryCall = (call: CallEvent): SummaryCall[] => {
    const { id, callee, text, range, literalArguments } = call;
    if (!callee || lazy.has(id)) return [];
    return [
      {
        callee,
        text,
        range,
        ...(literalArguments && { literalArguments }),
        ...(overInMemoryFile(fn, call) && { inMemoryFile: true as const }),
        ...smallFileOf(fn, call, parameters),
      },
    ];
  };
  return {
    isAsync: fn.isAsync,
    runsOnce: parameters.length === 0 && fn.decorators.some((decorator) => CACHES.test(decorator)),
    decorators: fn.decorators,
    ...(fn.returns && { returns: fn.returns }),
    ...(fn.decorators.some((decorator) => PROPERTIES.test(decorator)) && { property: true }),
    ...(!fn.isAsync && earlyExitOf(fn, parameters, summaryCall)),
    // A lazily initialised singleton (`if _client is None: _client = Client()`) is built once per worker, not per call.
    calls: fn.isAsync ? [] : synchronousCalls(fn).flatMap(summaryCall),
  };
}

function smallFileOf(fn: FunctionFacts, call: CallEvent, parameters: readonly { name: string }[]): Pick<SummaryCall, 'smallFile'> {
  const named = namedSmallFile(fn, call);
  if (!named) return {};
  return { smallFile: { parameters: named.parameters.map((name) => ({ name, position: parameters.findIndex((parameter) => parameter.name === name) })) } };
}

/**
 * The guard clause `if <parameter> in <table>: return …` when it is what the function does first
 * (no call runs before the test), with the calls of the arm that returns.
 */
function earlyExitOf(fn: FunctionFacts, parameters: readonly { name: string }[], summaryCall: (call: CallEvent) => SummaryCall[]): { exitsEarly?: EarlyExit } {
  const entry = fn.flow.blocks[fn.flow.entry];
  const test = entry?.events.find((event) => event.kind === 'branch' || event.kind === 'call');
  if (!entry || test?.kind !== 'branch' || test.test !== 'membership' || test.guard?.by !== 'return') return {};
  if (test.presentWhen !== test.guard.exitsWhen || test.value.locals.length !== 1 || test.value.reads.length !== 1) return {};
  const parameter = test.value.locals[0]!;
  const position = parameters.findIndex(({ name }) => name === parameter);
  const read = entry.events.find((event) => event.kind === 'read' && event.id === test.value.reads[0]);
  if (position < 0 || read?.kind !== 'read' || read.state.scope !== 'module' || read.state.key !== `${read.state.root}[${parameter}]`) return {};
  const leaving = entry.next.find((edge) => edge.branch?.id === test.id && edge.branch.taken === test.guard!.exitsWhen);
  const arm = leaving && fn.flow.blocks[leaving.to];
  if (!arm?.events.some((event) => event.kind === 'return')) return {};
  const armCalls = new Set(arm.events.flatMap((event) => (event.kind === 'call' ? [event.id] : [])));
  const calls = synchronousCalls(fn).filter((call) => armCalls.has(call.id)).flatMap(summaryCall);
  return { exitsEarly: { parameter, position, table: read.state.root, calls } };
}

export function summarizeCallGraph(module: ModuleFacts): CallGraphSummary {
  const functions: Record<string, FunctionSummary> = {};
  for (const fn of module.functions) {
    if (!fn.parent && !fn.isLambda) functions[fn.qualifiedName] = summarizeFunction(fn);
  }
  const instances: CallGraphSummary['instances'] = {};
  for (const state of module.state) {
    if (state.scope === 'module' && state.valueKind?.endsWith('()')) instances[state.root] = { type: state.valueKind, range: state.range };
  }
  // An item of a table of instances (`S3_SERVICES[kind].upload()`) is named `S3_SERVICES[]` by the modules that use it.
  for (const [name, item] of Object.entries(module.tableItems ?? {})) instances[`${name}[]`] = item;
  const imports: Record<string, string> = {};
  for (const fact of module.imports) imports[fact.local] = fact.target;
  return { path: module.path, digest: digestOf(module.source), functions, instances, imports, ...(module.starImports && { starImports: module.starImports }), classes: resolvableClasses(module), ...(module.constantKeys && { constantKeys: module.constantKeys }) };
}

/** A short digest of a module's text, to tell whether a summary was made from it. */
export function digestOf(source: string): string {
  return createHash('sha1').update(source).digest('base64');
}

/**
 * The calls a function makes in its own body that run to completion before it continues: in
 * source order, each once (a `finally` body appears on several paths of the flow graph). An awaited
 * call returns an awaitable, and the manager of an `async with` is entered by awaiting, so neither
 * is the call that blocks.
 */
export function synchronousCalls(fn: FunctionFacts): CallEvent[] {
  return ownCalls(fn).flatMap(({ call, awaited }) => (awaited ? [] : [call]));
}

export interface OwnCall {
  call: CallEvent;
  awaited: boolean;
  /** The call makes the manager of a (sync) `with` statement, which enters it at once. */
  entered: boolean;
}

/** Every call of a function's own body, each once and in source order, and whether it is awaited. */
export function ownCalls(fn: FunctionFacts): readonly OwnCall[] {
  let calls = ownCallsByFunction.get(fn);
  if (!calls) ownCallsByFunction.set(fn, (calls = listOwnCalls(fn)));
  return calls;
}

/** Asked by several rules of every function; facts never change once built, and the language server reuses unchanged functions' facts. */
const ownCallsByFunction = new WeakMap<FunctionFacts, readonly OwnCall[]>();

function listOwnCalls(fn: FunctionFacts): OwnCall[] {
  const events = flowEvents(fn.flow);
  const managers = (form: 'with' | 'async-with') => new Set(events.flatMap((event) => (event.kind === 'context' && event.form === form && event.call !== undefined ? [event.call] : [])));
  const asyncContexts = managers('async-with');
  const syncContexts = managers('with');
  const calls = new Map<string, OwnCall>();
  for (const event of events) {
    if (event.kind !== 'call') continue;
    const { start, end } = event.range;
    const key = `${start.line}:${start.character}-${end.line}:${end.character}`;
    if (!calls.has(key)) calls.set(key, { call: event, awaited: event.usage === 'awaited' || asyncContexts.has(event.id), entered: syncContexts.has(event.id) });
  }
  return [...calls.values()].sort((a, b) => a.call.range.start.line - b.call.range.start.line || a.call.range.start.character - b.call.range.start.character);
}

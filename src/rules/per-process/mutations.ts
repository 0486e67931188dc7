/**
 * How IL103 (per-process-state) sees a mutation of module state: which functions make it and in
 * what context (per request, in the background, or only at setup, as the execution-context model
 * tells), and whether a copy per process is harmless anyway — a memo filling itself, or the
 * process's own connections, locks, tasks and clients. Mutations of another module's state are
 * summarised where they are made and collected where the state is defined.
 */
import { calleeIndex, reachableFunctions } from '../../core/call-graph';
import { contextModelOf, type Witness } from '../../core/contexts';
import { flowEvents } from '../../core/dataflow';
import type { FunctionFacts, ModuleFacts, Range, ReadEvent, StateRef, WriteEvent } from '../../core/facts';
import { projectIndex } from '../../core/project-index';
import { keysOverlap, mayMemoise, writeSources } from '../../core/race-analysis';
import { isConstructor } from '../../core/request-reach';
import { sourceLines } from '../../core/source-lines';
import type { ProjectFacts, RuleContext } from '../../core/rule';
import { eventsById, originCalls, valueOrigins } from '../../core/value-origins';
import { makesLiveValue } from '../catalog/live-values';
import { spawnsTask } from '../catalog/tasks';

/** What a write does to the state, as far as a copy per process is concerned. */
export interface WriteTraits {
  /** A fill after a presence test, of a value not computed from the state: a memo. */
  memo: boolean;
  /** The value kept is the process's own: a connection, a lock, a task, a client. */
  live: boolean;
  /** It removes or clears: what it removes is whatever the process put there. */
  removes: boolean;
  /**
   * The whole state replaced by what an awaited call fetched (`_flags = await store.fetch_all()`):
   * a refreshed copy of a store that every worker polls, not state the workers split.
   */
  snapshot: boolean;
}

/** A mutation of the state from a context that runs alongside requests. */
export interface Mutation extends WriteTraits {
  path: string;
  range: Range;
  /** How messages name who mutates: `` `login` ``, `the POST handler`. */
  by: string;
  /** The context the model places the mutating function in; unset when the rule fell back on the code. */
  witness?: Witness;
  /** Set for mutations in the module checked, for the explainer's story. */
  write?: WriteEvent;
}

/** A write to another module's state, as its module summarises it. */
export interface ForeignWrite extends WriteTraits {
  /** The state, qualified, as the defining module may name it: `khoj.utils.state.query_cache`, then `khoj.utils.state`. */
  targets: string[];
  /** The writing function's id and how messages name it. */
  fn: string;
  by: string;
  /** The function is a handler, dependency or background task by its own decorators. */
  handler: boolean;
  range: Range;
}

export interface ForeignWriteSummary {
  writes: ForeignWrite[];
}

const REQUEST_KINDS = new Set(['route', 'websocket', 'dependency', 'background']);
const CONCURRENT_KINDS = new Set(['request-loop', 'request-threadpool', 'background-loop', 'worker-thread']);
const REMOVING = new Set(['discard', 'remove', 'pop', 'popitem', 'clear', 'delete', 'shift', 'splice', 'popleft']);
/** What the process alone can hold: locks, events and queues of asyncio and threading, mutexes. */
const PROCESS_PRIMITIVE = /(^|\.)(Lock|RLock|Event|Condition|Semaphore|BoundedSemaphore|Queue|LifoQueue|PriorityQueue|Mutex|AbortController)$/;
/** Parameters that hand a handler its connection: `websocket: WebSocket`, `socket`, `ws`. */
const CONNECTION_TYPE = /(WebSocket|Socket|Connection|Channel)(\(\))?$/;
const CONNECTION_NAME = /^(ws|websocket|socket|sock|conn|connection|peer)$/i;

/** `\`login\``, or for an anonymous handler what it serves: `the POST handler`. */
export function mutatorName(fn: FunctionFacts): string {
  if (fn.name !== '<anonymous>') return `\`${fn.name}\``;
  return fn.httpMethods ? `the ${fn.httpMethods.join('/')} handler` : 'a handler';
}

/** A binary arithmetic operator between operands: `a + b`, `n * 2`. */
const ARITHMETIC = /[\w)\]]\s+[-+*/%]\s+[\w(]/;

/** The text of a write's statement after its `=`, or the whole statement. */
function assignedText(module: ModuleFacts, write: WriteEvent): string {
  const { start, end } = write.statement.range;
  const text = sourceLines(module).slice(start.line, end.line + 1).join('\n');
  const equals = /[^=!<>]=(?!=)/.exec(text);
  return equals ? text.slice(equals.index + 2) : text;
}

/** What a write does, for deciding whether copies per process matter. */
export function traitsOf(module: ModuleFacts, fn: FunctionFacts, write: WriteEvent): WriteTraits {
  const removes = write.op === 'delete' || (write.op === 'mutate' && REMOVING.has(write.method ?? ''));
  return { memo: !removes && isMemoFill(fn, write), live: !removes && holdsLiveValue(module, fn, write), removes, snapshot: !removes && isSnapshot(fn, write) };
}

function isSnapshot(fn: FunctionFacts, write: WriteEvent): boolean {
  if (write.op !== 'assign' || write.state.key !== write.state.root) return false;
  const origins = valueOrigins(fn).get(write)?.value;
  return origins !== undefined && originCalls(origins, eventsById(fn)).some((call) => call.usage === 'awaited');
}

/**
 * A write that fills in what its function first looked up and found missing, with a value not
 * computed from that lookup, in a function that may memoise (not a POST handler): `if k not in
 * D: D[k] = load(k)`, `D.get(k)` then `D[k] = …`, `if not self.user_id: self.user_id = …`.
 */
function isMemoFill(fn: FunctionFacts, write: WriteEvent): boolean {
  if (!mayMemoise(fn)) return false;
  const item = write.op === 'assign' && write.state.key.endsWith(']');
  const inserts = write.op === 'assign' || (write.op === 'mutate' && (write.method === 'setdefault' || write.method === 'update' || write.method === 'set'));
  if (!inserts) return false;
  const container = item ? write.state.key.slice(0, write.state.key.lastIndexOf('[')) : write.state.key;
  const events = flowEvents(fn.flow);
  const reads = new Map(events.flatMap((event) => (event.kind === 'read' ? [[event.id, event] as const] : [])));
  const lookups: ReadEvent[] = [];
  for (const event of events) {
    if (event.kind === 'read' && item && (event.access === 'membership' || event.access === 'lookup') && event.state.key.startsWith(`${container}[`)) lookups.push(event);
    if (event.kind === 'branch' && event.presentWhen !== undefined) {
      for (const id of event.value.reads) {
        const read = reads.get(id);
        if (read && keysOverlap(read.state.key, write.state.key)) lookups.push(read);
      }
    }
  }
  const sources = writeSources(fn).get(write.id);
  return lookups.some((read) => read.range.start.line <= write.range.start.line) && !lookups.some((read) => sources?.has(read.id));
}

/** The value stored is the process's own: a connection a handler was handed, a lock, a task, a client it opened. */
function holdsLiveValue(module: ModuleFacts, fn: FunctionFacts, write: WriteEvent): boolean {
  const origins = valueOrigins(fn).get(write)?.value;
  if (!origins) return false;
  // Arithmetic on what a live object returned (`used + resp.usage.total_tokens`) is a number, not the object.
  if (ARITHMETIC.test(assignedText(module, write))) return false;
  const calls = originCalls(origins, eventsById(fn));
  if (calls.some((call) => makesLiveValue(call) || spawnsTask(call.callee, call.text) || PROCESS_PRIMITIVE.test(call.callee ?? call.text))) return true;
  return fn.params.some((param) => origins.names.has(param.name) && (CONNECTION_TYPE.test(param.annotation ?? '') || CONNECTION_NAME.test(param.name)));
}

/** The qualified names of another module's state a write reaches through an import: `state.cache[k]` → `khoj.utils.state.cache`. */
function foreignTargets(module: ModuleFacts, ref: StateRef): string[] {
  if (ref.scope !== 'module' || module.state.some((definition) => definition.root === ref.root)) return [];
  const imported = module.imports.find((fact) => fact.local === ref.root)?.target;
  if (!imported) return [];
  // `from app import state` then `state.cache[k]`: the module's attribute; `from app.state import cache`: the name itself.
  const attribute = /^\.([A-Za-z_$][\w$]*)/.exec(ref.key.slice(ref.root.length))?.[1];
  return attribute ? [`${imported}.${attribute}`, imported] : [imported];
}

/** Every write a module makes to state other modules define, for those modules' checks. */
export function summarizeForeignWrites(module: ModuleFacts): ForeignWriteSummary {
  const writes: ForeignWrite[] = [];
  for (const fn of module.functions) {
    if (isConstructor(fn)) continue;
    for (const block of fn.flow.blocks) {
      for (const event of block.events) {
        if (event.kind !== 'write') continue;
        const targets = foreignTargets(module, event.state);
        if (targets.length === 0) continue;
        writes.push({ targets, fn: fn.id, by: mutatorName(fn), handler: REQUEST_KINDS.has(fn.kind), range: event.range, ...traitsOf(module, fn, event) });
      }
    }
  }
  return { writes };
}

function isForeignSummary(value: unknown): value is ForeignWriteSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as ForeignWriteSummary).writes);
}

/** The other modules' writes, by the state they reach, with the module that makes each. */
function foreignIndex(project: ProjectFacts, code: string): ReadonlyMap<string, { moduleName: string; path: string; write: ForeignWrite }[]> {
  const byTarget = new Map<string, { moduleName: string; path: string; write: ForeignWrite }[]>();
  for (const [moduleName, summary] of project.summaries?.get(code) ?? []) {
    if (!isForeignSummary(summary)) continue;
    const path = project.contextSummaries?.get(moduleName)?.path ?? moduleName;
    for (const write of summary.writes) {
      for (const target of write.targets) {
        let list = byTarget.get(target);
        if (!list) byTarget.set(target, (list = []));
        list.push({ moduleName, path, write });
      }
    }
  }
  return byTarget;
}

/**
 * Where a function runs alongside requests, as the model places it: the first context that does
 * (per request, in the background, on a worker thread); `setup` when every known way in is
 * startup, shutdown, the import or a memoised first call; `unknown` when no entry point reaches it
 * or an unresolved call may.
 */
function placementOf(context: RuleContext, moduleName: string, fnId: string): Witness | 'setup' | 'unknown' {
  const model = contextModelOf(context.project, context.module);
  const { witnesses } = model.contextsOf(moduleName, fnId);
  const concurrent = witnesses.find((witness) => CONCURRENT_KINDS.has(witness.kind));
  if (concurrent) return concurrent;
  return witnesses.length === 0 || model.mayRunUnresolved(moduleName, fnId) ? 'unknown' : 'setup';
}

/** Handlers plus the functions, nested functions and singleton methods of this module they call. */
function requestPathFunctions(module: ModuleFacts): Set<FunctionFacts> {
  const roots = module.functions.filter((fn) => REQUEST_KINDS.has(fn.kind));
  const reached = reachableFunctions(roots, calleeIndex(module), (callee) => !isConstructor(callee));
  for (const fn of module.functions) if (fn.parent && [...reached].some((parent) => parent.id === fn.parent)) reached.add(fn);
  return reached;
}

/**
 * The module's own functions that mutate state alongside requests, each with its context: placed
 * by the model, or, where it knows nothing, handlers and what they call in this module.
 */
export function concurrentMutators(context: RuleContext): { fn: FunctionFacts; witness?: Witness }[] {
  const { module } = context;
  let fallback: Set<FunctionFacts> | undefined;
  const mutators: { fn: FunctionFacts; witness?: Witness }[] = [];
  for (const fn of module.functions) {
    if (isConstructor(fn) || !fn.flow.blocks.some((block) => block.events.some((event) => event.kind === 'write'))) continue;
    const placement = placementOf(context, module.moduleName, fn.id);
    if (placement === 'setup') continue;
    if (placement !== 'unknown') mutators.push({ fn, witness: placement });
    else if ((fallback ??= requestPathFunctions(module)).has(fn)) mutators.push({ fn });
  }
  return mutators;
}

/** Other modules' mutations of a piece of this module's state, from contexts that run alongside requests. */
export function foreignMutations(context: RuleContext, code: string, root: string): Mutation[] {
  const index = projectIndex(context.project, `${code}:foreign-writes`, (project) => foreignIndex(project, code));
  const mutations: Mutation[] = [];
  for (const { moduleName, path, write } of index.get(`${context.module.moduleName}.${root}`) ?? []) {
    if (moduleName === context.module.moduleName) continue;
    const placement = placementOf(context, moduleName, write.fn);
    if (placement === 'setup' || (placement === 'unknown' && !write.handler)) continue;
    mutations.push({ path, range: write.range, by: write.by, memo: write.memo, live: write.live, removes: write.removes, snapshot: write.snapshot, ...(placement !== 'unknown' && { witness: placement }) });
  }
  return mutations;
}

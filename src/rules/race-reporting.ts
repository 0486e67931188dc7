import { contextModelOf, type ContextKind, type Witness } from '../core/contexts';
import { witnessChain } from '../core/contexts/describe';
import { flowEvents } from '../core/dataflow';
import { keysOverlap } from '../core/race-analysis';
import type { CallEvent, FunctionFacts, Language, LockKind, Range, StatementRef, WriteEvent } from '../core/facts';
import type { Fix } from '../core/hazard';
import type { FixBuilder, RuleContext } from '../core/rule';
import { eventsById, originCalls, valueOrigins } from '../core/value-origins';
import { makesLiveValue } from './catalog/live-values';

/**
 * Coroutines that can run concurrently with themselves or with handlers, when the
 * execution-context model knows nothing of them. Lifespan and startup/shutdown hooks run once,
 * before the first request or after the last, so they are left out.
 */
function runsConcurrently(fn: FunctionFacts): boolean {
  return fn.execution === 'event-loop' && fn.kind !== 'lifespan' && fn.kind !== 'startup' && fn.kind !== 'shutdown';
}

/** Where a function's runs can overlap: on the event loop (coroutines) or on several threads. */
export type RaceMode = 'loop' | 'threads';

/**
 * How a function's runs overlap, as the execution-context model tells: the context that runs it
 * many times at once (per request, per scheduled tick), with the entry point that reaches it, or
 * nothing known of it (no entry point reaches it) when the rule falls back to what the code says.
 */
export interface Overlap {
  witness?: Witness;
}

const ONCE: ReadonlySet<ContextKind> = new Set(['startup', 'shutdown', 'import']);

/**
 * A context whose runs of the code can overlap: requests, and background work started by them or
 * by a timer or scheduler. A task or thread that startup (or the import) starts runs once, and
 * code that only startup, shutdown or the import runs is over before requests are served.
 */
function overlaps(witness: Witness, mode: RaceMode): boolean {
  switch (witness.kind) {
    case 'request-loop':
      return mode === 'loop';
    case 'request-threadpool':
      return mode === 'threads';
    case 'background-loop':
      return mode === 'loop' && !ONCE.has(witness.entry.kind);
    case 'worker-thread':
      return mode === 'threads' && !ONCE.has(witness.entry.kind);
    default:
      return false;
  }
}

/**
 * What the model knows of a function: its witnesses, or nothing when no entry point is known to
 * reach it or a call the model could not resolve may run it.
 */
function knownWitnesses(context: RuleContext, fn: FunctionFacts): readonly Witness[] | undefined {
  const model = contextModelOf(context.project, context.module);
  const { witnesses } = model.contextsOf(context.module.moduleName, fn.id);
  if (witnesses.length === 0 || model.mayRunUnresolved(context.module.moduleName, fn.id)) return undefined;
  return witnesses;
}

/** Falling back on what the code says: a sync handler runs in the threadpool, a coroutine on the loop. */
function mayOverlap(fn: FunctionFacts, mode: RaceMode): boolean {
  return mode === 'threads' ? fn.execution === 'threadpool' : runsConcurrently(fn);
}

/**
 * Whether the function's races can happen: its own runs overlap (in the given mode), or it runs
 * once (a task started at startup) while another function of the module that writes the same
 * state runs many times at once. Undefined when nothing can interleave with it.
 */
export function overlapOf(context: RuleContext, fn: FunctionFacts, mode: RaceMode, stateKey: string): Overlap | undefined {
  const model = contextModelOf(context.project, context.module);
  const own = model.contextsOf(context.module.moduleName, fn.id).witnesses.find((witness) => overlaps(witness, mode));
  if (own) return { witness: own };
  const witnesses = knownWitnesses(context, fn);
  if (!witnesses) return mayOverlap(fn, mode) ? {} : undefined;
  if (!witnesses.some((witness) => witness.kind === 'background-loop' || witness.kind === 'worker-thread')) return undefined;
  for (const other of context.module.functions) {
    if (other === fn || !writesState(other, stateKey)) continue;
    const elsewhere = knownWitnesses(context, other);
    const concurrent = elsewhere ? elsewhere.some((witness) => overlaps(witness, 'loop') || overlaps(witness, 'threads')) : mayOverlap(other, 'loop') || mayOverlap(other, 'threads');
    if (concurrent) return { witness: witnesses[0] };
  }
  return undefined;
}

/**
 * Code every known way into which is startup, shutdown, the import or a memoised first call: it is
 * over before requests are served, or runs once (a data fix at startup, a cache built once).
 */
export function runsOnlyAtSetup(context: RuleContext, fn: FunctionFacts): boolean {
  const witnesses = knownWitnesses(context, fn);
  return witnesses !== undefined && witnesses.every((witness) => SETUP.has(witness.kind));
}

const SETUP: ReadonlySet<ContextKind> = new Set(['startup', 'shutdown', 'import', 'once-per-worker', 'not-served']);

function writesState(fn: FunctionFacts, key: string): boolean {
  return fn.flow.blocks.some((block) => block.events.some((event) => event.kind === 'write' && keysOverlap(event.state.key, key)));
}

const RUNS: Partial<Record<ContextKind, string>> = {
  'request-loop': 'per request',
  'request-threadpool': 'per request in the threadpool',
  'background-loop': 'in the background',
  'worker-thread': 'on worker threads',
};

/** ` It runs per request, reached from `POST /chat` → `summarize()`.` — nothing when the function is the entry point or the model does not know. */
export function reachedBy(overlap: Overlap): string {
  const { witness } = overlap;
  if (!witness || witness.steps.length === 0) return '';
  return ` It runs ${RUNS[witness.kind] ?? 'concurrently'}, reached from ${witnessChain(witness)}.`;
}

/** `line 12` for messages. */
export function line(range: Range): string {
  return `line ${range.start.line + 1}`;
}

/** Wraps a read…write region in a module-level lock: always unsafe, it changes scheduling. */
export function lockFix(
  fixes: FixBuilder,
  from: StatementRef,
  to: StatementRef,
  kind: LockKind,
  stateRoot: string,
): Fix | undefined {
  const wrapped = fixes.wrapInLock(from, to, { kind, stateRoot });
  if (!wrapped) return undefined;
  const keyword = kind === 'asyncio' ? 'async with' : 'with';
  return {
    applicability: 'unsafe',
    message: `Hold \`${wrapped.lockName}\` (\`${keyword} ${wrapped.lockName}:\`) from the read to the write`,
    edits: wrapped.edits,
  };
}

/** How race messages name, per language, the function that suspends and the lock that would serialise it. */
export interface AsyncVocabulary {
  /** `the coroutine` */
  suspender: string;
  /** `an \`asyncio.Lock\`` */
  lock: string;
}

export function asyncVocabulary(language: Language): AsyncVocabulary {
  return language === 'python'
    ? { suspender: 'the coroutine', lock: 'an `asyncio.Lock`' }
    : { suspender: 'the function', lock: "a mutex (`async-mutex`'s `runExclusive`)" };
}

/**
 * The call that makes the value a fill stores, when it is a live object or a created record (a
 * client, a pool, a browser, a user): made twice by racing requests or threads, one is lost. A memo
 * of data has none, and neither does data read through a file a `with` statement closes
 * (`with open(p) as fh: _vocab = json.load(fh)`).
 */
export function liveValueOf(fn: FunctionFacts, write: WriteEvent): CallEvent | undefined {
  const origins = valueOrigins(fn).get(write)?.value;
  if (!origins) return undefined;
  const managed = new Set(flowEvents(fn.flow).flatMap((event) => (event.kind === 'context' && event.call !== undefined ? [event.call] : [])));
  return originCalls(origins, eventsById(fn)).find((call) => makesLiveValue(call) && !managed.has(call.id));
}

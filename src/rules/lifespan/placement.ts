import { contextModelOf, type Witness } from '../../core/contexts';
import type { FunctionFacts, Language, ModuleFacts } from '../../core/facts';
import type { ProjectFacts } from '../../core/rule';

/**
 * How often a function's body runs, as far as IL301 and IL302 need to know: once per process
 * (at import, at startup, memoised), once per call of something that happens again and again
 * (a request, a scheduled job, a queued job), or unknown.
 */
export type RunPlacement =
  /** Per request (or job): with the chain from the entry point, and whether its last call is made in this module. */
  | { runs: 'per-call'; witness?: Witness; handler?: FunctionFacts; calledHere: boolean }
  /** A coroutine function no entry point is known to reach: it runs on a serving loop, how often is unknown. */
  | { runs: 'unknown' }
  /** Only once per process: at import, at startup or shutdown, memoised, or from a task started at startup. */
  | { runs: 'once'; witness: Witness };

/**
 * A context that repeats: a request, or a background or queued job — not a task started once at
 * startup. In TypeScript every top-level callback is an entry of its own on the loop, which says
 * nothing about how often it runs.
 */
function repeats(witness: Witness, language: Language): boolean {
  if (witness.kind === 'once-per-worker' || witness.kind === 'not-served') return false;
  const entry = witness.entry.kind;
  if (entry === 'request-loop' || entry === 'request-threadpool') return true;
  return language === 'python' && (entry === 'background-loop' || entry === 'worker-thread');
}

const ONCE = new Set(['import', 'startup', 'shutdown', 'once-per-worker']);

/** Where a function of a module runs: `inModule` is the handler this module's own calls reach it from. */
export function placementOf(project: ProjectFacts, module: ModuleFacts, fn: FunctionFacts, inModule?: FunctionFacts): RunPlacement | undefined {
  // A witness through a subclass's override says the code may run there, not how often it must:
  // placed by such witnesses alone, a function is as unknown as one no entry point reaches.
  const witnesses = contextModelOf(project, module)
    .contextsOf(module.moduleName, fn.id)
    .witnesses.filter((witness) => !witness.dispatched);
  const perCall = witnesses.find((witness) => repeats(witness, module.language));
  if (inModule) return { runs: 'per-call', handler: inModule, calledHere: true, ...(perCall && { witness: perCall }) };
  if (perCall) {
    const last = perCall.steps.at(-1);
    return { runs: 'per-call', witness: perCall, calledHere: (last?.path ?? perCall.entry.path) === module.path };
  }
  const served = witnesses.filter((witness) => witness.kind !== 'not-served');
  if (served.length > 0 && served.every((witness) => ONCE.has(witness.kind) || ONCE.has(witness.entry.kind))) return { runs: 'once', witness: served[0]! };
  if (witnesses.length === 0 && fn.isAsync && fn.kind === 'plain') return { runs: 'unknown' };
  return undefined;
}

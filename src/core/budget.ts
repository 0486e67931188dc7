/**
 * The time one file's analysis may take. Analysis is synchronous, so the budget is cooperative:
 * the loops whose work grows with the input (flow building, dataflow, call-graph searches, the
 * rules) call `spendBudget()`, which throws `BudgetExceeded` once the deadline has passed. The
 * caller catches it and reports the file as not analysed instead of hanging on it.
 */

/** The default per-file budget, in milliseconds. */
export const DEFAULT_FILE_BUDGET_MS = 10_000;

/** Thrown out of an analysis that ran past its budget; every catch-all in the analysis rethrows it. */
export class BudgetExceeded extends Error {
  constructor(readonly elapsedMs: number) {
    super(`too complex (${Math.round(elapsedMs)} ms)`);
  }
}

/** How many `spendBudget` calls pass between two looks at the clock. */
const CALLS_PER_CLOCK_READ = 256;

let deadline = Infinity;
let startedAt = 0;
let callsUntilClockRead = CALLS_PER_CLOCK_READ;

/**
 * Runs `work` with `limitMs` to spend; nested calls keep the outer deadline when it is sooner.
 * Throws BudgetExceeded when the work overruns.
 */
export function withBudget<T>(limitMs: number, work: () => T): T {
  const outer = { deadline, startedAt };
  const now = performance.now();
  if (now + limitMs < deadline) {
    deadline = now + limitMs;
    startedAt = now;
  }
  callsUntilClockRead = 0;
  try {
    return work();
  } finally {
    deadline = outer.deadline;
    startedAt = outer.startedAt;
  }
}

/** A unit of work done: throws BudgetExceeded when the current budget is spent. Cheap enough for inner loops. */
export function spendBudget(): void {
  if (--callsUntilClockRead > 0) return;
  callsUntilClockRead = CALLS_PER_CLOCK_READ;
  if (deadline === Infinity) return;
  const now = performance.now();
  if (now >= deadline) throw new BudgetExceeded(now - startedAt);
}

/** Rethrows a BudgetExceeded caught by a catch-all that otherwise keeps going. */
export function rethrowBudget(error: unknown): void {
  if (error instanceof BudgetExceeded) throw error;
}

import type { Range } from '../facts';
import type { WorkerSetting } from '../hazard';
import { CONTEXT_LABELS, type Witness } from './kinds';

/** How many threads AnyIO's default limiter lets run sync handlers and `run_in_threadpool` at once. */
const THREADPOOL_THREADS = 40;

/** The chain in a message: `` `POST /chat` → `summarize()` → `load_prompt()` ``. */
export function witnessChain(witness: Witness): string {
  const { label } = witness.entry;
  return [label.includes('`') ? label : `\`${label}\``, ...witness.steps.map((step) => `\`${step.call}()\``)].join(' → ');
}

/** `, reached from `POST /chat` → `summarize()`` — or nothing when the code is the entry point itself. */
export function reachedFrom(witness: Witness | undefined): string {
  return witness && witness.steps.length > 0 ? `, reached from ${witnessChain(witness)}` : '';
}

export interface ContextLineOptions {
  /** The project's worker processes: code that runs once per worker runs this many times. */
  workers?: WorkerSetting;
  /** How the function is memoised, as written: `@lru_cache`. */
  memo?: string;
}

/**
 * One line for the lens and `interleave contexts`: `per request · event loop · POST /chat`,
 * `once per worker × 4 · gunicorn.conf.py:4`, `once per worker (\`@lru_cache\`)`,
 * `per request · threadpool (40 threads) · GET /export`, `not served · Typer command \`seed\``.
 */
export function contextLine(witness: Witness, { workers, memo }: ContextLineOptions = {}): string {
  switch (witness.kind) {
    case 'import':
      return workers ? `once per worker${timesWorkers(workers)}` : CONTEXT_LABELS.import;
    case 'once-per-worker':
      return `once per worker (${memo ? `\`${memo}\`` : 'memoised'})${timesWorkers(workers)}`;
    case 'request-threadpool':
      return `${CONTEXT_LABELS['request-threadpool']} (${THREADPOOL_THREADS} threads) · ${witness.entry.label}`;
    default:
      return `${CONTEXT_LABELS[witness.kind]} · ${witness.entry.label}`;
  }
}

/** ` × 4 · gunicorn.conf.py:4`: the count, and the deployment file and line that set it. */
function timesWorkers(workers: WorkerSetting | undefined): string {
  if (!workers) return '';
  const where = workers.source ? ` · ${workers.source.path.replace(/^.*[\\/]/, '')}:${workers.source.range.start.line + 1}` : '';
  return ` × ${workers.description ?? workers.count}${where}`;
}

/**
 * The lens's lines for code with these contexts, one per context; a lifespan's startup and
 * shutdown, entered together, share one (`startup and shutdown · lifespan \`lifespan\``). Code
 * no known entry point reaches says so, or, when memoised, how often its body runs anyway.
 */
export function contextLines(witnesses: readonly Witness[], options: ContextLineOptions = {}): string[] {
  if (witnesses.length === 0) return [options.memo ? `once per worker (\`${options.memo}\`), at its first call` : 'no known entry point reaches this'];
  const startup = witnesses.find((witness) => witness.kind === 'startup' && witness.steps.length === 0);
  const shutdown = witnesses.find((witness) => witness.kind === 'shutdown' && witness.steps.length === 0 && witness.entry.label === startup?.entry.label);
  return witnesses.flatMap((witness) => {
    if (witness === shutdown) return [];
    if (witness === startup && shutdown) return [`startup and shutdown · ${witness.entry.label}`];
    return [contextLine(witness, options)];
  });
}

/** One link of a chain: what it names, and where that is. */
export interface ChainLink {
  /** The entry point as the user names it (`POST /chat`, `lifespan \`lifespan\``), or a call (`summarize()`). */
  label: string;
  /** For a call: the function that makes it. */
  caller?: string;
  path: string;
  range: Range;
}

/** The entry point, then each call on the way to the code: what the hover and the panel link to. */
export function chainLinks(witness: Witness): ChainLink[] {
  return [
    { label: witness.entry.label, path: witness.entry.path, range: witness.entry.range },
    ...witness.steps.map((step) => ({ label: `${step.call}()`, caller: step.caller, path: step.path, range: step.range })),
  ];
}

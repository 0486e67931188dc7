import type { Range } from '../facts';

/**
 * Where a piece of code can run, the seeds' first question: once per worker at import, at startup
 * or shutdown, per request on the event loop or in the threadpool, in the background on the loop,
 * on a thread of its own, once per worker because it is memoised, or not in the server at all.
 */
export type ContextKind =
  | 'import'
  | 'startup'
  | 'shutdown'
  | 'request-loop'
  | 'request-threadpool'
  | 'background-loop'
  | 'worker-thread'
  | 'once-per-worker'
  | 'not-served';

/** In the order the lens and the CLI list them: what runs per request first. */
export const CONTEXT_KINDS: readonly ContextKind[] = [
  'request-loop',
  'request-threadpool',
  'background-loop',
  'startup',
  'shutdown',
  'import',
  'once-per-worker',
  'worker-thread',
  'not-served',
];

/** Contexts whose code runs on the event loop that serves requests: where blocking stalls them. */
export const SERVING_LOOP: ReadonlySet<ContextKind> = new Set(['request-loop', 'background-loop', 'startup', 'shutdown']);

/** Contexts that run concurrently with requests, many at a time, in one process. */
export const CONCURRENT: ReadonlySet<ContextKind> = new Set(['request-loop', 'request-threadpool', 'background-loop', 'worker-thread']);

/** How the lens and messages name a context kind. */
export const CONTEXT_LABELS: Readonly<Record<ContextKind, string>> = {
  import: 'once per worker, at import',
  startup: 'startup',
  shutdown: 'shutdown',
  'request-loop': 'per request · event loop',
  'request-threadpool': 'per request · threadpool',
  'background-loop': 'background · event loop',
  'worker-thread': 'worker thread',
  'once-per-worker': 'once per worker (memoised)',
  'not-served': 'not served',
};

/** Where a context begins: a route, a lifespan, a CLI command, a test module… */
export interface EntryPoint {
  kind: ContextKind;
  /** In the user's terms: `POST /chat`, `lifespan \`lifespan\``, `Typer command \`seed\``, `tests`. */
  label: string;
  path: string;
  range: Range;
  /** A test: what it calls in other modules is not placed by it. */
  contained?: boolean;
  /** A FastAPI route or dependency: the framework builds its parameters' models from the request. */
  parsesRequest?: boolean;
}

/** One call on the way from an entry point to the code: the caller, and where it makes the call. */
export interface WitnessStep {
  /** The caller as the user names it: `summarize`, `Mailer.send`. */
  caller: string;
  /** The callee as written at the call: `summarize`, `self.mailer.send`. */
  call: string;
  path: string;
  range: Range;
}

/** Why code runs in a context: the entry point, and the calls from it that reach the code. */
export interface Witness {
  kind: ContextKind;
  entry: EntryPoint;
  steps: WitnessStep[];
  /**
   * A step calls a base class's method that a subclass overrides, and the witness goes on in the
   * override: which class's method runs depends on the object, so the code may run here, not must.
   */
  dispatched?: true;
}

/**
 * The contexts a function can run in, one witness each (the shortest found). Empty when no
 * entry point is known to reach it: the model says nothing rather than guess.
 */
export interface FunctionContexts {
  witnesses: Witness[];
}

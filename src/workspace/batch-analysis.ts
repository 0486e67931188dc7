import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { projectFacts, type ModuleSummaries } from '../core/engine';
import type { ProjectFacts } from '../core/rule';
import { loadFrontends } from './analyze';
import { FileAnalyzer, type FileAnalysisSettings, type FileOutcome, type FileTask, type IndexedFile } from './file-analysis';
import { projectDigest } from './analysis-cache';
import { pack, StringPool, unpack, type PackedValue } from './packed-value';
import { workerEntry } from './worker-entry';

/** Below this many files, starting workers (each loads the parsers) costs more than it saves. */
export const DEFAULT_PARALLEL_FROM = 64;

/**
 * Characters of source whose facts a thread keeps as objects between the passes; the rest it
 * keeps packed, and unpacking costs about a quarter of what extracting them did. About 75 MB of
 * facts: each of two threads keeps half of a 100k-line tree's whole.
 */
export const LIVE_FACTS_BUDGET = 2_000_000;

export interface BatchOptions {
  settings: FileAnalysisSettings;
  /** Use worker threads from this many files on. */
  parallelFrom?: number;
  /** How many worker threads; defaults to the cores available. One means in-process. */
  threads?: number;
  onProgress?(progress: BatchProgress): void;
  /**
   * Hears the project facts the files were checked against (with every module's summary), e.g. to
   * re-check a fixed file. Only when asked: with worker threads the main thread otherwise never
   * decodes the summaries, which are the largest thing a run holds.
   */
  onProject?(project: ProjectFacts): void;
}

/**
 * How far a run is: every file is first indexed (summarised for the execution-context model and
 * the cross-file rules), then checked.
 */
export interface BatchProgress {
  phase: 'index' | 'check';
  done: number;
  total: number;
}

type ProgressCounter = (phase: BatchProgress['phase']) => void;

/**
 * Main thread → worker. `summarize` and `check` answer one WorkerReply per file, in order; the
 * first `check` of a run carries what the project facts are built from.
 */
export type WorkerRequest =
  | { kind: 'summarize'; files: FileTask[] }
  | { kind: 'check'; files: FileTask[]; project?: PackedProject; projectDigest?: string };

/** A summary crosses threads packed: the main thread holds the bytes and hands them on, never decoding them. */
export type WorkerReply =
  | { kind: 'summary'; summary?: PackedValue<ModuleSummaries>; digest?: string }
  | { kind: 'outcome'; outcome: FileOutcome };

/** The project facts as the main thread has them: what was known before the first pass, and every module's packed summary in task order. */
export interface PackedProject {
  known: ProjectFacts;
  summaries: PackedValue<ModuleSummaries>[];
}

/** The project facts a packed project stands for, its summaries sharing their strings. */
export function unpackProject(project: PackedProject): ProjectFacts {
  const pool = new StringPool();
  return projectWith(project.known, project.summaries.map((summary) => pool.share(unpack(summary))));
}

export interface WorkerStartup {
  settings: FileAnalysisSettings;
}

/**
 * Analyses files, on worker threads when there are many, and returns one outcome per task in the
 * tasks' order, so output never depends on which thread finished first.
 */
export async function analyzeFiles(tasks: readonly FileTask[], options: BatchOptions): Promise<FileOutcome[]> {
  const threads = Math.min(options.threads ?? availableParallelism(), tasks.length);
  const done = { index: 0, check: 0 };
  const progress: ProgressCounter = (phase) => options.onProgress?.({ phase, done: ++done[phase], total: tasks.length });
  if (threads > 1 && tasks.length >= (options.parallelFrom ?? DEFAULT_PARALLEL_FROM)) {
    return analyzeInWorkers(tasks, threads, options.settings, progress, options.onProject);
  }
  await loadFrontends();
  const analyzer = new FileAnalyzer(options.settings, LIVE_FACTS_BUDGET);
  const indexed = tasks.map((task) => {
    const file = analyzer.index(task);
    progress('index');
    return file;
  });
  const project = projectWith(options.settings.project, indexed.map((file) => file.summary));
  analyzer.setProject(project, digestOf(options.settings, tasks, indexed));
  options.onProject?.(project);
  return tasks.map((task) => {
    const outcome = analyzer.check(task);
    progress('check');
    return outcome;
  });
}

/** What was known before the first pass (workers, deployment files), with the summaries of every module. */
function projectWith(known: ProjectFacts, summaries: readonly (ModuleSummaries | undefined)[]): ProjectFacts {
  return projectFacts(
    summaries.filter((summary) => summary !== undefined),
    known,
  );
}

/** With a cache, the digest of everything the project facts were built from: a file's cached findings stand only while it is unchanged. */
function digestOf(settings: FileAnalysisSettings, tasks: readonly FileTask[], indexed: readonly (IndexedFile | undefined)[]): string | undefined {
  if (!settings.cache) return undefined;
  return projectDigest(
    settings.cache.runKey,
    settings.project,
    tasks.map((task, index) => ({ path: task.path, digest: indexed[index]?.digest ?? 'none' })),
  );
}

/** A worker thread and what the main thread knows about it. */
interface AnalysisThread {
  worker: Worker;
  alive: boolean;
  /** Why it died, when it said. */
  failure?: string;
  /** Task indexes it summarised and keeps parsed for the check pass. */
  kept: number[];
  /** Task indexes sent and not yet answered, in order. */
  inFlight: number[];
  /** The current pass's handlers. */
  onReply(reply: WorkerReply): void;
  onExit(): void;
}

function startThread(settings: FileAnalysisSettings): AnalysisThread {
  const { file, execArgv } = workerEntry(__dirname, 'worker.js', 'analysis-worker.ts');
  const startup: WorkerStartup = { settings };
  const thread: AnalysisThread = {
    worker: new Worker(file, { workerData: startup, execArgv }),
    alive: true,
    kept: [],
    inFlight: [],
    onReply: () => undefined,
    onExit: () => undefined,
  };
  thread.worker.on('message', (reply: WorkerReply) => thread.onReply(reply));
  thread.worker.on('error', (error) => {
    thread.failure = error.stack ?? String(error);
  });
  thread.worker.on('exit', () => {
    thread.alive = false;
    thread.onExit();
  });
  return thread;
}

/** Files a pass could not finish on a worker: in flight when it died (with why), or still queued. */
interface Orphans {
  indexes: number[];
  failures: Map<number, string>;
}

/**
 * One pass over the threads: each takes small batches from its own queue (the files it keeps
 * parsed), then from the shared queue, so threads stay busy when file sizes vary.
 */
function runPass(
  threads: readonly AnalysisThread[],
  queues: { own: ReadonlyMap<AnalysisThread, number[]>; shared: number[] },
  request: (files: number[], first: boolean) => WorkerRequest,
  batchSize: number,
  handle: (thread: AnalysisThread, index: number, reply: WorkerReply) => void,
): Promise<Orphans> {
  return new Promise((resolve) => {
    const orphans: Orphans = { indexes: [], failures: new Map() };
    let active = 0;
    const settle = () => {
      if (active > 0) return;
      orphans.indexes.push(...queues.shared.splice(0));
      resolve(orphans);
    };
    for (const thread of threads) {
      const own = queues.own.get(thread) ?? [];
      if (!thread.alive) {
        orphans.indexes.push(...own);
        continue;
      }
      active++;
      let first = true;
      const feed = () => {
        const batch = own.length > 0 ? own.splice(0, batchSize) : queues.shared.splice(0, batchSize);
        if (batch.length === 0) {
          thread.onReply = thread.onExit = () => undefined;
          active--;
          settle();
          return;
        }
        thread.inFlight = batch;
        thread.worker.postMessage(request(batch, first));
        first = false;
      };
      thread.onReply = (reply) => {
        handle(thread, thread.inFlight.shift()!, reply);
        if (thread.inFlight.length === 0) feed();
      };
      thread.onExit = () => {
        const failure = thread.failure ?? 'it exited without an error';
        for (const index of thread.inFlight) orphans.failures.set(index, failure);
        orphans.indexes.push(...thread.inFlight, ...own.splice(0));
        thread.inFlight = [];
        active--;
        settle();
      };
      feed();
    }
    settle();
  });
}

/**
 * Runs the passes on worker threads. The check pass sends each file back to the thread that
 * summarised it, which still has its facts. Summaries reach the main thread packed and go on to
 * every thread as they came: the main thread decodes them only to check files itself or when
 * `onProject` asks. Files a dead thread leaves behind are analysed on the main thread, so every
 * file still gets an outcome.
 */
async function analyzeInWorkers(
  tasks: readonly FileTask[],
  threadCount: number,
  settings: FileAnalysisSettings,
  progress: ProgressCounter,
  onProject: BatchOptions['onProject'],
): Promise<FileOutcome[]> {
  const batchSize = Math.max(1, Math.min(16, Math.floor(tasks.length / (threadCount * 8))));
  const threads = Array.from({ length: threadCount }, () => startThread(settings));
  let mainThread: FileAnalyzer | undefined;
  const onMainThread = async () => {
    if (!mainThread) {
      await loadFrontends();
      mainThread = new FileAnalyzer(settings, LIVE_FACTS_BUDGET);
    }
    return mainThread;
  };
  const files = (indexes: readonly number[]) => indexes.map((index) => tasks[index]!);
  const failures = new Map<number, string>();
  try {
    const summaries: (PackedValue<ModuleSummaries> | undefined)[] = new Array(tasks.length);
    const digests: (IndexedFile | undefined)[] = new Array(tasks.length);
    const mainKept: number[] = [];
    const indexed = await runPass(
      threads,
      { own: new Map(), shared: tasks.map((_, index) => index) },
      (batch) => ({ kind: 'summarize', files: files(batch) }),
      batchSize,
      (thread, index, reply) => {
        if (reply.kind === 'summary') {
          summaries[index] = reply.summary;
          digests[index] = { digest: reply.digest };
        }
        thread.kept.push(index);
        progress('index');
      },
    );
    indexed.failures.forEach((failure, index) => failures.set(index, failure));
    for (const index of indexed.indexes) {
      const { summary, digest } = (await onMainThread()).index(tasks[index]!);
      summaries[index] = summary && pack(summary);
      digests[index] = { digest };
      mainKept.push(index);
      progress('index');
    }
    const packedProject: PackedProject = { known: settings.project, summaries: summaries.filter((summary) => summary !== undefined) };
    let project: ProjectFacts | undefined;
    const decodedProject = () => (project ??= unpackProject(packedProject));
    const digest = digestOf(settings, tasks, digests);
    if (onProject) onProject(decodedProject());
    const own = new Map(threads.map((thread) => [thread, [...thread.kept]]));
    const outcomes: FileOutcome[] = new Array(tasks.length);
    const orphans = await runPass(
      threads,
      { own, shared: [] },
      (batch, first) => ({ kind: 'check', files: files(batch), ...(first && { project: packedProject, projectDigest: digest }) }),
      batchSize,
      (_thread, index, reply) => {
        if (reply.kind === 'outcome') outcomes[index] = reply.outcome;
        progress('check');
      },
    );
    orphans.failures.forEach((failure, index) => failures.set(index, failure));
    const leftOver = [...mainKept, ...orphans.indexes];
    if (leftOver.length > 0) (await onMainThread()).setProject(decodedProject(), digest);
    for (const index of leftOver) {
      const outcome = (await onMainThread()).check(tasks[index]!);
      const failure = failures.get(index);
      const note = `a worker thread stopped while analysing ${outcome.path} (${failure}); analysed in the main thread instead`;
      outcomes[index] = failure === undefined ? outcome : { ...outcome, problems: [note, ...outcome.problems] };
      progress('check');
    }
    return outcomes;
  } finally {
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }
}

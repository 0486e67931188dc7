import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadFrontends } from './analyze';
import { analyzeFile, type FileAnalysisSettings, type FileOutcome, type FileTask } from './file-analysis';

/** Below this many files, starting workers (each loads the parsers) costs more than it saves. */
export const DEFAULT_PARALLEL_FROM = 64;

export interface BatchOptions {
  settings: FileAnalysisSettings;
  /** Use worker threads from this many files on. */
  parallelFrom?: number;
  /** How many worker threads; defaults to the cores available. One means in-process. */
  threads?: number;
  onProgress?(done: number, total: number): void;
}

/** Main thread → worker: analyse these files, answer one WorkerReply per file, in order. */
export interface WorkerRequest {
  files: FileTask[];
}

export interface WorkerReply {
  outcome: FileOutcome;
}

export interface WorkerStartup {
  settings: FileAnalysisSettings;
}

/**
 * How to start a worker: the bundled `worker.js` beside the CLI bundle, or, when running from
 * source (tests), the TypeScript entry through tsx, whose loader hooks workers do not inherit.
 */
function workerEntry(): { file: string; execArgv?: string[] } {
  const bundled = join(__dirname, 'worker.js');
  if (existsSync(bundled)) return { file: bundled };
  return { file: join(__dirname, 'analysis-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

/**
 * Analyses files, on worker threads when there are many, and returns one outcome per task in the
 * tasks' order, so output never depends on which thread finished first.
 */
export async function analyzeFiles(tasks: readonly FileTask[], options: BatchOptions): Promise<FileOutcome[]> {
  const threads = Math.min(options.threads ?? availableParallelism(), tasks.length);
  const parallelFrom = options.parallelFrom ?? DEFAULT_PARALLEL_FROM;
  const outcomes: FileOutcome[] = new Array(tasks.length);
  let done = 0;
  const record = (index: number, outcome: FileOutcome) => {
    outcomes[index] = outcome;
    done++;
    options.onProgress?.(done, tasks.length);
  };
  const indexes = tasks.map((_, index) => index);
  if (threads > 1 && tasks.length >= parallelFrom) {
    await analyzeInWorkers(tasks, indexes, threads, options.settings, record);
  } else {
    await analyzeInProcess(tasks, indexes, options.settings, record);
  }
  return outcomes;
}

type Recorder = (index: number, outcome: FileOutcome) => void;

async function analyzeInProcess(
  tasks: readonly FileTask[],
  indexes: readonly number[],
  settings: FileAnalysisSettings,
  record: Recorder,
): Promise<void> {
  if (indexes.length === 0) return;
  await loadFrontends();
  for (const index of indexes) record(index, analyzeFile(tasks[index]!, settings));
}

/**
 * Hands out small batches to each worker as it finishes the last, which keeps the threads busy
 * when file sizes vary. A worker that dies leaves its unfinished files to the main thread, so
 * every file still gets an outcome.
 */
function analyzeInWorkers(
  tasks: readonly FileTask[],
  indexes: readonly number[],
  threads: number,
  settings: FileAnalysisSettings,
  record: Recorder,
): Promise<void> {
  const batchSize = Math.max(1, Math.min(16, Math.floor(tasks.length / (threads * 8))));
  const queue: number[][] = [];
  for (let start = 0; start < indexes.length; start += batchSize) queue.push(indexes.slice(start, start + batchSize));
  /** Files a dead worker left unfinished, with what it died of. */
  const orphaned = new Map<number, string>();
  const startup: WorkerStartup = { settings };

  const runWorker = () =>
    new Promise<void>((resolve) => {
      const { file, execArgv } = workerEntry();
      const worker = new Worker(file, { workerData: startup, execArgv });
      let inFlight: number[] = [];
      let failure: string | undefined;
      const feed = () => {
        const batch = queue.shift();
        if (!batch) {
          void worker.terminate();
          return;
        }
        inFlight = [...batch];
        worker.postMessage({ files: batch.map((index) => tasks[index]!) } satisfies WorkerRequest);
      };
      worker.on('message', (reply: WorkerReply) => {
        record(inFlight.shift()!, reply.outcome);
        if (inFlight.length === 0) feed();
      });
      worker.on('error', (error) => {
        failure = error.stack ?? String(error);
      });
      worker.on('exit', () => {
        for (const index of inFlight) orphaned.set(index, failure ?? `exit without an error`);
        resolve();
      });
      feed();
    });

  const recordOrphan: Recorder = (index, outcome) => {
    const failure = orphaned.get(index);
    const note = `a worker thread stopped while analysing ${outcome.path} (${failure}); analysed in the main thread instead`;
    record(index, failure === undefined ? outcome : { ...outcome, problems: [note, ...outcome.problems] });
  };
  return Promise.all(Array.from({ length: threads }, runWorker)).then(() =>
    analyzeInProcess(tasks, [...orphaned.keys(), ...queue.flat()], settings, recordOrphan),
  );
}

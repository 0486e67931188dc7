/**
 * Indexing on a worker thread: the server's heap keeps only the summaries, and edits and requests
 * are served while a folder is read.
 */
import { Worker } from 'node:worker_threads';
import type { ModuleSummaries } from '../core/engine';
import { workerEntry } from '../workspace/worker-entry';

export interface IndexTask {
  path: string;
  moduleName: string;
  /** The workspace folder the file belongs to. */
  root: string;
}

/** Main thread → index thread: the files to summarise. */
export interface IndexRequest {
  files: IndexTask[];
}

/** One file's summary (undefined when it is skipped or yields no facts), or why it could not be read. */
export interface IndexReply {
  path: string;
  summary?: ModuleSummaries;
  error?: string;
}

/** How an indexing run on a thread ended: the files it did not answer, and why, when it failed. */
export interface IndexThreadEnd {
  unanswered: IndexTask[];
  failure?: string;
}

/**
 * Summarises `files` on a new worker thread, handing each reply to `onReply` as it arrives;
 * `onReply` returns false to stop the run (a newer index superseded it). Resolves once every file
 * is answered, the run is stopped, or the thread dies, and the thread has ended.
 */
export function indexOnThread(files: readonly IndexTask[], onReply: (reply: IndexReply) => boolean): Promise<IndexThreadEnd> {
  const { file, execArgv } = workerEntry(__dirname, 'index-worker.js', 'index-worker.ts');
  const worker = new Worker(file, { execArgv });
  let answered = 0;
  let settled = false;
  let failure: string | undefined;
  return new Promise<IndexThreadEnd>((resolve) => {
    const end = (unanswered: IndexTask[]) => {
      if (settled) return;
      settled = true;
      // Resolved once the thread is gone, so its memory is returned by the time indexing reports done.
      const ended = { unanswered, ...(failure !== undefined && { failure }) };
      worker.terminate().then(
        () => resolve(ended),
        () => resolve(ended),
      );
    };
    worker.on('message', (reply: IndexReply) => {
      if (settled) return;
      answered++;
      if (!onReply(reply) || answered === files.length) end([]);
    });
    worker.on('error', (error) => {
      failure = error.stack ?? String(error);
    });
    worker.on('exit', () => end(files.slice(answered)));
    if (files.length === 0) end([]);
    else worker.postMessage({ files: [...files] } satisfies IndexRequest);
  });
}

/**
 * The language server's handle on its analysis thread: requests go out with an id and come back
 * as promises. A request that overruns its budget by WATCHDOG_SLACK_MS — code the cooperative
 * budget cannot interrupt, such as a parser stuck in wasm — has its thread terminated and a new one
 * started: that request is answered as not analysed, the others in flight fail and are retried by
 * whoever asked, and the server's own thread never waits on any of it.
 */
import { Worker } from 'node:worker_threads';
import type { ProjectFacts } from '../core/rule';
import { workerEntry } from '../workspace/worker-entry';
import type { AnalysisReply, AnalysisRequest, ProjectReference } from './analysis-protocol';

/** How long past its budget a request may run before its thread is replaced. */
const WATCHDOG_SLACK_MS = 5_000;

/** Why a request got no answer: its thread was replaced (it, or another request, hung). */
export class AnalysisThreadRestarted extends Error {}

type Request = AnalysisRequest extends infer R ? (R extends { kind: 'close' } ? never : Omit<R, 'id'>) : never;

interface Pending {
  resolve(reply: AnalysisReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class AnalysisThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly projectKeys = new WeakMap<ProjectFacts, number>();
  private nextProjectKey = 1;
  /** Project keys the current thread has been sent the facts of. */
  private sentProjects = new Set<number>();

  constructor(
    /** Called when a thread is replaced: the trees it kept are gone, so documents must be parsed afresh. */
    private readonly onRestart: (reason: string) => void,
  ) {}

  /** Project facts as a request carries them: in full the first time this thread sees them. */
  project(facts: ProjectFacts): ProjectReference {
    let key = this.projectKeys.get(facts);
    if (key === undefined) this.projectKeys.set(facts, (key = this.nextProjectKey++));
    if (this.sentProjects.has(key)) return { key };
    this.sentProjects.add(key);
    return { key, facts };
  }

  request(request: Request): Promise<AnalysisReply> {
    const id = this.nextId++;
    const worker = this.start();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.restart(id, request.budgetMs + WATCHDOG_SLACK_MS), request.budgetMs + WATCHDOG_SLACK_MS);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ ...request, id } as AnalysisRequest);
    });
  }

  /** Frees what the thread keeps for a closed document. */
  close(uri: string): void {
    this.worker?.postMessage({ kind: 'close', uri, id: 0 } satisfies AnalysisRequest);
  }

  dispose(): Promise<number> | undefined {
    this.failAll(new AnalysisThreadRestarted('the server is shutting down'));
    const worker = this.worker;
    this.worker = undefined;
    return worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = workerEntry(__dirname, 'document-worker.js', 'document-worker.ts');
    const worker = new Worker(file, { execArgv });
    this.sentProjects = new Set();
    worker.on('message', (reply: AnalysisReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      clearTimeout(pending.timer);
      pending.resolve(reply);
    });
    worker.on('error', (error) => this.replace(worker, `the analysis thread failed: ${error.message}`));
    worker.on('exit', () => this.replace(worker, 'the analysis thread exited'));
    this.worker = worker;
    return worker;
  }

  /** A request overran: answer it as too complex, fail the rest, and start over. */
  private restart(id: number, elapsedMs: number): void {
    const pending = this.pending.get(id);
    if (pending) {
      this.pending.delete(id);
      pending.resolve({ id, kind: 'not-analysed', reason: `too complex (${elapsedMs} ms)` });
    }
    if (this.worker) this.replace(this.worker, `an analysis ran past ${elapsedMs} ms; the analysis thread was restarted`);
  }

  private replace(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    void worker.terminate();
    this.failAll(new AnalysisThreadRestarted(reason));
    this.onRestart(reason);
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }
}

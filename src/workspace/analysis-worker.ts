// A worker thread of `analyzeFiles`: loads the parsers once, then answers each WorkerRequest with
// one WorkerReply per file, in order. The facts of the files it summarises are kept (packed past
// a budget) until it checks them.
import { parentPort, workerData } from 'node:worker_threads';
import { loadFrontends } from './analyze';
import { LIVE_FACTS_BUDGET, unpackProject, type WorkerReply, type WorkerRequest, type WorkerStartup } from './batch-analysis';
import { FileAnalyzer } from './file-analysis';
import { pack } from './packed-value';

const port = parentPort;
if (!port) throw new Error('analysis-worker runs only as a worker thread');
const analyzer = new FileAnalyzer((workerData as WorkerStartup).settings, LIVE_FACTS_BUDGET);
const ready = loadFrontends();

function answer(request: WorkerRequest): void {
  if (request.kind === 'summarize') {
    for (const task of request.files) {
      const { summary, digest } = analyzer.index(task);
      port!.postMessage({ kind: 'summary', ...(summary && { summary: pack(summary) }), digest } satisfies WorkerReply);
    }
    return;
  }
  if (request.project) analyzer.setProject(unpackProject(request.project), request.projectDigest);
  for (const task of request.files) port!.postMessage({ kind: 'outcome', outcome: analyzer.check(task) } satisfies WorkerReply);
}

port.on('message', (request: WorkerRequest) => {
  void ready.then(() => answer(request));
});

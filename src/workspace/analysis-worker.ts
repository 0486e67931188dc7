// A worker thread of `analyzeFiles`: loads the parsers once, then answers each WorkerRequest with
// one WorkerReply per file, in order. Files it summarises stay parsed until it checks them.
import { parentPort, workerData } from 'node:worker_threads';
import { loadFrontends } from './analyze';
import type { WorkerReply, WorkerRequest, WorkerStartup } from './batch-analysis';
import { FileAnalyzer } from './file-analysis';

const port = parentPort;
if (!port) throw new Error('analysis-worker runs only as a worker thread');
const analyzer = new FileAnalyzer((workerData as WorkerStartup).settings);
const ready = loadFrontends();

function answer(request: WorkerRequest): void {
  if (request.kind === 'summarize') {
    for (const task of request.files) port!.postMessage({ kind: 'summary', ...analyzer.index(task) } satisfies WorkerReply);
    return;
  }
  if (request.project) analyzer.setProject(request.project, request.projectDigest);
  for (const task of request.files) port!.postMessage({ kind: 'outcome', outcome: analyzer.check(task) } satisfies WorkerReply);
}

port.on('message', (request: WorkerRequest) => {
  void ready.then(() => answer(request));
});

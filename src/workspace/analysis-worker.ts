// A worker thread of `analyzeFiles`: loads the parsers once, then answers each WorkerRequest with
// one WorkerReply per file, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { loadFrontends } from './analyze';
import type { WorkerReply, WorkerRequest, WorkerStartup } from './batch-analysis';
import { analyzeFile } from './file-analysis';

const port = parentPort;
if (!port) throw new Error('analysis-worker runs only as a worker thread');
const { settings } = workerData as WorkerStartup;
const ready = loadFrontends();

port.on('message', (request: WorkerRequest) => {
  void ready.then(() => {
    for (const task of request.files) port.postMessage({ outcome: analyzeFile(task, settings) } satisfies WorkerReply);
  });
});

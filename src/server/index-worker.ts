// The language server's indexing thread (dist/index-worker.js): summarises the files it is sent
// from disk, one IndexReply each, in order. It ends with the index, and with it the parse trees,
// wasm memory and garbage of reading a whole folder, which the server's own heap never holds.
import { parentPort } from 'node:worker_threads';
import { loadFrontends } from '../workspace/analyze';
import type { IndexReply, IndexRequest } from './index-thread';
import { summarizeFile } from './project-context';

const port = parentPort;
if (!port) throw new Error('index-worker runs only as a worker thread');
const ready = loadFrontends();

port.on('message', (request: IndexRequest) => {
  void ready.then(() => {
    for (const { path, moduleName, root } of request.files) {
      let reply: IndexReply;
      try {
        reply = { path, summary: summarizeFile(path, moduleName, root) };
      } catch (error) {
        reply = { path, error: (error as Error).message };
      }
      port.postMessage(reply);
    }
  });
});

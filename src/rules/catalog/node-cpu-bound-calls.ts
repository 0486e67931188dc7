import type { CatalogEntry } from '../../core/call-pattern';

/**
 * Node library calls that keep the CPU busy in JavaScript itself — pure-JS image processing,
 * spreadsheet parsing, key generation and compression — on the thread every request shares.
 * Unlike Node's `*Sync` APIs (IL201), they have no non-blocking form in the same library: the
 * remedy is a worker thread or a native library that works off the main thread. IL203 reports
 * them in request handlers and async functions.
 */

const IN_A_WORKER = 'run it in a `worker_threads` worker (a pool such as `piscina`), so that the event loop keeps serving';

export const NODE_CPU_BOUND_CALLS: readonly CatalogEntry[] = [
  {
    // `Jimp.read` is awaited (a promise), so the operations on the image it gives are what is reported.
    calls: ['{jimp,jimp.Jimp}**.{resize,scale,scaleToFit,cover,contain,crop,rotate,blur,gaussian,greyscale,getBuffer,write}'],
    does: 'processes an image in pure JavaScript on the main thread',
    suggestion: `use \`sharp\`, which works in libuv's threadpool, or ${IN_A_WORKER}`,
  },
  {
    calls: ['{xlsx,exceljs}.{read,readFile,write,writeFile}', 'xlsx.utils.{sheet_to_json,json_to_sheet,sheet_to_csv}'],
    does: 'parses or writes a spreadsheet in pure JavaScript',
    suggestion: IN_A_WORKER,
  },
  {
    calls: ['node-forge.pki.rsa.generateKeyPair', 'node-rsa()', 'node-rsa().generateKeyPair'],
    does: 'generates an RSA key in pure JavaScript, which takes seconds',
    suggestion: "use `crypto.generateKeyPair` (callback form), which runs in libuv's threadpool",
  },
  {
    calls: ['pako.{deflate,inflate,gzip,ungzip,deflateRaw,inflateRaw}'],
    unlessLiteral: [{ position: 0 }],
    does: 'compresses or decompresses in pure JavaScript',
    suggestion: "use `zlib`'s callback form (`await promisify(gzip)(data)`), which runs in libuv's threadpool",
  },
];

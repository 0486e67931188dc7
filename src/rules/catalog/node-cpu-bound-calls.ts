import type { CatalogEntry } from '../../core/call-pattern';

/**
 * Node calls that keep the CPU busy on the thread every request shares: the synchronous forms of
 * `crypto`'s key derivation and key generation and of `zlib`, sync password hashing (`bcrypt`,
 * `bcryptjs`, `@node-rs/*`), hashing compiled to WebAssembly (`hash-wasm`, whose promises resolve
 * only after the work is done on the calling thread), and pure-JS image processing, spreadsheet
 * parsing, key generation and compression. IL203 reports them in request handlers and async
 * functions; IL202 follows sync helpers to them.
 *
 * Left out: salt generation (`genSaltSync` draws a few random bytes), the callback and promise
 * forms of `crypto`, `zlib`, native `bcrypt` and `argon2` (they run in libuv's threadpool),
 * `bcryptjs`'s async API (it yields to the loop between rounds) and `JSON.parse` of request-sized
 * data.
 */

const IN_A_WORKER = 'run it in a `worker_threads` worker (a pool such as `piscina`), so that the event loop keeps serving';

const THREADPOOL_FORM = "use the callback or promise form, which runs in libuv's threadpool";

export const NODE_CPU_BOUND_CALLS: readonly CatalogEntry[] = [
  {
    // A few thousand rounds take a millisecond or two: derivation made cheap on purpose.
    calls: ['crypto.pbkdf2Sync'],
    unlessLiteral: [{ position: 2, below: 10_000 }],
    does: 'derives a key with many rounds of hashing synchronously, which is deliberately slow',
    suggestion: `${THREADPOOL_FORM} (\`await promisify(pbkdf2)(password, salt, rounds, 64, 'sha512')\`)`,
    origin: ['eslint-plugin-n no-sync'],
  },
  {
    calls: ['crypto.{scryptSync,generateKeyPairSync,generateKeySync,generatePrimeSync,checkPrimeSync}'],
    does: 'derives or generates a key synchronously, which is deliberately slow',
    suggestion: `${THREADPOOL_FORM} (\`await promisify(scrypt)(password, salt, 64)\`)`,
    origin: ['eslint-plugin-n no-sync'],
  },
  {
    // Small sizes are as cheap as any other call; megabytes are not.
    calls: ['crypto.randomBytes'],
    ifLiteralAtLeast: { position: 0, value: 65536 },
    does: 'generates a large buffer of random bytes synchronously',
    suggestion: `${THREADPOOL_FORM} (\`await promisify(randomBytes)(size)\`)`,
  },
  {
    calls: ['zlib.{gzipSync,gunzipSync,deflateSync,inflateSync,deflateRawSync,inflateRawSync,unzipSync,brotliCompressSync,brotliDecompressSync,zstdCompressSync,zstdDecompressSync}'],
    unlessLiteral: [{ position: 0 }],
    does: 'compresses or decompresses synchronously on the main thread',
    suggestion: `${THREADPOOL_FORM} (\`await promisify(gzip)(data)\`)`,
    origin: ['eslint-plugin-n no-sync'],
  },
  {
    calls: ['{bcrypt,bcryptjs,bcrypt-nodejs}.{hashSync,compareSync}', '{@node-rs/bcrypt,@node-rs/argon2}.{hashSync,verifySync,compareSync}'],
    does: 'hashes or checks a password synchronously, which is deliberately slow',
    suggestion: 'use the async form (`await bcrypt.compare(…)` with native `bcrypt`, `await verify(…)` with `@node-rs/argon2`), which runs in libuv\'s threadpool',
  },
  {
    calls: ['hash-wasm.{argon2id,argon2i,argon2d,argon2Verify,bcrypt,bcryptVerify,scrypt,pbkdf2}'],
    blocksWhenAwaited: true,
    does: 'hashes or checks a password in WebAssembly on the main thread (awaiting it does not move the work elsewhere)',
    suggestion: `use a native library whose async form runs in libuv's threadpool (\`@node-rs/argon2\`, \`argon2\`), or ${IN_A_WORKER}`,
  },
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

import type { CatalogEntry } from '../../core/call-pattern';

/**
 * Node calls that block the one thread every request shares while they wait for something outside
 * it: the `*Sync` APIs of `fs` and `child_process`, `Atomics.wait`, synchronous database drivers
 * (`better-sqlite3`, `node:sqlite`), and the sync helpers of popular file-system and shell
 * packages. IL201 reports them in request handlers and async functions; IL202 follows sync helpers
 * to them. With the CPU-heavy `*Sync` APIs of `zlib` and `crypto` and sync password hashing
 * (IL203's, in node-cpu-bound-calls.ts) this is the union of eslint-plugin-n `no-sync`, Deno's
 * `no-sync-fn-in-async-fn` and the Node documentation's "don't block the event loop" list, plus
 * the database drivers.
 *
 * Names are those the TypeScript frontend writes: the module as imported (`node:` dropped), then
 * the member path — `fs.readFileSync`, `better-sqlite3().prepare().get` (a method on what a
 * `new Database()` made).
 *
 * Left out, to stay precise: `crypto.randomBytes`/`randomUUID` and hashing (`createHash`, fast),
 * `fs.watch`, `fs.createReadStream` (asynchronous), `require()` (cached after the first call).
 */

/** `fs` sync functions with a promise twin in `fs/promises` taking the same arguments. */
const FS_WITH_PROMISE_TWIN = [
  'readFile', 'writeFile', 'appendFile', 'stat', 'lstat', 'readdir', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink',
  'rename', 'copyFile', 'cp', 'access', 'readlink', 'realpath', 'symlink', 'link', 'chmod', 'chown', 'lchown',
  'utimes', 'lutimes', 'truncate', 'opendir',
];

/** `fs` sync functions that only ask for a file's metadata: usually answered from the OS cache. */
const FS_METADATA = new Set(['stat', 'lstat', 'access', 'readlink', 'realpath']);

const FS_MODULES = '{fs,fs-extra,graceful-fs}';
const FS_PROMISES = 'use its `fs/promises` counterpart (`await access(path)` for `existsSync`, `await readFile(path)` for `readFileSync`), which waits without holding the event loop';

export const NODE_BLOCKING_CALLS: readonly CatalogEntry[] = [
  // ---------------------------------------------------------------- files
  // The general entry first: later entries win, so each call with a promise twin gets its own.
  {
    calls: [`${FS_MODULES}.*Sync`, 'fs.realpathSync.native', '{jsonfile,fs-extra}.{readJsonSync,writeJsonSync,outputJsonSync,readJSONSync,writeJSONSync}'],
    does: 'does file-system I/O synchronously',
    suggestion: FS_PROMISES,
    origin: ['eslint-plugin-n no-sync', 'deno no-sync-fn-in-async-fn'],
  },
  {
    calls: [`${FS_MODULES}.existsSync`],
    does: "asks the file system for a file's metadata synchronously",
    suggestion: FS_PROMISES,
    quick: true,
    origin: ['eslint-plugin-n no-sync', 'deno no-sync-fn-in-async-fn'],
  },
  ...FS_WITH_PROMISE_TWIN.map(
    (name): CatalogEntry => ({
      calls: [`${FS_MODULES}.${name}Sync`],
      does: FS_METADATA.has(name) ? "asks the file system for a file's metadata synchronously" : 'does file-system I/O synchronously',
      suggestion: `use \`await ${name}(…)\` from \`fs/promises\`, which waits without holding the event loop`,
      awaitableEquivalent: { module: 'fs/promises', name },
      ...(FS_METADATA.has(name) && { quick: true }),
      origin: ['eslint-plugin-n no-sync', 'deno no-sync-fn-in-async-fn'],
    }),
  ),
  {
    calls: ['{glob,fast-glob,globby,tinyglobby}.{sync,globSync,globbySync}', '{rimraf,mkdirp}.{sync,rimrafSync,mkdirpSync}', 'del.deleteSync'],
    does: 'walks or changes the file system synchronously',
    suggestion: "use the package's promise API (`await glob(…)`, `await rimraf(…)`)",
  },

  // ---------------------------------------------------------------- processes
  {
    calls: ['child_process.{execSync,execFileSync,spawnSync}', '{execa.execaSync,execa.execaCommandSync,execa.sync,cross-spawn.sync}', 'shelljs.{exec,cp,rm,mv,mkdir,cat,ls,find,sed,grep,test,cd,which,chmod,touch}'],
    does: 'runs a child process and waits for it synchronously',
    suggestion: 'use `execFile`/`spawn` from `child_process` (`promisify(execFile)`) and `await` the result',
    origin: ['eslint-plugin-n no-sync'],
  },

  // ---------------------------------------------------------------- waiting
  {
    calls: ['Atomics.wait'],
    does: 'puts the thread to sleep until another thread notifies it',
    suggestion: 'use `await Atomics.waitAsync(…).value`, or a worker thread',
  },
  {
    calls: ['readline-sync.*'],
    does: 'waits for someone to type at the console',
    suggestion: 'take the value from the request or from configuration read at startup',
  },
  {
    calls: ['sync-request', 'sync-fetch', 'deasync'],
    does: 'makes a blocking HTTP request',
    suggestion: 'use `await fetch(…)`',
  },

  // ---------------------------------------------------------------- databases
  {
    calls: [
      'better-sqlite3',
      'better-sqlite3.Database',
      '{better-sqlite3,better-sqlite3.Database}()**.{run,get,all,iterate,exec,pragma,backup,serialize,loadExtension}',
      '{sqlite.DatabaseSync,node:sqlite.DatabaseSync}',
      '{sqlite.DatabaseSync,node:sqlite.DatabaseSync}()**.{run,get,all,iterate,exec}',
    ],
    does: 'queries SQLite synchronously',
    suggestion: 'keep the queries tiny and indexed, or run them in a `worker_threads` worker; for a shared server, use an asynchronous driver',
  },
];

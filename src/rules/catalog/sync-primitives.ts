import type { CatalogEntry } from '../../core/call-pattern';

/**
 * Thread synchronisation that waits for another thread: on the event loop the wait stops every
 * coroutine, including the one that would have released the waiter. IL204 reports these in
 * coroutines, and also a threading lock held across an `await`.
 *
 * A call that cannot wait — `acquire(blocking=False)`, `get(block=False)`, `wait(0)`,
 * `get_nowait()`, `put_nowait()` — is left alone, and so is a short `with lock:` that never awaits:
 * that is the right way to share state with threadpool handlers. IL204 also leaves alone a
 * `get()` right after the same queue was found non-empty with no await between.
 */

const NEVER_WAIT_ACQUIRE = [
  { keyword: 'blocking', position: 0, values: ['False', '0'] },
  { keyword: 'timeout', position: 1, values: ['0', '0.0'] },
];
const NEVER_WAIT_TIMEOUT_FIRST = [{ keyword: 'timeout', position: 0, values: ['0', '0.0'] }];

/** `filelock`'s locks: between processes, through a file. */
const FILE_LOCKS = 'filelock.FileLock,filelock.SoftFileLock,filelock.UnixFileLock,filelock.WindowsFileLock';

const QUEUES = 'queue.Queue,queue.LifoQueue,queue.PriorityQueue,queue.SimpleQueue,multiprocessing.Queue,multiprocessing.JoinableQueue,multiprocessing.SimpleQueue';

export const SYNC_PRIMITIVES: readonly CatalogEntry[] = [
  {
    calls: ['{threading.Lock,threading.RLock,multiprocessing.Lock,multiprocessing.RLock}().acquire'],
    unlessLiteral: NEVER_WAIT_ACQUIRE,
    does: 'acquires a threading lock, waiting while another holder keeps it',
    suggestion: 'use `asyncio.Lock` (`async with lock:`); to share state with threads, keep the locked section short and free of awaits with `with lock:`',
  },
  {
    calls: ['{threading.Semaphore,threading.BoundedSemaphore,multiprocessing.Semaphore,multiprocessing.BoundedSemaphore}().acquire'],
    unlessLiteral: NEVER_WAIT_ACQUIRE,
    does: 'acquires a threading semaphore, waiting until a permit is free',
    suggestion: 'use `asyncio.Semaphore` (`async with semaphore:`)',
  },
  {
    calls: ['{threading.Event,multiprocessing.Event}().wait'],
    unlessLiteral: NEVER_WAIT_TIMEOUT_FIRST,
    does: 'waits on a `threading.Event` until another thread sets it',
    suggestion: 'use `asyncio.Event` (`await event.wait()`), or `await asyncio.to_thread(event.wait)` when a thread sets it',
  },
  {
    calls: ['{threading.Condition,multiprocessing.Condition}().{wait,wait_for}', '{threading.Barrier,multiprocessing.Barrier}().wait'],
    unlessLiteral: [{ keyword: 'timeout', values: ['0', '0.0'] }],
    does: 'waits on a thread condition or barrier',
    suggestion: 'use `asyncio.Condition` / `asyncio.Barrier`',
  },
  {
    calls: [`{${FILE_LOCKS}}().acquire`],
    unlessLiteral: [
      { keyword: 'blocking', values: ['False', '0'] },
      { keyword: 'timeout', position: 0, values: ['0', '0.0'] },
    ],
    does: 'waits for a file lock while another process holds it',
    suggestion: 'take it with `blocking=False` and retry with `await asyncio.sleep(...)`, or wait for it in a worker thread: `await asyncio.to_thread(lock.acquire)`',
  },
  {
    calls: [`{${FILE_LOCKS}}`],
    blocksWhenEntered: true,
    unlessLiteral: [
      { keyword: 'blocking', values: ['False', '0'] },
      { keyword: 'timeout', values: ['0', '0.0'] },
    ],
    does: 'enters a file lock, waiting while another process holds it',
    suggestion: 'make it non-blocking (`FileLock(path, blocking=False)`) and retry with `await asyncio.sleep(...)`, or use `filelock.AsyncFileLock` (`async with`)',
  },
  {
    calls: [`{${QUEUES}}().get`],
    unlessLiteral: [
      { keyword: 'block', position: 0, values: ['False', '0'] },
      { keyword: 'timeout', position: 1, values: ['0', '0.0'] },
    ],
    does: 'takes from a thread queue, waiting while it is empty',
    suggestion: 'use `asyncio.Queue` (`await queue.get()`), `get_nowait()`, or `janus` for a queue shared with threads',
  },
  {
    calls: [`{${QUEUES}}().put`],
    unlessLiteral: [
      { keyword: 'block', position: 1, values: ['False', '0'] },
      { keyword: 'timeout', position: 2, values: ['0', '0.0'] },
    ],
    does: 'puts into a thread queue, waiting while it is full',
    suggestion: 'use `asyncio.Queue` (`await queue.put(item)`), `put_nowait()`, or `janus` for a queue shared with threads',
  },
  {
    calls: [`{${QUEUES}}().join`, '{threading.Thread,multiprocessing.Process}().join'],
    unlessLiteral: NEVER_WAIT_TIMEOUT_FIRST,
    does: 'waits for a thread, process or queue to finish',
    suggestion: 'await it off the loop: `await asyncio.to_thread(thread.join)`',
  },
  {
    calls: [
      'concurrent.futures.Future().result',
      '{concurrent.futures.ThreadPoolExecutor,concurrent.futures.ProcessPoolExecutor}().submit().result',
      'asyncio.run_coroutine_threadsafe().result',
      'concurrent.futures.wait',
      '{concurrent.futures.ThreadPoolExecutor,concurrent.futures.ProcessPoolExecutor}().shutdown',
      '{multiprocessing.Pool,multiprocessing.pool.Pool,multiprocessing.pool.ThreadPool}().{map,starmap,apply,join}',
    ],
    unlessLiteral: [
      { keyword: 'timeout', position: 0, values: ['0', '0.0'] },
      { keyword: 'wait', values: ['False'] },
    ],
    does: 'waits for work running in another thread or process',
    suggestion: 'await it instead: `await asyncio.wrap_future(future)`, or submit with `await loop.run_in_executor(executor, fn, ...)`',
  },
];

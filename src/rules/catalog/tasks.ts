/**
 * Task, thread and event-loop APIs by qualified callee, for the task rules IL401–IL405. Method
 * calls are named by the receiver's type: `asyncio.get_running_loop().create_task`.
 */

/** Calls that schedule a coroutine as a task and return it; the loop keeps only a weak reference. */
export const TASK_SPAWNERS: ReadonlySet<string> = new Set([
  'asyncio.create_task',
  'asyncio.ensure_future',
  'asyncio.tasks.create_task',
  'asyncio.get_event_loop().create_task',
  'asyncio.get_running_loop().create_task',
  'asyncio.new_event_loop().create_task',
  'asyncio.AbstractEventLoop().create_task',
  'asyncio.get_event_loop().ensure_future',
]);

/** `loop.create_task(...)` on a loop whose type the frontend could not infer (`self.loop` of a property). */
const LOOP_CREATE_TASK = /(^|\.)(loop|event_loop|_loop)\.create_task$/;

export function spawnsTask(callee: string | undefined, text: string): boolean {
  return (callee !== undefined && TASK_SPAWNERS.has(callee)) || LOOP_CREATE_TASK.test(text);
}

/** `.start()` of a thread or process object. */
export const THREAD_STARTS: ReadonlyMap<string, string> = new Map([
  ['threading.Thread().start', 'threading.Thread'],
  ['threading.Timer().start', 'threading.Timer'],
  ['multiprocessing.Process().start', 'multiprocessing.Process'],
  ['multiprocessing.context.Process().start', 'multiprocessing.Process'],
]);

/** Calls that start an event loop and run it to completion: they fail inside a running loop. */
export const LOOP_RUNNERS: ReadonlyMap<string, string> = new Map([
  ['asyncio.run', 'asyncio.run'],
  ['asyncio.runners.run', 'asyncio.run'],
  ['asyncio.Runner().run', 'asyncio.Runner.run'],
  ['anyio.run', 'anyio.run'],
  ['trio.run', 'trio.run'],
  ['asyncio.get_event_loop().run_until_complete', 'loop.run_until_complete'],
  ['asyncio.new_event_loop().run_until_complete', 'loop.run_until_complete'],
  ['asyncio.get_running_loop().run_until_complete', 'loop.run_until_complete'],
  ['asyncio.get_event_loop().run_forever', 'loop.run_forever'],
]);

/** `.run_until_complete(...)` on a loop of unknown type: the method name is unambiguous. */
const RUN_UNTIL_COMPLETE = /\.run_until_complete$/;

/** How a message names the loop-running call, or undefined when the call does not run a loop. */
export function loopRunner(callee: string | undefined, text: string): string | undefined {
  if (callee !== undefined && LOOP_RUNNERS.has(callee)) return LOOP_RUNNERS.get(callee);
  return RUN_UNTIL_COMPLETE.test(callee ?? text) ? 'loop.run_until_complete' : undefined;
}

/** Modules that patch the loop to allow re-entry: their presence means `run_until_complete` nests on purpose. */
export const REENTRANT_LOOP_PATCHES: readonly string[] = ['nest_asyncio'];

/** Decorators that memoize the return value: on a coroutine function that is a one-shot coroutine object. */
export const RESULT_CACHING_DECORATORS: ReadonlyMap<string, string> = new Map([
  ['functools.lru_cache', '@lru_cache'],
  ['functools.cache', '@cache'],
  ['functools.cached_property', '@cached_property'],
  ['cachetools.cached', '@cached'],
  ['cachetools.func.lru_cache', '@lru_cache'],
  ['cachetools.func.ttl_cache', '@ttl_cache'],
  ['cachetools.func.lfu_cache', '@lfu_cache'],
]);

/** A function whose result is cached (`@lru_cache def get_client()`): its body runs once per process, not per call. */
export function runsOncePerProcess(fn: { decorators: readonly string[] }): boolean {
  return fn.decorators.some((decorator) => RESULT_CACHING_DECORATORS.has(decorator));
}

/** Async replacements to suggest for a caching decorator on a coroutine function. */
export const ASYNC_CACHES = '`async_lru.alru_cache`, `aiocache.cached`, or a dict of `asyncio.Task`s';

/** Decorators that return the function they wrap unchanged (or bind it): it stays a coroutine function. */
export const TRANSPARENT_DECORATORS: ReadonlySet<string> = new Set([
  'staticmethod',
  'classmethod',
  'builtins.staticmethod',
  'builtins.classmethod',
  'abc.abstractmethod',
  'typing.override',
  'typing_extensions.override',
  'typing.final',
]);

/** Library coroutine functions that do nothing until awaited. */
export const KNOWN_COROUTINE_FUNCTIONS: ReadonlySet<string> = new Set([
  'asyncio.sleep',
  'asyncio.wait_for',
  'asyncio.wait',
  'asyncio.to_thread',
  'asyncio.open_connection',
  'asyncio.start_server',
  'asyncio.create_subprocess_exec',
  'asyncio.create_subprocess_shell',
  'anyio.sleep',
  'anyio.to_thread.run_sync',
  'anyio.open_file',
  'starlette.concurrency.run_in_threadpool',
  'fastapi.concurrency.run_in_threadpool',
  'asyncpg.connect',
  'asyncpg.create_pool',
  'aio_pika.connect_robust',
]);

/** Coroutine methods by receiver type (the type as the frontend infers it, with `()`). */
export const KNOWN_COROUTINE_METHODS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const websocket = new Set(['accept', 'send_text', 'send_json', 'send_bytes', 'send', 'receive', 'receive_text', 'receive_json', 'receive_bytes', 'close']);
  const request = new Set(['json', 'body', 'form']);
  const httpClient = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'aclose']);
  const redis = new Set(['get', 'set', 'delete', 'incr', 'decr', 'expire', 'publish', 'hset', 'hget', 'lpush', 'rpush', 'sadd', 'zadd', 'aclose']);
  const asyncQueue = new Set(['put', 'get', 'join']);
  // `add` and `add_all` of an AsyncSession are plain methods; these are coroutines.
  const asyncSession = new Set(['commit', 'rollback', 'close', 'execute', 'flush', 'refresh', 'get', 'scalar', 'scalars', 'delete', 'merge']);
  return new Map<string, ReadonlySet<string>>([
    ['fastapi.WebSocket()', websocket],
    ['starlette.websockets.WebSocket()', websocket],
    ['fastapi.Request()', request],
    ['starlette.requests.Request()', request],
    ['httpx.AsyncClient()', httpClient],
    ['redis.asyncio.Redis()', redis],
    ['redis.asyncio.from_url()', redis],
    ['redis.asyncio.Redis.from_url()', redis],
    ['asyncio.Queue()', asyncQueue],
    ['sqlalchemy.ext.asyncio.AsyncSession()', asyncSession],
    ['sqlmodel.ext.asyncio.session.AsyncSession()', asyncSession],
    ['asyncio.Event()', new Set(['wait'])],
    ['asyncio.Lock()', new Set(['acquire'])],
    ['asyncio.Semaphore()', new Set(['acquire'])],
  ]);
})();

/** The library coroutine a call makes, by its qualified callee. */
export function isKnownCoroutineCall(callee: string | undefined): boolean {
  if (!callee) return false;
  if (KNOWN_COROUTINE_FUNCTIONS.has(callee)) return true;
  const dot = callee.lastIndexOf('.');
  return dot > 0 && KNOWN_COROUTINE_METHODS.get(callee.slice(0, dot))?.has(callee.slice(dot + 1)) === true;
}

/** Calls that await many awaitables at once: IL406 looks at what they are given. */
export const GATHERERS: ReadonlySet<string> = new Set([
  'asyncio.gather',
  'asyncio.tasks.gather',
  'asyncio.wait',
  'asyncio.tasks.wait',
  'asyncio.as_completed',
  'asyncio.tasks.as_completed',
  'Promise.all',
  'Promise.allSettled',
  'Promise.any',
  'Promise.race',
]);

/**
 * Task-group methods that start a task at once, by receiver type: `tg.create_task(f(x))`,
 * `tg.start_soon(f, x)`. The group awaits them all when its block ends.
 */
const GROUP_SPAWNERS: ReadonlySet<string> = new Set([
  'asyncio.TaskGroup().create_task',
  'asyncio.taskgroups.TaskGroup().create_task',
  'anyio.create_task_group().start_soon',
  'anyio.create_task_group().start',
  'anyio.abc.TaskGroup().start_soon',
  'anyio.abc.TaskGroup().start',
  'trio.open_nursery().start_soon',
  'trio.open_nursery().start',
  'trio.Nursery().start_soon',
]);

/** A call that starts a task running now: `create_task`, `ensure_future`, or a task group's spawn. */
export function startsTask(callee: string | undefined, text: string): boolean {
  return spawnsTask(callee, text) || (callee !== undefined && GROUP_SPAWNERS.has(callee));
}

/** Spawns that take the coroutine function and its arguments separately: `tg.start_soon(f, x)`. */
export function takesFunctionReference(callee: string | undefined): boolean {
  return callee !== undefined && /\.(start_soon|start)$/.test(callee) && GROUP_SPAWNERS.has(callee);
}

/** Constructors of objects that admit a bounded number of holders: what bounds a fan-out. */
export const CONCURRENCY_LIMITERS: ReadonlySet<string> = new Set([
  'asyncio.Semaphore',
  'asyncio.BoundedSemaphore',
  'asyncio.Lock',
  'anyio.Semaphore',
  'anyio.CapacityLimiter',
  'anyio.Lock',
  'trio.Semaphore',
  'trio.CapacityLimiter',
  'trio.Lock',
  'aiolimiter.AsyncLimiter',
  'asyncio_throttle.Throttler',
  'p-limit',
  'p-limit.default',
  'p-queue',
  'p-queue.default',
  'p-throttle',
  'p-throttle.default',
  'bottleneck',
  'bottleneck.default',
  'async-mutex.Semaphore',
  'async-mutex.Mutex',
  'async-sema.Sema',
]);

/** A limiter whose type is not visible (`self._semaphore`, an injected limiter), recognised by name. */
export const LIMITER_NAME = /(^|[._])(sem|semaphore|\w*_semaphore|limiter|\w*_limiter|limit|\w*_limit|throttle|throttler|slots|\w*_slots)$/i;

/** The JavaScript spelling of a limiter's name: `uploadSemaphore`, `apiLimiter`, `this.fetchLimit`. */
export const CAMEL_CASE_LIMITER_NAME = /(^|\.)[a-z]\w*(Sem|Sema|Semaphore|Limiter|Limit|Throttle|Throttler|Slots)$/;

/** Calls whose name says they cut a collection down to a fixed size or into batches, or cap a count: `min(n, 100)`. */
export const BOUNDING_CALLS = /(^|\.)(limit|islice|batched|chunked|chunk|chunks|batches|paginate|take|head|top|sample|min)$/i;

/** JavaScript array methods that call a function once per element and collect what it returns: `xs.map(f)`. */
export const MAPPING_METHODS = /\.(map|flatMap)$/;

/** A JavaScript query option that caps how many rows come back: Prisma's `take: 50`, Sequelize's `limit: 50`. */
export const ROW_CAP_OPTION = /\b(take|limit|first|last|perPage|pageSize)\s*:/;

/** Methods of a JavaScript limiter that run a function when a slot frees up: `sem.runExclusive(f)`, `limiter.schedule(f)`. */
export const LIMITER_METHODS: ReadonlySet<string> = new Set(['acquire', 'runExclusive', 'schedule', 'wrap', 'add', 'addAll', 'run', 'use']);

/**
 * Callables that run the function they are given off the event loop — in a worker thread, a
 * process, or after the response. They receive a reference (`asyncio.to_thread(fn, arg)`), never a
 * call, so the blocking work inside `fn` does not run on the loop. A sync function decorated with
 * one of them (`@sync_to_async`, `@asyncify`) is awaited, not run, by its callers: IL202 does not
 * follow it. Users add their own with the `offload-wrappers` setting.
 */
export const OFFLOAD_WRAPPERS: readonly string[] = [
  'asyncio.to_thread',
  'asyncio.{get_event_loop,get_running_loop,new_event_loop,AbstractEventLoop,events.AbstractEventLoop}().run_in_executor',
  '{starlette.concurrency,fastapi.concurrency}.{run_in_threadpool,iterate_in_threadpool}',
  '{anyio.to_thread,trio.to_thread,anyio.to_process}.run_sync',
  'asgiref.sync.sync_to_async',
  'asyncer.asyncify',
  'aiofiles.os.wrap',
  '{fastapi.BackgroundTasks,starlette.background.BackgroundTasks}().add_task',
  'starlette.background.BackgroundTask',
  '{concurrent.futures.ThreadPoolExecutor,concurrent.futures.ProcessPoolExecutor}().submit',
];

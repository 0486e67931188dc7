import { compilePattern } from '../call-pattern';
import type { Language } from '../facts';
import type { ContextKind } from './kinds';

/**
 * What the execution-context model knows about frameworks and libraries: decorators that make a
 * function an entry point, calls that run what they are given somewhere else, and files that are
 * not part of the server. Patterns are qualified names as the frontends resolve them, in the
 * `blocking-calls` pattern language (`*` within a segment, `{a,b}` alternatives).
 */

export interface DecoratorEntry {
  pattern: RegExp;
  kind: ContextKind;
  /** How the lens names the entry, `{name}` standing for the function: `Typer command \`{name}\``. */
  label: string;
  /** Only for coroutine functions; a sync function so decorated gets `syncKind` instead. */
  syncKind?: ContextKind;
  /** Tests call everything: what they reach elsewhere says nothing about where it runs in the server. */
  contained?: boolean;
}

const decorator = (pattern: string, kind: ContextKind, label: string, syncKind?: ContextKind, contained?: boolean): DecoratorEntry => ({
  pattern: compilePattern(pattern),
  kind,
  label,
  ...(syncKind && { syncKind }),
  ...(contained && { contained }),
});

export const ENTRY_DECORATORS: readonly DecoratorEntry[] = [
  decorator('typer.Typer().{command,callback}', 'not-served', 'Typer command `{name}`'),
  decorator('{click,asyncclick}.{command,group}', 'not-served', 'Click command `{name}`'),
  decorator('{click,asyncclick}.{Group,Command}().{command,group}', 'not-served', 'Click command `{name}`'),
  decorator('**.{command,group}', 'not-served', 'CLI command `{name}`'),
  decorator('{pytest.fixture,pytest_asyncio.fixture,pytest.mark.**}', 'not-served', 'test `{name}`', undefined, true),
  decorator('socketio.{AsyncServer,Server}().{on,event}', 'request-loop', 'socket.io event `{name}`'),
  decorator('{mcp.server.fastmcp.FastMCP,fastmcp.FastMCP,mcp.server.FastMCP}().{tool,resource,prompt}', 'request-loop', 'MCP tool `{name}`', 'request-threadpool'),
  decorator('{fastapi.FastAPI,starlette.applications.Starlette}().middleware', 'request-loop', 'middleware `{name}`'),
  decorator('apscheduler.schedulers.**.scheduled_job', 'background-loop', 'scheduled job `{name}`', 'worker-thread'),
  decorator('{fastapi_utils.tasks,fastapi_utilities,fastapi_utils}.repeat_every', 'background-loop', 'repeated task `{name}`', 'request-threadpool'),
  decorator('aiocron.crontab', 'background-loop', 'cron job `{name}`'),
  decorator('{celery.Celery().task,celery.shared_task,dramatiq.actor,rq.decorators.job,huey.**.task,arq.**}', 'worker-thread', 'job `{name}` (runs in a job worker)'),
];

/** Base classes whose methods a framework calls: Django management commands, Starlette middleware, socket.io namespaces. */
export interface ClassEntry {
  base: RegExp;
  method: RegExp;
  kind: ContextKind;
  label: string;
  contained?: boolean;
}

export const ENTRY_CLASSES: readonly ClassEntry[] = [
  { base: compilePattern('django.core.management.**.BaseCommand'), method: /^handle$/, kind: 'not-served', label: 'Django command `{class}`' },
  { base: compilePattern('starlette.middleware.base.BaseHTTPMiddleware'), method: /^dispatch$/, kind: 'request-loop', label: 'middleware `{class}`' },
  { base: compilePattern('socketio.{AsyncNamespace,Namespace}'), method: /^on_\w+$/, kind: 'request-loop', label: 'socket.io event `{method}`' },
  { base: compilePattern('unittest.{TestCase,IsolatedAsyncioTestCase}'), method: /./, kind: 'not-served', label: 'test `{class}`', contained: true },
];

/** How a call runs a function it is handed (by reference, or as a coroutine it is given). */
/** How a call runs a function it is handed; `route` registers it as a request handler, which each request then runs. */
export type EdgeKind = 'inline' | 'offload' | 'after-response' | 'task' | 'thread' | 'own-loop' | 'memo' | 'route' | 'validates';

/**
 * Pydantic's validator decorators: the method runs while a model is built, and a FastAPI handler's
 * body (and query) models are built on the event loop before the handler runs, whatever the handler is.
 */
export const MODEL_VALIDATORS = /^pydantic(\.\w+)*\.(field_validator|model_validator|validator|root_validator)$/;

export interface EdgeCall {
  pattern: RegExp;
  edge: EdgeKind;
}

const edge = (pattern: string, kind: EdgeKind): EdgeCall => ({ pattern: compilePattern(pattern), edge: kind });

/**
 * Calls that run what they are given elsewhere: a function reference (`to_thread(f)`,
 * `Thread(target=f)`) or a coroutine (`create_task(f())`, `asyncio.run(main())`).
 */
export const EDGE_CALLS: readonly EdgeCall[] = [
  edge('{fastapi.BackgroundTasks,starlette.background.BackgroundTasks}().add_task', 'after-response'),
  edge('starlette.background.BackgroundTask', 'after-response'),
  edge('asyncio.to_thread', 'offload'),
  edge('asyncio.{get_event_loop,get_running_loop,new_event_loop,AbstractEventLoop,events.AbstractEventLoop}().run_in_executor', 'offload'),
  edge('{starlette.concurrency,fastapi.concurrency}.{run_in_threadpool,iterate_in_threadpool}', 'offload'),
  edge('{anyio.to_thread,trio.to_thread,anyio.to_process}.run_sync', 'offload'),
  edge('{asgiref.sync.sync_to_async,asyncer.asyncify}', 'offload'),
  edge('{concurrent.futures.ThreadPoolExecutor,concurrent.futures.ProcessPoolExecutor}().{submit,map}', 'thread'),
  edge('{threading.Thread,threading.Timer,multiprocessing.Process}', 'thread'),
  edge('{asyncio.create_task,asyncio.ensure_future,asyncio.tasks.create_task}', 'task'),
  edge('asyncio.{get_event_loop,get_running_loop,new_event_loop,AbstractEventLoop}().{create_task,call_soon,call_later}', 'task'),
  edge('asyncio.TaskGroup().create_task', 'task'),
  edge('anyio.**.start_soon', 'task'),
  edge('apscheduler.schedulers.**.add_job', 'task'),
  edge('{asyncio.run,asyncio.runners.run,anyio.run,trio.run,asyncio.Runner().run}', 'own-loop'),
  edge('asyncio.{get_event_loop,new_event_loop}().run_until_complete', 'own-loop'),
  // Routes registered by a call rather than a decorator: `Route("/scrape", scrape)`, `app.add_api_route(…)`, aiohttp's `web.get(…)`.
  edge('starlette.routing.{Route,WebSocketRoute}', 'route'),
  // The decorator applied by hand: `register = router.post("/register")(register)`.
  edge('{fastapi.FastAPI,fastapi.APIRouter,fastapi.routing.APIRouter}().{get,post,put,patch,delete,head,options,api_route,websocket}()', 'route'),
  edge('{fastapi.FastAPI,fastapi.APIRouter,fastapi.routing.APIRouter,starlette.applications.Starlette,starlette.routing.Router}().{add_route,add_api_route,add_websocket_route,add_api_websocket_route}', 'route'),
  edge('aiohttp.web.{get,post,put,patch,delete,head,route,view}', 'route'),
  edge('aiohttp.web.Application().router.{add_get,add_post,add_put,add_patch,add_delete,add_head,add_route,add_view}', 'route'),
  // Node: timers and the event loop's own queues run a callback later, on the loop.
  edge('{setTimeout,setInterval,setImmediate,queueMicrotask,process.nextTick}', 'task'),
];

/** The last name of every call EDGE_CALLS and the fallbacks below can match: most calls are none of them. */
const EDGE_NAMES = new Set([
  'add_task', 'BackgroundTask', 'to_thread', 'run_in_executor', 'run_in_threadpool', 'iterate_in_threadpool', 'run_sync',
  'sync_to_async', 'asyncify', 'submit', 'map', 'Thread', 'Timer', 'Process', 'create_task', 'ensure_future', 'call_soon',
  'call_later', 'start_soon', 'add_job', 'run', 'run_until_complete', 'setTimeout', 'setInterval', 'setImmediate',
  'queueMicrotask', 'nextTick', 'Route', 'WebSocketRoute', 'add_route', 'add_api_route', 'add_websocket_route', 'add_api_websocket_route',
  'get()', 'post()', 'put()', 'patch()', 'delete()', 'head()', 'options()', 'api_route()', 'websocket()',
  'get', 'post', 'put', 'patch', 'delete', 'head', 'route', 'view', 'add_get', 'add_post', 'add_put', 'add_patch', 'add_delete', 'add_head', 'add_view',
]);

export function edgeOf(callee: string | undefined, text: string): EdgeKind | undefined {
  const name = callee ?? text;
  if (!EDGE_NAMES.has(name.slice(name.lastIndexOf('.') + 1)) && !EDGE_NAMES.has(text.slice(text.lastIndexOf('.') + 1))) return undefined;
  const known = EDGE_CALLS.find((entry) => entry.pattern.test(name));
  if (known) return known.edge;
  // A loop whose type the frontend could not infer: `self.loop.run_in_executor(None, f)`.
  if (/(^|\.)run_in_executor$/.test(text)) return 'offload';
  if (/(^|\.)(loop|_loop|event_loop)\.create_task$/.test(text)) return 'task';
  if (/(^|\.)run_until_complete$/.test(text)) return 'own-loop';
  return undefined;
}

/** What a file is for, when its path says it is not part of the server. */
export interface FileRole {
  kind: ContextKind;
  label: string;
  contained?: boolean;
}

const PYTHON_NOT_SERVED: readonly [RegExp, string][] = [
  [/(^|\.)(tests?|testing|conftest|test_[^.]*|[^.]*_tests?)(\.|$)/, 'tests'],
  [/(^|\.)(migrations|alembic)(\.|$)/, 'migrations'],
  [/(^|\.)(seeds?|seeders?|seed_[^.]*|[^.]*_seed)(\.|$)/, 'seed script'],
  [/(^|\.)(scripts|bin|cli|__main__|setup|noxfile|fabfile)(\.|$)/, 'command-line script'],
  [/(^|\.)management\.commands(\.|$)/, 'Django management command'],
];

const NODE_NOT_SERVED: readonly [RegExp, string][] = [
  [/(^|\/)(tests?|__tests__|__mocks__|e2e|cypress|spec)(\/|$)|\.(test|spec|e2e|stories)$/, 'tests'],
  [/(^|\/)(migrations?|seeds?|seeders?)(\/|$)/, 'migrations and seeds'],
  [/(^|\/)(scripts|bin)(\/|$)/, 'command-line script'],
  [/(^|\/)[^/]*\.config$|(^|\/)(gulpfile|gruntfile|jakefile|Gruntfile|Gulpfile)$/, 'build configuration'],
  [/(^|\/)(public|static|frontend|browser|www)(\/|$)/, 'browser code'],
];

/** Marks the name of a module file a package of the same name hides, so no import resolves to it. */
const SHADOWED = ' (shadowed)';

/** The name given to a module file that a package of the same name hides: `app.plugins (shadowed)`. */
export function shadowedModuleName(moduleName: string): string {
  return `${moduleName}${SHADOWED}`;
}

/** A module file no import can load, since a package of the same name wins: nothing in it runs. */
export function shadowedRole(moduleName: string): FileRole | undefined {
  return moduleName.endsWith(SHADOWED) ? { kind: 'not-served', label: 'module hidden by the package of the same name', contained: true } : undefined;
}

/**
 * A module that only the command line, tests, migrations or the browser run, by where it sits in
 * the project (dotted for Python, slashed for JavaScript; relative to the project, so a project
 * kept under `tests/` of another repository is not mistaken for tests).
 */
export function fileRoleOf(language: Language, place: string, source: string): FileRole | undefined {
  const table = language === 'python' ? PYTHON_NOT_SERVED : NODE_NOT_SERVED;
  for (const [pattern, label] of table) if (pattern.test(place)) return { kind: 'not-served', label, ...(label === 'tests' && { contained: true }) };
  if (language === 'typescript' && BROWSER_GLOBALS.test(source) && !SERVER_MODULES.test(source)) return { kind: 'not-served', label: 'browser code' };
  return undefined;
}

/** A module that reads the browser's globals at all is browser code, unless it also uses Node's own modules. */
const BROWSER_GLOBALS = /(^|[^.\w$])(window|document|localStorage|navigator)\.\w/;
const SERVER_MODULES = /\brequire\(\s*['"](node:)?(fs|http|https|net|child_process|express|koa|fastify)['"]|\bfrom\s+['"](node:)?(fs|http|https|net|child_process|express|koa|fastify|@nestjs\/[\w-]+)['"]/;

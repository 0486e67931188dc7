/**
 * What belongs to one request, for IL604 (cached-request-data): the objects a framework builds
 * per request, the module-level proxies and context variables that read the current request, the
 * security schemes that read its credentials, and the caches that keep a function's result.
 */

/**
 * Annotations of objects the framework builds for each request, which are hashable by identity:
 * as a cache key, each is new on every request. (Starlette's `HTTPConnection` hashes by identity.)
 */
export const PER_REQUEST_TYPES: ReadonlyMap<string, string> = new Map([
  ['fastapi.Request', 'the request'],
  ['fastapi.requests.Request', 'the request'],
  ['starlette.requests.Request', 'the request'],
  ['starlette.requests.HTTPConnection', 'the connection'],
  ['fastapi.WebSocket', 'the WebSocket'],
  ['fastapi.websockets.WebSocket', 'the WebSocket'],
  ['starlette.websockets.WebSocket', 'the WebSocket'],
  ['fastapi.Response', 'the response'],
  ['fastapi.responses.Response', 'the response'],
  ['starlette.responses.Response', 'the response'],
  ['fastapi.BackgroundTasks', "the request's background tasks"],
  ['fastapi.background.BackgroundTasks', "the request's background tasks"],
  ['starlette.background.BackgroundTasks', "the request's background tasks"],
  ['fastapi.security.SecurityScopes', "the request's security scopes"],
  ['django.http.HttpRequest', 'the request'],
  ['django.http.request.HttpRequest', 'the request'],
  ['rest_framework.request.Request', 'the request'],
]);

/** Module-level names that stand for the request being served (context-local proxies), by what they are. */
export const REQUEST_PROXIES: ReadonlyMap<string, string> = new Map([
  ['flask.request', "Flask's `request`"],
  ['flask.g', "Flask's `g`"],
  ['flask.session', "Flask's `session`"],
  ['flask_login.current_user', "Flask-Login's `current_user`"],
  ['quart.request', "Quart's `request`"],
  ['quart.websocket', "Quart's `websocket`"],
  ['quart.g', "Quart's `g`"],
  ['quart.session', "Quart's `session`"],
  ['starlette_context.context', "starlette-context's `context`"],
  ['fastapi_globals.g', "fastapi-globals' `g`"],
]);

/** Reading a context variable: in a server, set per request or per task by middleware. */
export const CONTEXT_VARIABLE_GET = 'contextvars.ContextVar().get';

/** FastAPI's security schemes: as a dependency (`Depends(oauth2_scheme)`) each hands over the request's credentials. */
export function isSecurityScheme(type: string): boolean {
  return /^fastapi\.security(\.[a-z_]+)?\.[A-Z]\w*\(\)$/.test(type) && !type.endsWith('.SecurityScopes()');
}

/** Sessions built to be shared: a registry that hands each thread or task its own session. */
export const SHARED_SESSION_REGISTRIES: ReadonlySet<string> = new Set([
  'sqlalchemy.orm.scoped_session()',
  'sqlalchemy.orm.scoping.scoped_session()',
  'sqlalchemy.ext.asyncio.async_scoped_session()',
  'flask_sqlalchemy.SQLAlchemy().session',
]);

/** Decorators that keep a function's result by its arguments for the life of the process, as messages name them. */
export const RESULT_CACHES: ReadonlyMap<string, string> = new Map([
  ['functools.lru_cache', '@lru_cache'],
  ['functools.cache', '@cache'],
  ['cachetools.cached', '@cached'],
  ['cachetools.func.lru_cache', '@lru_cache'],
  ['cachetools.func.ttl_cache', '@ttl_cache'],
  ['cachetools.func.lfu_cache', '@lfu_cache'],
  ['async_lru.alru_cache', '@alru_cache'],
  ['aiocache.cached', '@cached'],
]);

/** Caches that cannot hold a coroutine's result: on an `async def` they are IL405's finding. */
export const SYNC_ONLY_CACHES: ReadonlySet<string> = new Set(['functools.lru_cache', 'functools.cache', 'cachetools.cached', 'cachetools.func.lru_cache', 'cachetools.func.ttl_cache', 'cachetools.func.lfu_cache']);

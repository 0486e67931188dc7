/**
 * Application servers and the frameworks they serve, for the deployment rules IL601 and IL602:
 * which gunicorn worker classes speak ASGI, and which constructors build an ASGI or a WSGI app.
 */

export type Protocol = 'asgi' | 'wsgi';

/** gunicorn worker classes that run an ASGI app (uvicorn's, in either package). */
const ASGI_WORKER_CLASSES: ReadonlySet<string> = new Set([
  'uvicorn.workers.UvicornWorker',
  'uvicorn.workers.UvicornH11Worker',
  'uvicorn_worker.UvicornWorker',
  'uvicorn_worker.UvicornH11Worker',
]);

/** gunicorn's own worker classes, by short and full name: all call the app as WSGI. */
const WSGI_WORKER_CLASSES: ReadonlySet<string> = new Set([
  'sync',
  'gthread',
  'gevent',
  'eventlet',
  'tornado',
  'gunicorn.workers.sync.SyncWorker',
  'gunicorn.workers.gthread.ThreadWorker',
  'gunicorn.workers.ggevent.GeventWorker',
  'gunicorn.workers.geventlet.EventletWorker',
  'gunicorn.workers.gtornado.TornadoWorker',
]);

/** The worker class to suggest. */
export const ASGI_WORKER_CLASS = 'uvicorn.workers.UvicornWorker';

/** gunicorn's default worker class. */
export const DEFAULT_WORKER_CLASS = 'sync';

/** Whether a worker class is one of gunicorn's WSGI workers; undefined for a class Interleave does not know (a project's own). */
export function workerProtocol(workerClass: string): Protocol | undefined {
  const name = workerClass.replace(/^egg:gunicorn#/, '');
  if (ASGI_WORKER_CLASSES.has(name)) return 'asgi';
  return WSGI_WORKER_CLASSES.has(name) ? 'wsgi' : undefined;
}

/** Constructors of application objects, by qualified callee, and the protocol a server must speak to them. */
export const APPLICATION_CONSTRUCTORS: ReadonlyMap<string, { protocol: Protocol; framework: string }> = new Map([
  ['fastapi.FastAPI', { protocol: 'asgi', framework: 'FastAPI' }],
  ['fastapi.applications.FastAPI', { protocol: 'asgi', framework: 'FastAPI' }],
  ['starlette.applications.Starlette', { protocol: 'asgi', framework: 'Starlette' }],
  ['litestar.Litestar', { protocol: 'asgi', framework: 'Litestar' }],
  ['quart.Quart', { protocol: 'asgi', framework: 'Quart' }],
  ['django.core.asgi.get_asgi_application', { protocol: 'asgi', framework: 'Django (ASGI)' }],
  ['flask.Flask', { protocol: 'wsgi', framework: 'Flask' }],
  ['django.core.wsgi.get_wsgi_application', { protocol: 'wsgi', framework: 'Django' }],
  ['falcon.App', { protocol: 'wsgi', framework: 'Falcon' }],
  ['falcon.API', { protocol: 'wsgi', framework: 'Falcon' }],
  ['bottle.Bottle', { protocol: 'wsgi', framework: 'Bottle' }],
  ['pyramid.config.Configurator', { protocol: 'wsgi', framework: 'Pyramid' }],
]);

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzePython, loadPythonParser } from './frontend';

before(loadPythonParser);

/** `name:kind:framework` for every non-plain function. */
function roles(source: string): string[] {
  return analyzePython(source, '/p/app/main.py', 'app.main')
    .facts.functions.filter((fn) => fn.kind !== 'plain')
    .map((fn) => `${fn.name}:${fn.kind}:${fn.framework}`);
}

describe('handler detection', () => {
  it('finds FastAPI routes, websockets, routers, add_api_route and dependencies', () => {
    assert.deepEqual(
      roles(`
from typing import Annotated
from fastapi import APIRouter, Depends, FastAPI, Security
app = FastAPI()
router = APIRouter(prefix="/x", dependencies=[Depends(verify)])
async def verify(): ...
def get_db():
    yield 1
async def current_user(db=Depends(get_db)): ...
def scopes(): ...
@app.get("/")
async def root(user: Annotated[str, Depends(current_user)]): ...
@router.post("/items")
def create(user=Security(scopes)): ...
@app.api_route("/any", methods=["GET"])
async def anything(): ...
@app.websocket("/ws")
async def ws(websocket): ...
async def added(): ...
async def added_ws(websocket): ...
app.add_api_route("/added", added)
app.add_api_websocket_route("/added-ws", added_ws)
`),
      [
        'verify:dependency:fastapi',
        'get_db:dependency:fastapi',
        'current_user:dependency:fastapi',
        'scopes:dependency:fastapi',
        'root:route:fastapi',
        'create:route:fastapi',
        'anything:route:fastapi',
        'ws:websocket:fastapi',
        'added:route:fastapi',
        'added_ws:websocket:fastapi',
      ],
    );
  });

  it('finds routes on a router imported from another module', () => {
    assert.deepEqual(roles('from fastapi import Depends\nfrom .routing import router\n@router.get("/x")\nasync def x(): ...\n'), ['x:route:fastapi']);
  });

  it('finds lifespans, startup and shutdown hooks and background tasks', () => {
    assert.deepEqual(
      roles(`
from contextlib import asynccontextmanager
from fastapi import BackgroundTasks, FastAPI
@asynccontextmanager
async def lifespan(app): yield
app = FastAPI(lifespan=lifespan)
@app.on_event("startup")
async def start(): ...
@app.on_event("shutdown")
async def stop(): ...
async def warm(): ...
app.add_event_handler("startup", warm)
def send_email(to): ...
@app.post("/signup")
async def signup(tasks: BackgroundTasks):
    tasks.add_task(send_email, "x")
`),
      ['lifespan:lifespan:fastapi', 'start:startup:fastapi', 'stop:shutdown:fastapi', 'warm:startup:fastapi', 'send_email:background:fastapi', 'signup:route:fastapi'],
    );
  });

  it('finds Starlette routes, websocket routes, endpoints classes and hooks', () => {
    assert.deepEqual(
      roles(`
from starlette.applications import Starlette
from starlette.endpoints import HTTPEndpoint, WebSocketEndpoint
from starlette.routing import Mount, Route, Router, WebSocketRoute
async def home(request): ...
def sync_page(request): ...
async def feed(websocket): ...
async def startup(): ...
class Items(HTTPEndpoint):
    async def get(self, request): ...
    def helper(self): ...
class Echo(WebSocketEndpoint):
    async def on_receive(self, websocket, data): ...
routes = [Route("/", home), Route("/page", endpoint=sync_page), WebSocketRoute("/feed", feed), Mount("/api", routes=[Route("/items", Items)])]
app = Starlette(routes=routes, on_startup=[startup])
`),
      ['home:route:starlette', 'sync_page:route:starlette', 'feed:websocket:starlette', 'startup:startup:starlette', 'get:route:starlette', 'on_receive:websocket:starlette'],
    );
  });

  it('finds aiohttp routes, route tables, class-based views and signals', () => {
    assert.deepEqual(
      roles(`
from aiohttp import web
routes = web.RouteTableDef()
@routes.get("/a")
async def a(request): ...
async def b(request): ...
async def c(request): ...
async def d(request): ...
async def on_start(app): ...
async def on_stop(app): ...
async def context(app):
    yield
class Users(web.View):
    async def get(self): ...
app = web.Application()
app.add_routes([web.get("/b", b), web.route("POST", "/c", c)])
app.router.add_get("/d", d)
app.on_startup.append(on_start)
app.on_cleanup.append(on_stop)
app.cleanup_ctx.append(context)
`),
      ['a:route:aiohttp', 'b:route:aiohttp', 'c:route:aiohttp', 'd:route:aiohttp', 'on_start:startup:aiohttp', 'on_stop:shutdown:aiohttp', 'context:lifespan:aiohttp', 'get:route:aiohttp'],
    );
  });

  it('leaves functions of apps it does not know alone', () => {
    assert.deepEqual(roles('from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index(): ...\n@app.get("/x")\ndef x(): ...\n'), []);
  });
});

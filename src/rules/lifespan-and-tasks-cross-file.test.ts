import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkModulesWith } from '../../test/support/analyze-project';
import { missingCleanup } from './missing-cleanup';
import { unawaitedCoroutine } from './unawaited-coroutine';

describe('IL403 unawaited-coroutine across modules', () => {
  const services = `class Notifier:
    async def send(self, message: str) -> None:
        return None

    def flush(self) -> None:
        return None


notifier = Notifier()


async def notify(user: str) -> None:
    return None
`;
  const main = `from fastapi import FastAPI

from app import services
from app.services import notifier, notify

app = FastAPI()


@app.post("/signup")
async def signup(user: str) -> dict:
    notify(user)
    services.notify(user)
    notifier.send("welcome")
    notifier.flush()
    await notify(user)
    return {"ok": True}
`;

  it('finds coroutine functions, methods and module-level instances of other modules', async () => {
    const reports = await checkModulesWith({ 'app.services': services, 'app.main': main }, unawaitedCoroutine);
    assert.deepEqual(reports.get('app.main'), ['11: IL403', '12: IL403', '13: IL403']);
    assert.deepEqual(reports.get('app.services'), []);
  });

  it('says nothing about calls into modules it has no summary of', async () => {
    const reports = await checkModulesWith({ 'app.main': main }, unawaitedCoroutine);
    assert.deepEqual(reports.get('app.main'), []);
  });
});

describe('IL301 missing-cleanup across modules', () => {
  const clients = `import httpx

http_client = httpx.AsyncClient()
search_client = httpx.AsyncClient()
`;
  const main = `from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from app.clients import http_client


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.payments = httpx.AsyncClient()
    yield
    await http_client.aclose()


app = FastAPI(lifespan=lifespan)
`;
  const shutdown = `from fastapi import FastAPI


async def close_clients(app: FastAPI) -> None:
    await app.state.payments.aclose()
`;

  const hooks = `from app.main import app
from app.shutdown import close_clients

app.add_event_handler("shutdown", close_clients)
`;

  it('counts a close in another module, by qualified name and by app.state key', async () => {
    const reports = await checkModulesWith({ 'app.clients': clients, 'app.main': main, 'app.shutdown': shutdown, 'app.hooks': hooks }, missingCleanup);
    assert.deepEqual(reports.get('app.clients'), ['4: IL301']);
    assert.deepEqual(reports.get('app.main'), []);
  });

  it('does not count a close in a function nothing calls or registers', async () => {
    const reports = await checkModulesWith({ 'app.clients': clients, 'app.main': main, 'app.shutdown': shutdown }, missingCleanup);
    assert.deepEqual(reports.get('app.main'), ['11: IL301']);
  });

  it('reports what no module closes', async () => {
    const reports = await checkModulesWith({ 'app.clients': clients, 'app.main': main }, missingCleanup);
    assert.deepEqual(reports.get('app.clients'), ['4: IL301']);
    assert.deepEqual(reports.get('app.main'), ['11: IL301']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkModulesWith } from '../../test/support/analyze-project';
import { danglingTask } from './dangling-task';
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

describe('IL401 dangling-task across modules', () => {
  const core = `import asyncio


class Core:
    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    def create_task(self, coroutine):
        return self.loop.create_task(coroutine)


class CoreAttributes:
    core: Core

    def sys_create_task(self, coroutine):
        return self.core.create_task(coroutine)
`;
  const api = `from app.core import CoreAttributes


class Mounts(CoreAttributes):
    async def reload(self) -> None:
        return None

    async def create(self) -> None:
        self.sys_create_task(self.reload())

    async def remove(self) -> None:
        task = self.sys_create_task(self.reload())
        await task
`;

  it('knows the helpers of other modules that hand back a task they do not keep', async () => {
    assert.deepEqual((await checkModulesWith({ 'app.core': core, 'app.api': api }, danglingTask)).get('app.api'), ['9: IL401']);
    assert.deepEqual((await checkModulesWith({ 'app.api': api }, danglingTask)).get('app.api'), []);
  });
});

describe('IL301 missing-cleanup across modules', () => {
  // Clients opened at import are IL301's preview part.
  const PREVIEW = { preview: true };
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
    const reports = await checkModulesWith({ 'app.clients': clients, 'app.main': main, 'app.shutdown': shutdown, 'app.hooks': hooks }, missingCleanup, 'py', PREVIEW);
    assert.deepEqual(reports.get('app.clients'), ['4: IL301']);
    assert.deepEqual(reports.get('app.main'), []);
  });

  it('does not count a close in a function nothing calls or registers', async () => {
    const reports = await checkModulesWith({ 'app.clients': clients, 'app.main': main, 'app.shutdown': shutdown }, missingCleanup, 'py', PREVIEW);
    assert.deepEqual(reports.get('app.main'), ['11: IL301']);
  });

  it('reports what no module closes', async () => {
    const reports = await checkModulesWith({ 'app.clients': clients, 'app.main': main }, missingCleanup, 'py', PREVIEW);
    assert.deepEqual(reports.get('app.clients'), ['4: IL301']);
    assert.deepEqual(reports.get('app.main'), ['11: IL301']);
  });
});

describe('IL401 and IL403 across TypeScript modules', () => {
  const jobs = `export async function refresh(): Promise<void> {
  await fetch('https://rates.example.com');
}

export async function refreshQuietly(): Promise<void> {
  try {
    await refresh();
  } catch (error) {
    console.error(error);
  }
}
`;
  const main = `import { EventEmitter } from 'node:events';
import { refresh, refreshQuietly } from './jobs';

const events = new EventEmitter();

events.on('tick', async () => {
  await refresh();
});

events.on('tock', async () => {
  await refreshQuietly();
});

export function start(): void {
  refresh();
  refreshQuietly();
}
`;
  const entry = `process.on('unhandledRejection', (reason) => {
  console.error(reason);
});
`;

  it('know which functions of other modules cannot reject', async () => {
    assert.deepEqual((await checkModulesWith({ 'src/jobs': jobs, 'src/main': main }, danglingTask, 'ts')).get('src/main'), ['6: IL401']);
    assert.deepEqual((await checkModulesWith({ 'src/jobs': jobs, 'src/main': main }, unawaitedCoroutine, 'ts')).get('src/main'), ['15: IL403']);
  });

  it('stop calling a dropped rejection fatal once any module installs an unhandledRejection handler', async () => {
    assert.deepEqual((await checkModulesWith({ 'src/jobs': jobs, 'src/main': main, 'src/entry': entry }, danglingTask, 'ts')).get('src/main'), []);
  });
  it('follow a class CommonJS exports as the module itself to its async statics', async () => {
    const model = `const { knex } = require('./db');

class Stats {
  static async send(io, monitorId) {
    const rows = await knex('heartbeat').where({ monitorId });
    io.emit('stats', monitorId, rows.length);
  }

  static label(monitorId) {
    return 'monitor ' + monitorId;
  }
}

module.exports = Stats;
`;
    const router = `const express = require('express');
const Stats = require('./stats');

const router = express.Router();

router.post('/push/:id', async (req, res) => {
  Stats.send(req.app.get('io'), req.params.id);
  await Stats.send(req.app.get('io'), req.params.id);
  res.json({ label: Stats.label(req.params.id) });
});
`;
    assert.deepEqual((await checkModulesWith({ 'src/stats': model, 'src/router': router }, unawaitedCoroutine, 'ts')).get('src/router'), ['7: IL403']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../core/config';
import { checkModule, projectFacts, summarizeModule, type ParsedModule } from '../core/engine';
import { analyzePython, loadPythonParser } from '../python/frontend';
import { missingCleanup } from './missing-cleanup';
import { unawaitedCoroutine } from './unawaited-coroutine';

/** Both passes over a set of modules: summaries first, then each module checked against them. */
async function checkProject(modules: Record<string, string>, rule: typeof missingCleanup): Promise<Map<string, string[]>> {
  await loadPythonParser();
  const parsed: ParsedModule[] = Object.entries(modules).map(([name, source]) =>
    analyzePython(source, `/project/${name.replace(/\./g, '/')}.py`, name),
  );
  const rules = [rule];
  const summaries = parsed.map((module) => summarizeModule(module, rules));
  assert.deepEqual(JSON.parse(JSON.stringify(summaries)), summaries, 'summaries are JSON-serialisable');
  const project = projectFacts(summaries);
  const config = resolveConfig([], rules.map((candidate) => candidate.meta));
  return new Map(
    parsed.map((module) => [
      module.facts.moduleName,
      checkModule(module, { rules, config, project }).hazards.map((hazard) => `${hazard.range.start.line + 1}: ${hazard.code}`),
    ]),
  );
}

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
    const reports = await checkProject({ 'app.services': services, 'app.main': main }, unawaitedCoroutine);
    assert.deepEqual(reports.get('app.main'), ['11: IL403', '12: IL403', '13: IL403']);
    assert.deepEqual(reports.get('app.services'), []);
  });

  it('says nothing about calls into modules it has no summary of', async () => {
    const reports = await checkProject({ 'app.main': main }, unawaitedCoroutine);
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

  it('counts a close in another module, by qualified name and by app.state key', async () => {
    const reports = await checkProject({ 'app.clients': clients, 'app.main': main, 'app.shutdown': shutdown }, missingCleanup);
    assert.deepEqual(reports.get('app.clients'), ['4: IL301']);
    assert.deepEqual(reports.get('app.main'), []);
  });

  it('reports what no module closes', async () => {
    const reports = await checkProject({ 'app.clients': clients, 'app.main': main }, missingCleanup);
    assert.deepEqual(reports.get('app.clients'), ['4: IL301']);
    assert.deepEqual(reports.get('app.main'), ['11: IL301']);
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RULES } from '../../rules';
import { loadFrontends, parseSource } from '../../workspace/analyze';
import { projectFacts, summarizeModule, type ParsedModule } from '../engine';
import type { WorkerSetting } from '../hazard';
import type { ProjectFacts } from '../rule';
import { contextAnnotationAt, contextAnnotations, moduleNotes, workersFor, type AnnotationScope } from './annotations';
import { contextLines } from './describe';
import { contextModelOf } from './index';

const GUNICORN: WorkerSetting = {
  count: 4,
  source: { path: '/project/gunicorn.conf.py', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 11 } }, text: 'workers = 4' },
};

const MAIN = `import threading
from contextlib import asynccontextmanager
from functools import lru_cache

from fastapi import Depends, FastAPI

from app.helpers import render

RETRIES = 3
SESSIONS = {}
lock = threading.Lock()


class Counter:
    hits = 0


@lru_cache
def get_settings():
    return {"name": "shop"}


@asynccontextmanager
async def lifespan(app):
    yield


app = FastAPI(lifespan=lifespan)


@app.on_event("startup")
async def warm_up():
    pass


async def current_user(settings=Depends(get_settings)):
    return settings


@app.get("/dashboard")
async def dashboard(user=Depends(current_user)):
    Counter.hits += 1
    SESSIONS[user] = True
    return render(user)


@app.get("/export")
def export():
    def rows():
        return []
    return rows()


def orphan():
    return 1
`;

const HELPERS = `def render(user):
    return str(user)
`;

const SEED = `import typer

cli = typer.Typer()


@cli.command()
def seed():
    pass
`;

const TEST = `def test_dashboard():
    assert True
`;

const EXPRESS = `import express from 'express';

const app = express();
let hits = 0;
const LIMIT = 10;

app.get('/dashboard', async (req, res) => {
  hits += 1;
  res.json({ hits, limit: LIMIT });
});

app.listen(3000);
`;

interface Project {
  modules: Map<string, ParsedModule>;
  project: ProjectFacts;
}

function projectOf(files: Record<string, string>, workers?: WorkerSetting): Project {
  const modules = new Map<string, ParsedModule>();
  for (const [path, source] of Object.entries(files)) {
    const name = path.replace(/\.(py|ts)$/, '').replace(/\//g, path.endsWith('.py') ? '.' : '/');
    modules.set(path, parseSource(`/project/${path}`, source, name)!);
  }
  const summaries = [...modules.values()].map((module) => summarizeModule(module, RULES.filter((rule) => rule.summarize)));
  return { modules, project: projectFacts(summaries, workers ? { workers } : {}) };
}

/** Each annotation as `line subject: lens lines`, lines 1-based. */
function lensesOf({ modules, project }: Project, path: string, scope: AnnotationScope): string[] {
  const module = modules.get(path)!.facts;
  const workers = workersFor(project, module.language);
  return contextAnnotations(module, contextModelOf(project, module), scope).map(
    (annotation) => `${annotation.anchor.start.line + 1} ${annotation.subject}: ${contextLines(annotation.witnesses, { workers, memo: annotation.memo }).join(' | ')}`,
  );
}

function lineOf(source: string, needle: string): number {
  return source.split('\n').findIndex((line) => line.includes(needle));
}

describe('context annotations: what the lens shows, and where', () => {
  let python: Project;

  before(async () => {
    await loadFrontends();
    python = projectOf({ 'app/main.py': MAIN, 'app/helpers.py': HELPERS, 'app/seed.py': SEED, 'tests/test_app.py': TEST }, GUNICORN);
  });

  test('handlers: routes, dependencies, the lifespan, hooks, memoised functions and mutated module state, above their decorators', () => {
    assert.deepEqual(lensesOf(python, 'app/main.py', 'handlers'), [
      '10 `SESSIONS`: once per worker × 4 · gunicorn.conf.py:4',
      '15 `Counter.hits`: once per worker × 4 · gunicorn.conf.py:4',
      '18 `get_settings`: once per worker (`@lru_cache`) × 4 · gunicorn.conf.py:4',
      '23 `lifespan`: startup and shutdown · lifespan `lifespan`',
      '31 `warm_up`: startup · startup hook `warm_up`',
      '36 `current_user`: per request · event loop · dependency `current_user`',
      '40 `dashboard`: per request · event loop · GET /dashboard',
      '47 `export`: per request · threadpool (40 threads) · GET /export',
    ]);
  });

  test('not served: a Typer command says so; functions of a test file get no lens of their own', () => {
    assert.deepEqual(lensesOf(python, 'app/seed.py', 'handlers'), ['6 `seed`: not served · Typer command `seed`']);
    assert.deepEqual(lensesOf(python, 'tests/test_app.py', 'handlers'), []);
    assert.deepEqual(lensesOf(python, 'tests/test_app.py', 'all'), ['1 `test_dashboard`: not served · tests']);
  });

  test('all: every function, helpers in other modules by the chain that reaches them, and what nothing reaches', () => {
    const all = lensesOf(python, 'app/main.py', 'all');
    assert.ok(all.includes('49 `export.rows`: per request · threadpool (40 threads) · GET /export'), all.join('\n'));
    assert.ok(all.includes('54 `orphan`: no known entry point reaches this'), all.join('\n'));
    assert.deepEqual(lensesOf(python, 'app/helpers.py', 'all'), ['1 `render`: per request · event loop · GET /dashboard']);
    const module = python.modules.get('app/helpers.py')!.facts;
    const [render] = contextAnnotations(module, contextModelOf(python.project, module), 'all');
    assert.deepEqual(
      render!.witnesses[0]!.steps.map((step) => [step.caller, step.call, step.path, step.range.start.line]),
      [['dashboard', 'render', '/project/app/main.py', lineOf(MAIN, 'return render(user)')]],
    );
  });

  test('at a position: the innermost function, else the module state defined there, else the module', () => {
    const module = python.modules.get('app/main.py')!.facts;
    const model = contextModelOf(python.project, module);
    const at = (needle: string, offset = 4) => contextAnnotationAt(module, model, { line: lineOf(MAIN, needle), character: offset });
    assert.equal(at('return []', 8).subject, '`export.rows`');
    assert.equal(at('@app.get("/export")', 2).subject, '`export`', 'a decorator belongs to its function');
    assert.equal(at('SESSIONS = {}', 1).subject, '`SESSIONS`');
    assert.equal(at('RETRIES = 3', 1).kind, 'state', 'asked about, even constants answer');
    const whole = at('import threading', 0);
    assert.equal(whole.subject, 'module `app.main`');
    assert.deepEqual(
      whole.witnesses.map((witness) => witness.kind),
      ['import'],
    );
  });

  test('TypeScript: an anonymous Express handler is named by its route, and module state it mutates gets the PM2 count', () => {
    const pm2: WorkerSetting = { count: 2, description: '2 PM2 instances' };
    const node = projectOf({ 'src/server.ts': EXPRESS }, undefined);
    node.project = { ...node.project, workersByLanguage: { typescript: pm2 } };
    assert.deepEqual(lensesOf(node, 'src/server.ts', 'handlers'), [
      '4 `hits`: once per worker × 2 PM2 instances',
      '7 the GET /dashboard handler: per request · event loop · GET /dashboard',
    ]);
  });

  test('unknown code and a file alone: the module’s own model, never a guess', () => {
    const alone = projectOf({ 'app/helpers.py': HELPERS });
    assert.deepEqual(lensesOf(alone, 'app/helpers.py', 'all'), ['1 `render`: no known entry point reaches this']);
  });

  test('notes on module state: --reload runs the import again, and a setting read at import then written is per worker', () => {
    const source = `import os
from fastapi import FastAPI

app = FastAPI()
API_KEY = os.environ.get("API_KEY", "")
VISITS = {}


@app.post("/rotate")
async def rotate(key: str):
    global API_KEY
    API_KEY = key
    VISITS[key] = 0
    return {}
`;
    const dev = projectOf({ 'app/main.py': source });
    dev.project = {
      ...dev.project,
      deployment: [{ path: '/project/Dockerfile.dev', development: true, facts: { commands: [{ server: 'uvicorn', args: ['app.main:app', '--reload'], reload: true, line: 2, endLine: 2, text: 'CMD uvicorn app.main:app --reload' }], settings: [] } }],
    };
    const module = dev.modules.get('app/main.py')!.facts;
    const notes = contextAnnotations(module, contextModelOf(dev.project, module), 'handlers')
      .filter((annotation) => annotation.kind === 'state')
      .map((annotation) => [annotation.subject, moduleNotes(module, dev.project, annotation)]);
    assert.deepEqual(notes, [
      ['`API_KEY`', ['re-run on every `--reload` · Dockerfile.dev:3', 'read once at import, written later: each worker changes its own copy, and the environment is not read again']],
      ['`VISITS`', ['re-run on every `--reload` · Dockerfile.dev:3']],
    ]);
    const served = projectOf({ 'app/main.py': source });
    const servedModule = served.modules.get('app/main.py')!.facts;
    assert.deepEqual(
      contextAnnotations(servedModule, contextModelOf(served.project, servedModule), 'handlers').flatMap((annotation) =>
        annotation.kind === 'state' ? moduleNotes(servedModule, served.project, annotation) : [],
      ),
      ['read once at import, written later: each worker changes its own copy, and the environment is not read again'],
    );
  });
});

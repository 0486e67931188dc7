import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CallEvent } from '../core/facts';
import { analyzePython, loadPythonParser } from './frontend';

before(loadPythonParser);

/** The qualified callees of a function's calls, in order, by the text the call was written with. */
function callees(source: string, functionName: string): Map<string, CallEvent> {
  const { facts } = analyzePython(source, '/p/app/main.py', 'app.main');
  const fn = facts.functions.find((candidate) => candidate.name === functionName);
  assert.ok(fn, functionName);
  const calls = new Map<string, CallEvent>();
  for (const block of fn.flow.blocks) for (const event of block.events) if (event.kind === 'call') calls.set(event.text, event);
  return calls;
}

function callee(source: string, functionName: string, text: string): string | undefined {
  const call = callees(source, functionName).get(text);
  assert.ok(call, `a call written \`${text}\``);
  return call.callee;
}

describe('call inference in the Python frontend', () => {
  it('resolves imports made inside the function', () => {
    const source = 'async def f():\n    import time as clock\n    from requests import get\n    clock.sleep(1)\n    get("u")\n';
    assert.equal(callee(source, 'f', 'clock.sleep'), 'time.sleep');
    assert.equal(callee(source, 'f', 'get'), 'requests.get');
  });

  it('lets parameters and locals hide module-level names', () => {
    const source = 'import requests\nhttp = requests.Session()\n\nasync def f(requests, http):\n    requests.get("u")\n    http.get("u")\n';
    assert.equal(callee(source, 'f', 'requests.get'), undefined);
    assert.equal(callee(source, 'f', 'http.get'), undefined);
  });

  it('types attributes that __init__ assigns, for methods of the same class', () => {
    const source = 'import sqlite3\n\nclass Repo:\n    def __init__(self):\n        self.conn = sqlite3.connect("db")\n\n    def find(self):\n        return self.conn.execute("select 1")\n';
    assert.equal(callee(source, 'find', 'self.conn.execute'), 'sqlite3.connect().execute');
  });

  it('types attributes from annotated __init__ parameters and class-level annotations', () => {
    const source = [
      'import httpx',
      'from sqlalchemy.orm import Session',
      '',
      'class Service:',
      '    client: httpx.Client',
      '',
      '    def __init__(self, db: Session, client):',
      '        self.db = db',
      '        self.client = client',
      '',
      '    def load(self):',
      '        self.db.execute("select 1")',
      '        self.client.get("u")',
      '',
    ].join('\n');
    assert.equal(callee(source, 'load', 'self.db.execute'), 'sqlalchemy.orm.Session().execute');
    assert.equal(callee(source, 'load', 'self.client.get'), 'httpx.Client().get');
  });

  it('keeps paths paths through attributes, methods and the / operator', () => {
    const source = [
      'from pathlib import Path',
      'BASE = Path(__file__).resolve().parent',
      '',
      'async def f(name):',
      '    (BASE / "data" / name).read_text()',
      '    Path.home().joinpath("x").exists()',
      '',
    ].join('\n');
    assert.equal(callee(source, 'f', '(BASE / "data" / name).read_text'), 'pathlib.Path().read_text');
    assert.equal(callee(source, 'f', 'Path.home().joinpath("x").exists'), 'pathlib.Path().exists');
  });

  it('types calls of instances and items of instances', () => {
    const source = [
      'import pymongo',
      'from sqlalchemy.orm import sessionmaker',
      'SessionLocal = sessionmaker()',
      'client = pymongo.MongoClient()',
      '',
      'async def f():',
      '    with SessionLocal() as session:',
      '        session.execute("select 1")',
      '    client["shop"].orders.find_one({})',
      '',
    ].join('\n');
    assert.equal(callee(source, 'f', 'session.execute'), 'sqlalchemy.orm.sessionmaker()().execute');
    assert.equal(callee(source, 'f', 'client["shop"].orders.find_one'), 'pymongo.MongoClient()[].orders.find_one');
  });

  it('records literal arguments by position and keyword, not past *args', () => {
    const source = 'async def f(lock, items, n):\n    lock.acquire(False, timeout=0)\n    g(*items, 0, key="k")\n    h(n, f"x{n}", None)\n';
    const calls = callees(source, 'f');
    assert.deepEqual(calls.get('lock.acquire')?.literalArguments, [
      { position: 0, value: 'False' },
      { keyword: 'timeout', value: '0' },
    ]);
    assert.deepEqual(calls.get('g')?.literalArguments, [{ keyword: 'key', value: '"k"' }]);
    assert.deepEqual(calls.get('h')?.literalArguments, [{ position: 2, value: 'None' }]);
  });
});

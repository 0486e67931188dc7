import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FlowEvent, FunctionFacts, ModuleFacts } from '../core/facts';
import type { Hazard } from '../core/hazard';
import { NotAnalysable } from '../core/not-analysed';
import { analyzeText } from '../../test/support/analyze';
import { analyzePython, loadPythonParser } from './frontend';

before(loadPythonParser);

function facts(source: string, path = '/p/app/main.py', moduleName = 'app.main'): ModuleFacts {
  return analyzePython(source, path, moduleName).facts;
}

function events(fn: FunctionFacts | undefined): FlowEvent[] {
  return fn ? fn.flow.blocks.flatMap((block) => block.events) : [];
}

function fn(module: ModuleFacts, name: string): FunctionFacts {
  const found = module.functions.find((f) => f.name === name);
  assert.ok(found, `function ${name}`);
  return found;
}

/** `IL101 5:5-5:19`: a finding's code and range, 1-based, columns in UTF-16 code units as LSP counts them. */
function located(hazard: Hazard): string {
  const { start, end } = hazard.range;
  return `${hazard.code} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
}

describe('Python frontend on hostile input', () => {
  /** Module state read, an await, and the stale read written back: IL101 on the last line. */
  const race = (newline = '\n', indent = '    ') =>
    ['S = {}', 'async def f():', `${indent}x = S["k"]`, `${indent}await g()`, `${indent}S["k"] = x + 1`, ''].join(newline);
  const cases: { input: string; source: string; findings: string[]; syntaxErrors?: true }[] = [
    { input: 'an empty file', source: '', findings: [] },
    { input: 'only comments', source: '# nothing\n# here\n', findings: [] },
    { input: 'syntax errors everywhere', source: 'def f(:\n  x = = 1\nclass (:\n  async def g(\n    await\n))) ]] }}\n@@@\n', findings: [], syntaxErrors: true },
    // Hazards in code that does not parse are not reported; the syntax error is.
    { input: 'a half-typed await', source: race().replace('await g()', 'await g('), findings: [], syntaxErrors: true },
    { input: 'NUL bytes', source: `x = 1\u0000\u0000\n${race()}`, findings: ['IL101 6:5-6:19'], syntaxErrors: true },
    { input: 'Latin-1 text decoded as such', source: `name = "Jos\u00e9 \u00a9"\n${race()}`, findings: ['IL101 6:5-6:19'] },
    { input: 'CRLF line endings', source: race('\r\n'), findings: ['IL101 5:5-5:19'] },
    { input: 'lone CR line endings', source: race('\r'), findings: ['IL101 5:5-5:19'] },
    { input: 'tabs for indentation', source: race('\n', '\t'), findings: ['IL101 5:2-5:16'] },
    { input: 'a byte order mark', source: `\ufeff${race()}`, findings: ['IL101 5:5-5:19'] },
    { input: 'a form feed between definitions', source: race().replace('async def', '\fasync def'), findings: ['IL101 5:5-5:19'] },
    { input: 'Python 2 print statements', source: `print "hello"\nexec "code"\n${race()}`, findings: ['IL101 7:5-7:19'] },
    { input: 'unicode identifiers', source: race().replaceAll('S', 'caf\u00e9'), findings: ['IL101 5:5-5:22'] },
    { input: 'an astral character in a key', source: race().replaceAll('"k"', '"\u{1F355}"'), findings: ['IL101 5:5-5:20'] },
  ];
  for (const { input, source, findings, syntaxErrors } of cases) {
    it(`finds ${findings.length > 0 ? findings.join(', ') : 'nothing'} in ${input}`, async () => {
      const report = await analyzeText(source);
      assert.deepEqual(report.hazards.map(located), findings);
      assert.deepEqual(report.problems, []);
      assert.equal(facts(source).syntaxErrors.length > 0, syntaxErrors ?? false);
    });
  }

  it('reports a module whose top-level code nests past the stack limit as not analysable', () => {
    const source = `x = ${'f('.repeat(50_000)}1${')'.repeat(50_000)}\n`;
    assert.throws(() => facts(source), (error) => error instanceof NotAnalysable && /top-level code nested too deeply/.test(error.message));
  });

  it('survives a 10,000-line function and reports it', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `    v${i} = STATE["k"] + ${i}\n`).join('');
    const module = facts(`STATE = {}\nasync def big():\n${body}    await x()\n    STATE["k"] = v9999\n`);
    assert.equal(module.functions.length, 1);
  });

  it('survives 200 nested blocks and a 20,000-term expression', () => {
    const nested = Array.from({ length: 200 }, (_, i) => `${'    '.repeat(i + 1)}if x:\n`).join('');
    const source = `def g():\n${nested}${'    '.repeat(201)}pass\nasync def f():\n    y = ${Array(20_000).fill('S').join(' + ')}\n`;
    const module = facts(source);
    assert.deepEqual(module.functions.map((f) => f.name).sort(), ['f', 'g']);
  });

  it('records unparsable regions as syntax errors and skips functions that contain them', () => {
    const module = facts('async def ok():\n    await x()\n\nasync def broken(:\n    pass\n');
    assert.ok(module.syntaxErrors.length > 0);
    assert.deepEqual(module.functions.map((f) => f.name), ['ok']);
  });
});

describe('Python frontend facts', () => {
  it('resolves imports, aliases and relative imports to qualified names', () => {
    const module = facts(
      'import asyncio\nfrom time import sleep as pause\nimport a.b.c\nfrom . import views\nfrom ..core import db\nasync def f():\n    pause(1)\n    a.b.c.run()\n    views.show()\n',
      '/p/app/api/main.py',
      'app.api.main',
    );
    assert.deepEqual(
      module.imports.map((i) => `${i.local}=${i.target}`),
      ['asyncio=asyncio', 'pause=time.sleep', 'a=a', 'views=app.api.views', 'db=app.core.db'],
    );
    const callees = events(fn(module, 'f')).flatMap((e) => (e.kind === 'call' ? [e.callee] : []));
    assert.deepEqual(callees, ['time.sleep', 'a.b.c.run', 'app.api.views.show']);
  });

  it('resolves relative imports in a package __init__ from the package itself', () => {
    const module = facts('from . import views\n', '/p/app/__init__.py', 'app');
    assert.deepEqual(module.imports.map((i) => i.target), ['app.views']);
  });

  it('types module-level instances, annotated parameters and with-targets for method calls', () => {
    const module = facts(
      [
        'import requests',
        'from sqlalchemy.orm import Session',
        'http = requests.Session()',
        'async def f(db: Session):',
        '    http.get("u")',
        '    db.execute("q")',
        '    with open("p") as fh:',
        '        fh.read()',
      ].join('\n'),
    );
    const callees = events(fn(module, 'f')).flatMap((e) => (e.kind === 'call' ? [e.callee] : []));
    assert.deepEqual(callees, ['requests.Session().get', 'sqlalchemy.orm.Session().execute', 'builtins.open', 'builtins.open().read']);
  });

  it('tells shared state from locals, parameters and per-request objects', () => {
    const module = facts(
      [
        'from fastapi import FastAPI, Request',
        'app = FastAPI()',
        'STATE = {}',
        'class Counter:',
        '    hits = 0',
        'class Manager:',
        '    def __init__(self):',
        '        self.active = []',
        '    async def add(self, ws):',
        '        self.active.append(ws)',
        'manager = Manager()',
        'async def f(request: Request, item):',
        '    local = {}',
        '    local["a"] = 1',
        '    item.x = 1',
        '    request.state.y = 1',
        '    STATE["k"] = 1',
        '    Counter.hits = 2',
        '    request.app.state.visits = 3',
        '    app.state.other = 4',
      ].join('\n'),
    );
    const writes = (name: string) => events(fn(module, name)).flatMap((e) => (e.kind === 'write' ? [`${e.state.scope}:${e.state.key}`] : []));
    assert.deepEqual(writes('f'), ['module:STATE["k"]', 'class:Counter.hits', 'app-state:app.state.visits', 'app-state:app.state.other']);
    assert.deepEqual(writes('add'), ['singleton:manager.active']);
  });

  it('makes a name assigned in a function local unless it is declared global', () => {
    const module = facts('TOTAL = 0\nasync def a():\n    TOTAL = 1\nasync def b():\n    global TOTAL\n    TOTAL = 2\n');
    assert.equal(events(fn(module, 'a')).filter((e) => e.kind === 'write').length, 0);
    assert.equal(events(fn(module, 'b')).filter((e) => e.kind === 'write').length, 1);
  });

  it('orders the events of `X = X + await f()` as read, await, write', () => {
    const module = facts('X = 0\nasync def f():\n    X_ = 0\n    global X\n    X = X + await g()\n');
    const kinds = events(fn(module, 'f')).filter((e) => ['read', 'await', 'write'].includes(e.kind)).map((e) => e.kind);
    assert.deepEqual(kinds, ['read', 'await', 'write']);
  });

  it('marks sync FastAPI handlers and dependencies as threadpool-run and coroutines as loop-run', () => {
    const module = facts(
      'from fastapi import Depends, FastAPI\napp = FastAPI()\ndef dep():\n    return 1\n@app.get("/a")\ndef a(x=Depends(dep)):\n    return x\n@app.get("/b")\nasync def b():\n    return 1\ndef helper():\n    return 2\n',
    );
    assert.deepEqual(
      module.functions.map((f) => `${f.name}:${f.kind}:${f.execution}`),
      ['dep:dependency:threadpool', 'a:route:threadpool', 'b:route:event-loop', 'helper:plain:caller'],
    );
  });

  it('gives nested functions and lambdas their own facts, outside the coroutine', () => {
    const module = facts('import asyncio, time\nasync def f():\n    def work():\n        time.sleep(1)\n    await asyncio.to_thread(work)\n    await asyncio.to_thread(lambda: time.sleep(1))\n');
    assert.deepEqual(module.functions.map((f) => `${f.name}:${f.execution}:${f.parent ?? '-'}`), ['f:event-loop:-', 'work:caller:f@2', '<lambda>:caller:f@2']);
    assert.ok(!events(fn(module, 'f')).some((e) => e.kind === 'call' && e.callee === 'time.sleep'));
  });

  it('records lock regions for asyncio and threading locks, by type or by name; wide semaphores as shared', () => {
    const module = facts(
      'import asyncio, threading\nlock = asyncio.Lock()\ntlock = threading.Lock()\nwide = asyncio.Semaphore(5)\nasync def f(self_lock):\n    async with lock:\n        pass\n    with tlock:\n        pass\n    async with wide:\n        pass\n    async with self_lock:\n        pass\n',
    );
    const locks = events(fn(module, 'f')).flatMap((e) => (e.kind === 'lock-enter' ? [`${e.lock}:${e.lockKind}${e.shared ? ':shared' : ''}`] : []));
    assert.deepEqual(locks, ['lock:asyncio', 'tlock:threading', 'wide:asyncio:shared', 'self_lock:asyncio']);
  });
});

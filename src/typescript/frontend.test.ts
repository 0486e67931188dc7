import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEvent, FlowEvent, FunctionFacts, ModuleFacts } from '../core/facts';
import type { Hazard } from '../core/hazard';
import { NotAnalysable } from '../core/not-analysed';
import { analyzeText } from '../../test/support/analyze';
import { analyzeTypeScript } from './frontend';
import { moduleForSpecifier, typeScriptModuleName } from './module-names';

function facts(source: string, path = '/p/src/main.ts', moduleName = 'src/main'): ModuleFacts {
  return analyzeTypeScript(source, path, moduleName).facts;
}

function events(fn: FunctionFacts | undefined): FlowEvent[] {
  return fn ? fn.flow.blocks.flatMap((block) => block.events) : [];
}

function fn(module: ModuleFacts, name: string): FunctionFacts {
  const found = module.functions.find((candidate) => candidate.name === name);
  assert.ok(found, `function ${name}`);
  return found;
}

function calls(found: FunctionFacts): CallEvent[] {
  return events(found).filter((event): event is CallEvent => event.kind === 'call');
}

/** `IL101 5:3-5:12`: a finding's code and range, 1-based, columns in UTF-16 code units as LSP counts them. */
function located(hazard: Hazard): string {
  const { start, end } = hazard.range;
  return `${hazard.code} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
}

describe('TypeScript frontend on hostile input', () => {
  /** Module state read, an await, and the stale read written back: IL101 on line 5. */
  const race = (newline = '\n', indent = '  ') =>
    ['let S = 0;', 'export async function f() {', `${indent}const x = S;`, `${indent}await g();`, `${indent}S = x + 1;`, '}', ''].join(newline);
  const cases: { input: string; source: string; findings: string[]; syntaxErrors?: true }[] = [
    { input: 'an empty file', source: '', findings: [] },
    { input: 'only comments', source: '// nothing\n/* here */\n', findings: [] },
    { input: 'syntax errors everywhere', source: 'function f( {\n  let = = 1\nclass { async g( await )) ]] }}\n@@@\n', findings: [], syntaxErrors: true },
    // Hazards in code that does not parse are not reported; the syntax error is.
    { input: 'a half-typed await', source: race().replace('await g();', 'await g('), findings: [], syntaxErrors: true },
    { input: 'NUL bytes', source: `let x = 1\u0000\u0000\n${race()}`, findings: ['IL101 6:3-6:12'], syntaxErrors: true },
    { input: 'CRLF line endings', source: race('\r\n'), findings: ['IL101 5:3-5:12'] },
    { input: 'lone CR line endings', source: race('\r'), findings: ['IL101 5:3-5:12'] },
    { input: 'tabs for indentation', source: race('\n', '\t'), findings: ['IL101 5:2-5:11'] },
    { input: 'a byte order mark', source: `\ufeff${race()}`, findings: ['IL101 5:3-5:12'] },
    // JavaScript ends lines at U+2028 too; editors and LSP do not, and positions are theirs.
    { input: 'a line separator in a string', source: `const NOTE = "a\u2028b";\n${race()}`, findings: ['IL101 6:3-6:12'] },
    { input: 'JSX in a .ts file', source: `${race()}export const view = () => <div>{items.map((i) => <span>{i}</span>)}</div>;\n`, findings: ['IL101 5:3-5:12'], syntaxErrors: true },
    { input: 'unicode identifiers', source: race().replaceAll('S', 'caf\u00e9'), findings: ['IL101 5:3-5:15'] },
    { input: 'an astral character in a name', source: race().replaceAll(' x', ' x\u{1D4B3}'), findings: ['IL101 5:3-5:14'] },
  ];
  for (const { input, source, findings, syntaxErrors } of cases) {
    it(`finds ${findings.length > 0 ? findings.join(', ') : 'nothing'} in ${input}`, async () => {
      const report = await analyzeText(source, { path: '/p/src/main.ts', moduleName: 'src/main' });
      assert.deepEqual(report.hazards.map(located), findings);
      assert.deepEqual(report.problems, []);
      assert.equal(facts(source).syntaxErrors.length > 0, syntaxErrors ?? false);
    });
  }

  it('reports a module whose top-level code nests past the stack limit as not analysable', () => {
    const source = `f${'()'.repeat(100_000)};\n`;
    assert.throws(() => facts(source), (error) => error instanceof NotAnalysable && /top-level code nested too deeply/.test(error.message));
  });

  it('survives a 10,000-line function and a 20,000-term expression', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `  const v${i} = STATE.k + ${i};\n`).join('');
    const sum = Array(20_000).fill('S').join(' + ');
    const module = facts(`const STATE = { k: 0 };\nasync function big() {\n${body}  await x();\n  STATE.k = v9999;\n}\nasync function wide() { const y = ${sum}; }\n`);
    assert.deepEqual(module.functions.map((f) => f.name), ['big', 'wide']);
  });

  it('records what does not parse and skips the functions that contain it', () => {
    const module = facts('async function ok() { await x(); }\nasync function broken( { await y(; }\n');
    assert.ok(module.syntaxErrors.length > 0);
    assert.deepEqual(module.functions.map((f) => f.name), ['ok']);
  });
});

describe('TypeScript frontend facts', () => {
  it('finds comments after code on the same line, where a trailing suppression sits', () => {
    const module = facts('let n = 0;\nasync function h() {\n  n = n + 1; // interleave-ignore IL101\n  /* own line */\n}\n');
    assert.deepEqual(
      module.comments.map((comment) => [comment.range.start.line, comment.text]),
      [
        [2, '// interleave-ignore IL101'],
        [3, '/* own line */'],
      ],
    );
  });

  it('names imports the way the catalogs do: packages as imported, project modules by path', () => {
    const module = facts(
      [
        "import fs, { readFileSync as read } from 'node:fs';",
        "import * as cp from 'child_process';",
        "import Database from 'better-sqlite3';",
        "import { PrismaClient } from '@prisma/client';",
        "import { send } from '../lib/mail';",
        "const { join } = require('path');",
        "const Pool = require('pg').Pool;",
      ].join('\n'),
      '/p/src/routes/orders.ts',
      'src/routes/orders',
    );
    const targets = Object.fromEntries(module.imports.map((fact) => [fact.local, fact.target]));
    assert.deepEqual(targets, {
      fs: 'fs',
      read: 'fs.readFileSync',
      cp: 'child_process',
      Database: 'better-sqlite3',
      PrismaClient: '@prisma/client.PrismaClient',
      send: 'src/lib/mail.send',
      join: 'path.join',
      Pool: 'pg.Pool',
    });
  });

  it('qualifies calls through imports, module instances, annotations and constructor parameters', () => {
    const module = facts(`
import { Pool } from 'pg';
import Database from 'better-sqlite3';
import { readFileSync } from 'fs';
const pool = new Pool();
const db = new Database('shop.db');
export class Repo {
  constructor(private readonly pg: Pool) {}
  async all(client: Pool) {
    readFileSync('x');
    db.prepare('select 1').get();
    await pool.query('a');
    await this.pg.query('b');
    await client.query('c');
  }
}
`);
    assert.deepEqual(
      calls(fn(module, 'all')).map((call) => call.callee),
      ['fs.readFileSync', 'better-sqlite3().prepare', 'better-sqlite3().prepare().get', 'pg.Pool().query', 'pg.Pool().query', 'pg.Pool().query'],
    );
  });

  it('tracks module state, singleton fields and app.locals, and leaves per-request objects alone', () => {
    const module = facts(`
import express from 'express';
import { Injectable } from '@nestjs/common';
const app = express();
let hits = 0;
const carts = new Map();
@Injectable()
export class Wallet {
  private spent = 0;
  async pay() { this.spent += await charge(); }
}
app.get('/', async (req, res) => {
  hits++;
  carts.set(req.query.id, 1);
  app.locals.seen = true;
  req.app.locals.other = 1;
  res.locals.user = await load();
  req.body.total = 0;
});
`);
    const handler = module.functions.find((f) => f.kind === 'route')!;
    const writes = events(handler).flatMap((event) => (event.kind === 'write' ? [`${event.state.scope}:${event.state.key}`] : []));
    assert.deepEqual(writes, ['module:hits', 'module:carts[req.query.id]', 'app-state:app.locals.seen', 'app-state:app.locals.other']);
    const pay = events(fn(module, 'pay')).flatMap((event) => (event.kind === 'write' ? [`${event.state.scope}:${event.state.key}:${event.op}`] : []));
    assert.deepEqual(pay, ['singleton:Wallet.spent:augmented']);
  });

  it('builds branches, loops, switch fall-through, try/finally and for-await', () => {
    const module = facts(`
let S = 0;
export async function f(items: string[]) {
  outer: for (const item of items) {
    switch (item) {
      case 'a':
      case 'b':
        S++;
        break;
      default:
        continue outer;
    }
  }
  try {
    if (!S) return;
  } finally {
    S = 0;
  }
  for await (const chunk of stream()) S += chunk.length;
}
`);
    const flow = fn(module, 'f').flow;
    const kinds = flow.blocks.flatMap((block) => block.events.map((event) => event.kind));
    assert.ok(kinds.includes('branch'));
    assert.equal(kinds.filter((kind) => kind === 'await').length, 1);
    // The `finally` body runs on the normal path, the `return` path and the exception path: a copy each.
    const finallyWrites = flow.blocks.flatMap((block) => block.events).filter((event) => event.kind === 'write' && event.op === 'assign');
    assert.equal(finallyWrites.length, 3);
  });

  it('marks calls whose rejection is handled and keeps `void` from making a statement', () => {
    const module = facts(`
export async function f() {
  send().catch(log);
  send().then(ok, fail);
  send().then(ok);
  void send();
}
`);
    const seen = calls(fn(module, 'f')).map((call) => `${call.text}:${call.usage}${call.handlesRejection ? ':handled' : ''}`);
    assert.deepEqual(seen, ['send:other', 'send().catch:statement:handled', 'send:other', 'send().then:statement:handled', 'send:other', 'send().then:statement', 'send:other']);
  });

  it('runs handlers, async functions, timer callbacks and what they nest on the event loop', () => {
    const module = facts(`
import express from 'express';
const app = express();
function loadConfig() { return 1; }
app.get('/a', (req, res) => { [1].map((x) => x); res.end(); });
setInterval(() => loadConfig(), 1000);
export async function job() { return 1; }
`);
    const execution = Object.fromEntries(module.functions.map((f) => [f.id, f.execution]));
    assert.deepEqual(execution, {
      'loadConfig@4': 'caller',
      '<anonymous>@5': 'event-loop',
      '<anonymous>.<anonymous>@5': 'event-loop',
      '<anonymous>@6': 'event-loop',
      'job@7': 'event-loop',
    });
  });
});

describe('TypeScript module names', () => {
  it('are paths from the project root, with index files named by their directory', () => {
    assert.equal(typeScriptModuleName('/p/src/routes/orders.ts', '/p'), 'src/routes/orders');
    assert.equal(typeScriptModuleName('/p/src/db/index.ts', '/p'), 'src/db');
    assert.equal(typeScriptModuleName('/p/src/orders.service.ts', '/p'), 'src/orders.service');
    assert.equal(moduleForSpecifier('../db/index.js', 'src/routes'), 'src/db');
    assert.equal(moduleForSpecifier('./orders.service', 'src'), 'src/orders.service');
    assert.equal(moduleForSpecifier('node:fs', 'src'), 'fs');
    assert.equal(moduleForSpecifier('../../outside', 'src'), undefined);
  });
});

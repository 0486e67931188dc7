import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { resolveConfig } from '../core/config';
import { checkModule, projectFacts, type ParsedModule } from '../core/engine';
import { analyzePython } from '../python/frontend';
import { loadPythonParser } from '../python/parser';
import { RULES } from '../rules';
import { DocumentParsers } from './document-parser';
import { OpenDocument } from './open-document';
import { summarize } from './project-context';

before(loadPythonParser);

const config = resolveConfig([], RULES.map((rule) => rule.meta));

const TEXT = [
  'import asyncio',
  'import time',
  'from fastapi import FastAPI',
  '',
  'app = FastAPI()',
  'BALANCES = {}',
  '',
  '',
  '@app.post("/pay")',
  'async def pay(user: str, amount: int):',
  '    balance = BALANCES.get(user, 0)',
  '    await asyncio.sleep(0)',
  '    BALANCES[user] = balance - amount',
  '',
  '',
  '@app.get("/slow")',
  'async def slow():',
  '    time.sleep(1)',
  '',
  '',
  'def helper():',
  '    return BALANCES',
  '',
].join('\n');

/** Each step replaces the first occurrence of `find` in the text as it stands, sent as an editor sends it: a range and its new text. */
const CHANGES: { name: string; find: string; replace: string }[] = [
  { name: 'a character typed inside a function', find: 'asyncio.sleep(0)', replace: 'asyncio.sleep(01)' },
  { name: 'the character deleted again', find: 'asyncio.sleep(01)', replace: 'asyncio.sleep(0)' },
  { name: 'lines inserted above every function', find: 'app = FastAPI()', replace: 'import threading\nLOCK = threading.Lock()\napp = FastAPI()' },
  {
    name: 'a function added between two others',
    find: '@app.get("/slow")',
    replace: '@app.get("/count")\nasync def count():\n    BALANCES["n"] = BALANCES["n"] + await asyncio.sleep(0)\n\n\n@app.get("/slow")',
  },
  { name: 'a line removed inside a function, shifting those below', find: '    await asyncio.sleep(0)\n    BALANCES[user]', replace: '    BALANCES[user]' },
  { name: 'a function removed', find: '@app.get("/slow")\nasync def slow():\n    time.sleep(1)\n', replace: '' },
  { name: 'a half-typed call', find: '    return BALANCES', replace: '    return BALANCES(' },
  { name: 'the call finished', find: '    return BALANCES(', replace: '    return BALANCES()' },
];

/** With no project facts, or (`summarised`) in a project of the module's own summaries, as the language server checks an indexed file. */
function findings(parsed: ParsedModule, summarised = false): string[] {
  const project = summarised ? projectFacts([summarize(parsed, '/p')]) : {};
  return checkModule(parsed, { rules: RULES, config, project }).hazards.map((hazard) => `${hazard.code} ${JSON.stringify(hazard.range)} ${hazard.message}`);
}

describe('an open Python document parsed edit after edit', () => {
  test('has the facts and findings of a from-scratch analysis after each edit of a series', () => {
    const parsers = new DocumentParsers();
    const document = new OpenDocument('file:///p/app/main.py', 'python', 1, TEXT);
    parsers.parse(document.uri, '/p/app/main.py', 'app.main', document.text, document.takeEdits());
    let version = 1;
    try {
      for (const { name, find, replace } of CHANGES) {
        const offset = document.text.indexOf(find);
        assert.ok(offset >= 0, `${name}: \`${find}\` is in the text`);
        const range = { start: document.textDocument.positionAt(offset), end: document.textDocument.positionAt(offset + find.length) };
        document.applyChanges([{ range, text: replace }], ++version);
        const incremental = parsers.parse(document.uri, '/p/app/main.py', 'app.main', document.text, document.takeEdits());
        const fresh = analyzePython(document.text, '/p/app/main.py', 'app.main');
        assert.deepEqual(incremental.facts, fresh.facts, `facts after ${name}`);
        assert.deepEqual(findings(incremental), findings(fresh), `findings after ${name}`);
        assert.deepEqual(summarize(incremental, '/p'), summarize(fresh, '/p'), `summaries after ${name}`);
        assert.deepEqual(findings(incremental, true), findings(fresh, true), `findings in the project after ${name}`);
      }
      // The series ends with a finding to compare: the lost update in the function it added.
      assert.deepEqual(findings(analyzePython(document.text, '/p/app/main.py', 'app.main')).map((finding) => finding.slice(0, 5)), ['IL101']);
    } finally {
      parsers.close(document.uri);
    }
  });
});

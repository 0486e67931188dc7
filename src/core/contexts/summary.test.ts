import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzePython } from '../../python/frontend';
import { loadPythonParser } from '../../python/parser';
import { summarizeContexts } from './summary';

before(loadPythonParser);

const TEXT = ['from fastapi import APIRouter', '', 'router = APIRouter()', '', '', '@router.get("/a")', 'async def a():', '    return 1', ''].join('\n');
const PATH = '/p/tests/app/routes.py';

describe('context summaries of the same facts', () => {
  it('follow what of the module the facts leave out: a root that puts the file under tests/ makes it not served', () => {
    const facts = analyzePython(TEXT, PATH, 'app.routes').facts;
    const underTests = summarizeContexts(facts, '/p');
    const served = summarizeContexts(facts, '/p/tests');
    assert.deepEqual(underTests, summarizeContexts(analyzePython(TEXT, PATH, 'app.routes').facts, '/p'));
    assert.deepEqual(served, summarizeContexts(analyzePython(TEXT, PATH, 'app.routes').facts, '/p/tests'));
    assert.deepEqual(
      underTests.functions.flatMap((fn) => fn.entries.map((entry) => entry.kind)),
      ['not-served'],
    );
    assert.deepEqual(
      served.functions.flatMap((fn) => fn.entries.map((entry) => entry.kind)),
      ['request-loop'],
    );
  });
});

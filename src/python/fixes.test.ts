import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEvent } from '../core/facts';
import { applyTextEdits } from '../core/text-edits';
import { loadFrontends, parseSource } from '../workspace/analyze';
import { analyzeText } from '../../test/support/analyze';

async function fixed(source: string): Promise<string> {
  const { hazards } = await analyzeText(source, { settings: { select: ['IL101', 'IL102', 'IL104'] } });
  const fix = hazards[0]?.fix;
  assert.ok(fix, 'a fix is offered');
  return applyTextEdits(source, fix.edits);
}

describe('Python lock fixes', () => {
  it('adds the import and a lock after the imports, after a module docstring', async () => {
    const source = '"""Orders."""\nfrom app import audit\n\nTOTAL = {"n": 0}\n\n\nasync def add():\n    n = TOTAL["n"]\n    await audit()\n    TOTAL["n"] = n + 1\n';
    assert.equal(
      await fixed(source),
      '"""Orders."""\nfrom app import audit\nimport asyncio\n\ntotal_lock = asyncio.Lock()\n\nTOTAL = {"n": 0}\n\n\nasync def add():\n    async with total_lock:\n        n = TOTAL["n"]\n        await audit()\n        TOTAL["n"] = n + 1\n',
    );
  });

  it('reuses a module lock named for the state', async () => {
    const source = 'import asyncio\ntotal_lock = asyncio.Lock()\nTOTAL = {"n": 0}\nasync def add():\n    n = TOTAL["n"]\n    await asyncio.sleep(0)\n    TOTAL["n"] = n + 1\n';
    assert.equal(
      await fixed(source),
      'import asyncio\ntotal_lock = asyncio.Lock()\nTOTAL = {"n": 0}\nasync def add():\n    async with total_lock:\n        n = TOTAL["n"]\n        await asyncio.sleep(0)\n        TOTAL["n"] = n + 1\n',
    );
  });

  it('leaves the inside of multi-line strings alone and keeps tab indentation', async () => {
    const source = 'import asyncio\nTOTAL = {"n": 0}\nasync def add():\n\tn = TOTAL["n"]\n\tawait log("""first\nsecond""")\n\tTOTAL["n"] = n + 1\n';
    assert.equal(
      await fixed(source),
      'import asyncio\n\ntotal_lock = asyncio.Lock()\n\nTOTAL = {"n": 0}\nasync def add():\n\tasync with total_lock:\n\t\tn = TOTAL["n"]\n\t\tawait log("""first\nsecond""")\n\t\tTOTAL["n"] = n + 1\n',
    );
  });

  it('wraps a sync handler in a threading lock', async () => {
    const source = 'from fastapi import FastAPI\napp = FastAPI()\nHITS = {}\n@app.get("/")\ndef hit(p: str):\n    HITS[p] = HITS.get(p, 0) + 1\n';
    assert.equal(
      await fixed(source),
      'from fastapi import FastAPI\nimport threading\n\nhits_lock = threading.Lock()\n\napp = FastAPI()\nHITS = {}\n@app.get("/")\ndef hit(p: str):\n    with hits_lock:\n        HITS[p] = HITS.get(p, 0) + 1\n',
    );
  });

  it('offers no fix when the first statement shares its line with one outside the region', async () => {
    const source = 'import asyncio\nTOTAL = {"n": 0}\nasync def add():\n    log(); n = TOTAL["n"]\n    await asyncio.sleep(0)\n    TOTAL["n"] = n + 1\n';
    const { hazards } = await analyzeText(source, { settings: { select: ['IL101'] } });
    assert.equal(hazards.length, 1);
    assert.equal(hazards[0]!.fix, undefined);
  });
});

describe('Python argument and decorator edits', () => {
  /** The source with `connect=False` added to its first module-level call, or undefined when no edit is offered. */
  async function withKeyword(source: string): Promise<string | undefined> {
    await loadFrontends();
    const parsed = parseSource('/p/app/db.py', source, 'app.db')!;
    const call = parsed.facts.moduleFlow.blocks.flatMap((block) => block.events).find((event): event is CallEvent => event.kind === 'call')!;
    const edits = parsed.fixes.addKeywordArgument(call, 'connect', 'False');
    return edits && applyTextEdits(source, edits);
  }

  it('adds a keyword argument after the others, or alone', async () => {
    assert.equal(await withKeyword('client = MongoClient(URL, tz_aware=True)\n'), 'client = MongoClient(URL, tz_aware=True, connect=False)\n');
    assert.equal(await withKeyword('client = MongoClient()\n'), 'client = MongoClient(connect=False)\n');
    assert.equal(await withKeyword('client = MongoClient(\n    URL,\n)\n'), 'client = MongoClient(\n    URL,\n connect=False)\n');
  });

  it('adds nothing when the call passes the keyword already or may through **kwargs', async () => {
    assert.equal(await withKeyword('client = MongoClient(URL, connect=True)\n'), undefined);
    assert.equal(await withKeyword('client = MongoClient(URL, **options)\n'), undefined);
  });

  it('removes a decorator with its line, comment included', async () => {
    await loadFrontends();
    const source = 'from functools import lru_cache\n\n\n@lru_cache(maxsize=32)  # per worker\ndef load(key: str) -> str:\n    return key\n';
    const parsed = parseSource('/p/app/cache.py', source, 'app.cache')!;
    const edits = parsed.fixes.removeDecorator(parsed.facts.functions[0]!, 0);
    assert.ok(edits);
    assert.equal(applyTextEdits(source, edits), 'from functools import lru_cache\n\n\ndef load(key: str) -> str:\n    return key\n');
  });
});

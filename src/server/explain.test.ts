import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../rules';
import { SEED_RACE } from '../../test/support/cli';
import { analyzeText } from '../../test/support/analyze';
import { excerptOf, explainResult } from './explain';
import type { Hazard } from '../core/hazard';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

describe('the explain result', () => {
  test('shows the race with context, and the same lines locked after the fix', async () => {
    const { hazards } = await analyzeText(SEED_RACE);
    const race = hazards.find((hazard) => hazard.code === 'IL101')!;
    const result = explainResult(race, RULES[0]!.meta, SEED_RACE, { count: 4 });
    assert.equal(result.code, 'IL101');
    assert.equal(result.family, 'race');
    assert.deepEqual(result.workers, { count: 4 });
    assert.equal(result.excerpt.startLine, 6);
    assert.equal(
      result.excerpt.before,
      ['@app.get("/count")', 'async def handle_request():', '    current_count = RequestCounter.count', '    await asyncio.sleep(0.001)', '    RequestCounter.count = current_count + 1   # IL101 here', '    return {"count": RequestCounter.count}', ''].join('\n'),
    );
    assert.match(result.excerpt.after!, /^@app\.get\("\/count"\)\nasync def handle_request\(\):\n {4}async with request_counter_lock:\n {8}current_count/);
    assert.match(result.excerpt.after!, /return \{"count": RequestCounter\.count\}/);
    assert.equal(result.fix?.applicability, 'unsafe');
    assert.equal('explanation' in result, false, 'a finding without an explanation leaves the panel as it was');
    assert.equal(explainResult({ ...race, explanation: 'Why, and the fix.' }, RULES[0]!.meta, SEED_RACE, undefined).explanation, 'Why, and the fix.');
  });

  test('without a fix there is no after; an edit far above only shifts the lines shown', () => {
    const text = ['import x', 'a', 'b', 'c', 'd', 'e', 'f', 'flagged', 'g'].join('\n');
    const hazard: Hazard = { code: 'IL403', name: 'n', severity: 'warning', message: 'm', path: '/a.py', range: range(7, 0, 7), related: [] };
    assert.deepEqual(excerptOf(hazard, text), { startLine: 6, before: 'e\nf\nflagged\ng' });
    const fixed = { ...hazard, fix: { applicability: 'safe' as const, message: 'm', edits: [{ range: range(0, 8, 8), newText: '\nimport y' }, { range: range(7, 0, 0), newText: 'await ' }] } };
    assert.deepEqual(excerptOf(fixed, text), { startLine: 6, before: 'e\nf\nflagged\ng', after: 'e\nf\nawait flagged\ng' });
  });
});

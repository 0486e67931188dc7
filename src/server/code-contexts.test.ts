import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveConfig } from '../core/config';
import { contextModelOf } from '../core/contexts';
import { checkModule, projectFacts, summarizeModule } from '../core/engine';
import { RULES } from '../rules';
import { loadFrontends, parseSource } from '../workspace/analyze';
import { lensContexts, lensedCode } from './code-contexts';

describe('where code runs, as the analysis works it out', () => {
  test('reads the model the rules built for the same analysis, and works out one analysis’s lensed code once for every setting', async () => {
    await loadFrontends();
    const parsed = parseSource('/project/app/main.py', 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/")\nasync def root():\n    return 1\n', 'app.main')!;
    const project = projectFacts([summarizeModule(parsed, RULES)]);
    checkModule(parsed, { rules: RULES, config: resolveConfig([], RULES.map((rule) => rule.meta)), project });
    const built = contextModelOf(project, parsed.facts);
    const analysed = { module: parsed.facts, project, uri: 'file:///project/app/main.py' };
    const lenses = lensContexts(analysed, 'handlers');
    assert.deepEqual(lenses.map((code) => code.lines), [['per request · event loop · GET /']]);
    assert.equal(lensedCode(analysed), lensedCode(analysed), 'the tsserver plugin’s quick info after its lens request reuses the answer');
    assert.ok(lensContexts(analysed, 'all').length >= lenses.length, 'another setting picks from the same answer');
    assert.equal(contextModelOf(project, parsed.facts), built, 'no second model');
    assert.deepEqual(lensContexts(analysed, 'off'), []);
  });
});

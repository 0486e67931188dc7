import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_FILE_BUDGET_MS } from '../core/budget';
import { resolveConfig } from '../core/config';
import { RULES } from '../rules';
import { makeProject } from '../../test/support/cli';
import { loadFrontends } from './analyze';
import { FileAnalyzer } from './file-analysis';
import { fixFile } from './file-fixes';

const SLEEP = 'import asyncio\nimport time\n\n\nasync def handler():\n    time.sleep(1)\n';

const analyzerWithBudget = (fileBudgetMs: number) =>
  new FileAnalyzer({ config: resolveConfig([], RULES.map((rule) => rule.meta)), project: {}, maxFileSize: 1 << 20, fileBudgetMs });

async function checked(text: string) {
  await loadFrontends();
  const root = makeProject({ 'app.py': text });
  const task = { path: join(root, 'app.py'), moduleName: 'app' };
  const analyzer = analyzerWithBudget(DEFAULT_FILE_BUDGET_MS);
  return { task, analyzer, outcome: analyzer.check(task) };
}

describe('fixing a file on disk', () => {
  test('writes the fixed text when the file is as it was checked', async () => {
    const { task, analyzer, outcome } = await checked(SLEEP);
    const fix = fixFile(outcome, task, analyzer, { unsafe: false, write: true });
    assert.equal(fix.problem, undefined);
    assert.equal(readFileSync(task.path, 'utf8'), 'import asyncio\nimport time\n\n\nasync def handler():\n    await asyncio.sleep(1)\n');
  });

  test('leaves a file that changed after it was checked, and says so', async () => {
    const { task, analyzer, outcome } = await checked(SLEEP);
    const edited = `${SLEEP}# edited meanwhile\n`;
    writeFileSync(task.path, edited);
    const fix = fixFile(outcome, task, analyzer, { unsafe: false, write: true });
    assert.match(fix.problem ?? '', /changed after it was checked/);
    assert.equal(readFileSync(task.path, 'utf8'), edited);
  });

  test('computes the fix without writing it when asked only for the diff', async () => {
    const { task, analyzer, outcome } = await checked(SLEEP);
    const fix = fixFile(outcome, task, analyzer, { unsafe: false, write: false });
    assert.notEqual(fix.after, fix.before);
    assert.equal(readFileSync(task.path, 'utf8'), SLEEP);
  });

  test('leaves the file as it is when a fixed version cannot be analysed within the budget', async () => {
    const { task, outcome } = await checked(SLEEP);
    const fix = fixFile(outcome, task, analyzerWithBudget(0), { unsafe: false, write: true });
    assert.match(fix.problem ?? '', /^not analysed while fixing: too complex \(\d+ ms\)$/);
    assert.deepEqual(fix.applied, []);
    assert.equal(readFileSync(task.path, 'utf8'), SLEEP);
  });

  test('never touches a file that was not analysed', async () => {
    const { task, analyzer, outcome } = await checked(SLEEP);
    const fix = fixFile({ ...outcome, notAnalysed: 'too complex (10001 ms)' }, task, analyzer, { unsafe: false, write: true });
    assert.equal(fix.after, fix.before);
    assert.equal(readFileSync(task.path, 'utf8'), SLEEP);
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_FILE_BUDGET_MS } from '../core/budget';
import { resolveConfig } from '../core/config';
import { projectFacts } from '../core/engine';
import { RULES } from '../rules';
import { BLOCKING_HANDLERS, BLOCKING_MODULE, makeProject, SEED_RACE } from '../../test/support/cli';
import { loadFrontends } from './analyze';
import { FileAnalyzer, type FileAnalysisSettings, type FileOutcome } from './file-analysis';
import { DEFAULT_MAX_FILE_SIZE } from './source-file';

const settings: FileAnalysisSettings = {
  config: resolveConfig([{ select: ['ALL'] }], RULES.map((rule) => rule.meta)),
  project: {},
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  fileBudgetMs: DEFAULT_FILE_BUDGET_MS,
};

/** Both passes, as a batch runs them on one thread. */
function analyze(analyzer: FileAnalyzer, tasks: readonly { path: string; moduleName: string }[]): FileOutcome[] {
  const summaries = tasks.map((task) => analyzer.index(task).summary);
  analyzer.setProject(projectFacts(summaries.filter((summary) => summary !== undefined)));
  return tasks.map((task) => analyzer.check(task));
}

describe('FileAnalyzer', () => {
  test('files whose facts were kept packed, past the budget, get the same outcomes as files kept whole', async () => {
    await loadFrontends();
    const files = { 'app/race.py': SEED_RACE, 'app/blocking.py': BLOCKING_MODULE, 'app/handlers.py': BLOCKING_HANDLERS, 'gunicorn.conf.py': 'worker_class = "sync"\n' };
    const root = makeProject(files);
    const tasks = Object.keys(files).map((name) => ({ path: join(root, name), moduleName: name.replace('/', '.').replace('.py', '') }));
    const whole = analyze(new FileAnalyzer(settings), tasks);
    const packed = analyze(new FileAnalyzer(settings, 0), tasks);
    assert.deepEqual(packed, whole);
    assert.ok(whole.some((outcome) => outcome.hazards.some((hazard) => hazard.fix)), 'some finding has a fix');
  });
});

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

describe('FileAnalyzer, modules placed outside the server', () => {
  const files = {
    'app/api.py': 'from fastapi import FastAPI\nfrom app.scripts.tools import pause\n\napp = FastAPI()\n\n@app.get("/")\nasync def index():\n    await pause()\n',
    'app/scripts/tools.py': 'import time\n\nasync def pause():\n    time.sleep(1)\n\nasync def only_here():\n    time.sleep(1)\n',
    'app/scripts/seed.py': 'import time\n\nasync def seed():\n    time.sleep(1)\n',
  };
  const tasksOf = (root: string) => Object.keys(files).map((name) => ({ path: join(root, name), moduleName: name.replaceAll('/', '.').replace('.py', '') }));
  const blocking = (outcomes: readonly FileOutcome[]) => outcomes.map((outcome) => outcome.hazards.filter((hazard) => hazard.code === 'IL201').map((hazard) => hazard.range.start.line + 1));

  test('a script reached from a route is parsed again and checked; the rest of the scripts report nothing', async () => {
    await loadFrontends();
    const tasks = tasksOf(makeProject(files));
    assert.deepEqual(blocking(analyze(new FileAnalyzer(settings), tasks)), [[], [4], []]);
    assert.deepEqual(blocking(analyze(new FileAnalyzer(settings, 0), tasks)), [[], [4], []]);
  });

  test('with checkNotServed, every module is checked whole', async () => {
    await loadFrontends();
    const everywhere = { ...settings, config: resolveConfig([{ select: ['ALL'], checkNotServed: true }], RULES.map((rule) => rule.meta)) };
    assert.deepEqual(blocking(analyze(new FileAnalyzer(everywhere), tasksOf(makeProject(files)))), [[], [4, 7], [4]]);
  });
});

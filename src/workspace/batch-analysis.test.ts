import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_FILE_BUDGET_MS } from '../core/budget';
import { resolveConfig } from '../core/config';
import { RULES } from '../rules';
import { CLEAN_MODULE, makeProject, SEED_RACE } from '../../test/support/cli';
import { analyzeFiles } from './batch-analysis';
import { DEFAULT_MAX_FILE_SIZE } from './source-file';
import type { FileAnalysisSettings } from './file-analysis';

const settings: FileAnalysisSettings = {
  config: resolveConfig([], RULES.map((rule) => rule.meta)),
  project: {},
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  fileBudgetMs: DEFAULT_FILE_BUDGET_MS,
};

const tenThousandLineFunction = `async def handler():\n${'    x = 1\n'.repeat(10_000)}`;
const twoHundredNestedBlocks =
  `async def nested():\n` +
  Array.from({ length: 200 }, (_, depth) => `${'    '.repeat(depth + 1)}if x${depth}:\n`).join('') +
  `${'    '.repeat(201)}pass\n`;

/** Inputs that have broken linters; each must be reported or analysed, never thrown. */
const HOSTILE_FILES: Record<string, string | Uint8Array> = {
  'empty.py': '',
  'syntax_errors.py': 'def (:\n  ]] async await ??? \nclass\n\tlambda: :\n' + SEED_RACE.replace('return', 'return ((('),
  'long_function.py': tenThousandLineFunction,
  'nested.py': twoHundredNestedBlocks,
  'nul.py': Buffer.from('x = 1\0\n'),
  'latin1.py': Buffer.from('# caf\xe9\nx = 1\n', 'latin1'),
  'huge.py': `# ${'x'.repeat(DEFAULT_MAX_FILE_SIZE)}\n`,
  'race.py': SEED_RACE,
};

describe('analyzeFiles', () => {
  test('survives hostile files: each is skipped or not analysed with a reason, or analysed', { timeout: 60_000 }, async () => {
    const root = makeProject(HOSTILE_FILES);
    const tasks = Object.keys(HOSTILE_FILES).map((name) => ({ path: join(root, name), moduleName: name.replace('.py', '') }));
    const outcomes = await analyzeFiles(tasks, { settings, threads: 1 });
    const byName = new Map(outcomes.map((outcome) => [outcome.path.slice(root.length + 1), outcome]));
    for (const name of ['nul.py', 'huge.py']) assert.ok(byName.get(name)?.skipped, `${name} is skipped`);
    assert.match(byName.get('latin1.py')?.notAnalysed ?? '', /not valid UTF-8/);
    for (const name of ['empty.py', 'syntax_errors.py', 'long_function.py', 'nested.py', 'race.py']) {
      const outcome = byName.get(name)!;
      assert.equal(outcome.skipped, undefined, name);
      assert.deepEqual(outcome.problems, [], name);
    }
    assert.ok(byName.get('syntax_errors.py')!.syntaxErrors.length > 0);
    assert.equal(byName.get('long_function.py')!.lines, 10_001);
    assert.deepEqual(
      byName.get('race.py')!.hazards.map((hazard) => hazard.code),
      ['IL101'],
    );
  });

  const onlyAwaitRace: FileAnalysisSettings = { ...settings, config: resolveConfig([{ select: ['IL101'] }], RULES.map((rule) => rule.meta)) };
  for (const [label, variant] of [
    ['every rule', settings],
    ['only IL101, in one pass', onlyAwaitRace],
  ] as const) {
    test(`worker threads give the same outcomes, in the same order, as the main thread (${label})`, { timeout: 60_000 }, async () => {
      const files: Record<string, string> = {};
      for (let index = 0; index < 12; index++) files[`pkg/mod_${index}.py`] = index % 3 === 0 ? CLEAN_MODULE : SEED_RACE;
      const root = makeProject(files);
      const tasks = Object.keys(files)
        .sort()
        .map((name) => ({ path: join(root, name), moduleName: name.replace('/', '.').replace('.py', '') }));
      const reported: string[] = [];
      const inWorkers = await analyzeFiles(tasks, {
        settings: variant,
        threads: 2,
        parallelFrom: 1,
        onProgress: ({ phase, done, total }) => reported.push(`${phase} ${done}/${total}`),
      });
      const inProcess = await analyzeFiles(tasks, { settings: variant, threads: 1 });
      assert.deepEqual(inWorkers, inProcess);
      assert.deepEqual(inWorkers.map((outcome) => outcome.path), tasks.map((task) => task.path));
      const checked = tasks.map((_, index) => `check ${index + 1}/${tasks.length}`);
      assert.deepEqual(reported.filter((entry) => entry.startsWith('check')), checked);
      assert.ok(inWorkers.every((outcome) => outcome.problems.length === 0), 'no worker fell back to the main thread');
    });
  }

  test(
    'a cross-file rule sees the summaries of modules another worker read',
    { timeout: 60_000, skip: !RULES.some((rule) => rule.meta.code === 'IL403') && 'IL403 is not registered' },
    async () => {
      const root = makeProject({
        'app/__init__.py': '',
        'app/audit.py': 'async def record_visit(path: str) -> None:\n    ...\n',
        'app/main.py': 'from app.audit import record_visit\n\nasync def index():\n    record_visit("/")\n',
      });
      const tasks = ['app/audit.py', 'app/main.py'].map((name) => ({ path: join(root, name), moduleName: name.replace('/', '.').replace('.py', '') }));
      for (const threads of [1, 2]) {
        const outcomes = await analyzeFiles(tasks, { settings, threads, parallelFrom: 1 });
        const codes = outcomes.map((outcome) => outcome.hazards.map((hazard) => hazard.code));
        assert.deepEqual(codes, [[], ['IL403']], `${threads} thread(s)`);
      }
    },
  );

  test('a file that vanished between discovery and analysis is not analysed, and not fatal', async () => {
    const root = makeProject({});
    const [outcome] = await analyzeFiles([{ path: join(root, 'gone.py'), moduleName: 'gone' }], { settings });
    assert.match(outcome!.notAnalysed ?? '', /cannot read it: ENOENT/);
  });
});

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { version } from '../../package.json';
import { CLEAN_MODULE, makeProject, SEED_RACE } from '../../test/support/cli';
import { DEFAULT_PARALLEL_FROM } from '../workspace/batch-analysis';
import type { JsonHazard } from './json-format';

const repository = join(__dirname, '..', '..');
const bin = join(repository, 'dist', 'cli.js');

function interleave(args: readonly string[], cwd: string) {
  // Spawned as the file itself, so the shebang and the executable bit are tested too.
  const run = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the bundled bin (dist/cli.js)', () => {
  before(() => {
    // The bundle under test is the current source, not whatever an earlier build left.
    execFileSync(process.execPath, [join(repository, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  });

  test('runs from the bundle, finding the parser wasm beside it', () => {
    const root = makeProject({ 'app/main.py': SEED_RACE });
    const run = interleave(['check', '--select', 'IL101'], root);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^app\/main\.py:10:5: IL101 \[await-race\]/);
    assert.deepEqual(interleave(['--version'], root), { status: 0, stdout: `interleave ${version}\n`, stderr: '' });
  });

  test('splits a large tree across worker threads with deterministic, sorted output', { timeout: 180_000 }, () => {
    const files: Record<string, string> = { 'pkg/__init__.py': '' };
    const count = DEFAULT_PARALLEL_FROM + 16;
    for (let index = 0; index < count; index++) {
      files[`pkg/module_${String(index).padStart(3, '0')}.py`] = index % 4 === 0 ? CLEAN_MODULE : SEED_RACE;
    }
    const root = makeProject(files);
    const first = interleave(['check', '--format', 'json', '--select', 'IL101'], root);
    assert.equal(first.status, 1, first.stderr);
    assert.equal(first.stderr, '');
    const hazards = JSON.parse(first.stdout) as JsonHazard[];
    assert.equal(hazards.length, count - count / 4);
    const order = hazards.map((hazard) => hazard.filename);
    assert.deepEqual(order, [...order].sort());
    assert.equal(interleave(['check', '--format', 'json', '--select', 'IL101'], root).stdout, first.stdout);
    const statistics = interleave(['check', '--statistics'], root);
    assert.match(statistics.stdout, new RegExp(`Checked ${count + 1} files`));
  });

  test('a clean tree exits 0', () => {
    const run = interleave(['check'], makeProject({ 'ok.py': CLEAN_MODULE }));
    assert.deepEqual(run, { status: 0, stdout: 'No hazards found.\n', stderr: '' });
  });
});

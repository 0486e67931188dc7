/** The npm package as users get it: packed, installed from the tarball, run from anywhere. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { version } from '../package.json';
import { npm, packRepository, scratchDirectory } from './support/packed-package';
import { SEED_RACE } from './support/cli';

describe('the npm package', { timeout: 300_000 }, () => {
  const scratch = scratchDirectory('interleave-package-');
  const project = join(scratch, 'project');
  let tarball: string;

  before(() => {
    tarball = packRepository(scratch);
    mkdirSync(project);
    mkdirSync(join(project, 'app'));
    writeFileSync(join(project, 'app', 'main.py'), SEED_RACE);
  });

  test('holds the built CLI and what it loads, and nothing of the repository', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((entry) => entry.replace(/^package\//, ''));
    for (const needed of ['package.json', 'dist/cli.js', 'dist/worker.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'dist/typescript/typescript.js']) {
      assert.ok(files.includes(needed), needed);
    }
    assert.deepEqual(files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(file)), []);
    assert.deepEqual(files.filter((file) => file.endsWith('.map')), []);
  });

  test('installs globally into a prefix, without the network, and checks a project from its own directory', () => {
    const prefix = join(scratch, 'prefix');
    mkdirSync(prefix);
    npm(['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: prefix });
    const bin = join(prefix, 'bin', 'interleave');
    assert.ok(existsSync(bin));
    const run = spawnSync(bin, ['check', '--select', 'IL101', '--format', 'concise'], { cwd: join(project, 'app'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^main\.py:10:5: IL101 /);
    assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout, `interleave ${version}\n`);
  });

  test('runs with npx from the tarball', () => {
    const cache = join(scratch, 'npx-cache');
    const output = npm(['exec', '--offline', '--yes', `--package=${tarball}`, '--', 'interleave', 'check', '--exit-zero', '--format', 'json'], {
      cwd: project,
      env: { npm_config_cache: cache },
    });
    const hazards = JSON.parse(output) as { code: string; filename: string }[];
    assert.ok(hazards.some((hazard) => hazard.code === 'IL101' && hazard.filename === join(project, 'app', 'main.py')));
  });
});

/**
 * The pre-commit hook (.pre-commit-hooks.yaml) run by the real pre-commit (Debian's package), when
 * it is installed, on a temporary git repository. The hook repository is what a release holds: the
 * packed package (built, without its build scripts) and the hooks file of this repository. Installing
 * from the source repository works too (pre-commit installs its dev dependencies and builds it), but
 * takes minutes.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { packRepository, scratchDirectory } from './support/packed-package';
import { BLOCKING_MODULE as BLOCKING, CLEAN_MODULE } from './support/cli';

const repository = join(__dirname, '..');
const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const skip = preCommit.status === 0 ? false : 'pre-commit is not installed (apt-get install pre-commit)';

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
}

describe('the pre-commit hook', { skip, timeout: 600_000 }, () => {
  const scratch = scratchDirectory('interleave-pre-commit-');
  const hooks = join(scratch, 'hooks');
  const project = join(scratch, 'project');
  const env = { ...process.env, PRE_COMMIT_HOME: join(scratch, 'cache'), NO_COLOR: '1' };
  const run = (files: readonly string[]) => spawnSync('pre-commit', ['run', 'interleave', '--files', ...files], { cwd: project, env, encoding: 'utf8' });

  before(() => {
    const tarball = packRepository(scratch);
    mkdirSync(hooks);
    execFileSync('tar', ['-xzf', tarball, '-C', hooks, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(hooks, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.scripts;
    writeFileSync(join(hooks, 'package.json'), JSON.stringify(manifest, null, 2));
    copyFileSync(join(repository, '.pre-commit-hooks.yaml'), join(hooks, '.pre-commit-hooks.yaml'));
    git(['init', '-q'], hooks);
    git(['add', '.'], hooks);
    git(['commit', '-qm', 'release'], hooks);
    const rev = git(['rev-parse', 'HEAD'], hooks).trim();

    mkdirSync(join(project, 'app'), { recursive: true });
    writeFileSync(join(project, 'app', 'blocking.py'), BLOCKING);
    writeFileSync(join(project, 'app', 'clean.py'), CLEAN_MODULE);
    writeFileSync(join(project, 'README.md'), '# not checked\n');
    writeFileSync(join(project, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: interleave\n`);
    git(['init', '-q'], project);
    git(['add', '.'], project);
  });

  test('passes the files it is given, and fails on a hazard in one of them', () => {
    const clean = run(['app/clean.py', 'README.md']);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /interleave\.+Passed/);

    const failing = run(['app/blocking.py', 'app/clean.py']);
    assert.equal(failing.status, 1, failing.stdout + failing.stderr);
    assert.match(failing.stdout, /interleave\.+Failed/);
    assert.match(failing.stdout, /app\/blocking\.py:5:5: IL201 /);
  });

  test('fixes the staged files with args: [--fix]', () => {
    const config = readFileSync(join(project, '.pre-commit-config.yaml'), 'utf8');
    writeFileSync(join(project, '.pre-commit-config.yaml'), `${config}        args: [--fix]\n`);
    const fixed = run(['app/blocking.py']);
    // pre-commit fails a hook that changed files, so the fix is reviewed before it is committed.
    assert.equal(fixed.status, 1, fixed.stdout + fixed.stderr);
    assert.match(fixed.stdout, /files were modified by this hook/);
    assert.match(readFileSync(join(project, 'app', 'blocking.py'), 'utf8'), /await asyncio\.sleep\(1\)/);
    assert.equal(run(['app/blocking.py']).status, 0);
  });
});

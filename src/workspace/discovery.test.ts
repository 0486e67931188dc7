import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_EXCLUDE } from '../core/config';
import { makeProject } from '../../test/support/cli';
import { discoverSourceFiles, type DiscoveryOptions } from './discovery';

function discover(root: string, paths: readonly string[] = ['.'], options: Partial<DiscoveryOptions> = {}) {
  const result = discoverSourceFiles(
    paths.map((path) => join(root, path)),
    { exclude: DEFAULT_EXCLUDE, excludeBase: root, ...options },
  );
  return { ...result, files: result.files.map((file) => relative(root, file)) };
}

describe('discoverSourceFiles', () => {
  test('finds Python files, sorted, and nothing else', () => {
    const root = makeProject({ 'b.py': '', 'a/z.py': '', 'a/readme.md': '', 'a/data.json': '', 'c.PY': '' });
    assert.deepEqual(discover(root).files, ['a/z.py', 'b.py', 'c.PY']);
  });

  test('skips virtualenvs, node_modules, site-packages, caches and build output', () => {
    const root = makeProject({
      'app/main.py': '',
      'venv/lib/python3.12/site-packages/fastapi/app.py': '',
      '.venv/bin/activate.py': '',
      'node_modules/pkg/x.py': '',
      'lib/site-packages/vendored.py': '',
      'app/__pycache__/main.py': '',
      'build/lib/app/main.py': '',
      'dist/app.py': '',
      'app.egg-info/x.py': '',
      '.git/hooks/pre-commit.py': '',
      '.tox/py312/x.py': '',
    });
    assert.deepEqual(discover(root).files, ['app/main.py']);
  });

  test('honours .gitignore at every level, negations, and .git/info/exclude', () => {
    const root = makeProject({
      '.git/info/exclude': 'scratch.py\n',
      '.gitignore': 'generated/\n*_pb2.py\n',
      'app/.gitignore': 'local_*.py\n!local_keep.py\n',
      'app/main.py': '',
      'app/local_settings.py': '',
      'app/local_keep.py': '',
      'app/service_pb2.py': '',
      'generated/client.py': '',
      'scratch.py': '',
    });
    assert.deepEqual(discover(root).files, ['app/local_keep.py', 'app/main.py']);
  });

  test('applies the repository root .gitignore when started in a subdirectory', () => {
    const root = makeProject({ '.git/HEAD': '', '.gitignore': 'app/gen/\n', 'app/main.py': '', 'app/gen/x.py': '' });
    assert.deepEqual(discover(root, ['app']).files, ['app/main.py']);
  });

  test('can be told to ignore .gitignore', () => {
    const root = makeProject({ '.gitignore': 'gen.py\n', 'gen.py': '' });
    assert.deepEqual(discover(root, ['.'], { respectGitignore: false }).files, ['gen.py']);
  });

  test('configured excludes match relative paths and basenames', () => {
    const root = makeProject({ 'app/main.py': '', 'app/migrations/0001.py': '', 'tests/fixtures/bad.py': '', 'tests/test_x.py': '' });
    const exclude = [...DEFAULT_EXCLUDE, 'migrations', 'tests/fixtures/**'];
    assert.deepEqual(discover(root, ['.'], { exclude }).files, ['app/main.py', 'tests/test_x.py']);
  });

  test('a file named explicitly is analysed even when excluded, unless forceExclude', () => {
    const root = makeProject({ 'venv/lib/tool.py': '', 'app/main.py': '' });
    assert.deepEqual(discover(root, ['venv/lib/tool.py']).files, ['venv/lib/tool.py']);
    assert.deepEqual(discover(root, ['venv/lib/tool.py', 'app/main.py'], { forceExclude: true }).files, ['app/main.py']);
  });

  test('ends symlink loops and lists a file reached twice once', () => {
    const root = makeProject({ 'pkg/mod.py': '' });
    symlinkSync(join(root, 'pkg'), join(root, 'pkg', 'loop'));
    symlinkSync(join(root, 'pkg', 'mod.py'), join(root, 'alias.py'));
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling.py'));
    assert.deepEqual(discover(root).files, ['alias.py']);
  });

  test('reports paths that do not exist', () => {
    const root = makeProject({ 'a.py': '' });
    const result = discover(root, ['a.py', 'missing.py']);
    assert.deepEqual(result.files, ['a.py']);
    assert.deepEqual(result.missing, [join(root, 'missing.py')]);
  });

  test('warns about an explicit file it cannot analyse', () => {
    const root = makeProject({ 'notes.txt': '' });
    const result = discover(root, ['notes.txt']);
    assert.deepEqual(result.files, []);
    assert.deepEqual(result.warnings, [{ path: join(root, 'notes.txt'), message: 'not a file type Interleave analyses; skipped' }]);
  });

  test('walks empty directories without complaint', () => {
    const root = makeProject({});
    mkdirSync(join(root, 'empty'));
    assert.deepEqual(discover(root), { files: [], missing: [], warnings: [], unreadable: [] });
  });
});

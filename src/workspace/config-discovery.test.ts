import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError } from '../core/config';
import { RULES } from '../rules';
import { makeProject } from '../../test/support/cli';
import { loadSettings } from './config-discovery';

const metas = RULES.map((rule) => rule.meta);

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('loadSettings', () => {
  test('prefers interleave.toml over pyproject.toml in the same directory', () => {
    const root = makeProject({
      'interleave.toml': 'ignore = ["IL103"]\n',
      'pyproject.toml': '[tool.interleave]\nignore = ["IL101"]\n',
    });
    assert.deepEqual(loadSettings(root, metas), { settings: { ignore: ['IL103'] }, file: join(root, 'interleave.toml'), directory: root });
  });

  test('walks up from the starting directory, passing over a pyproject without [tool.interleave]', () => {
    const root = makeProject({
      'pyproject.toml': '[tool.interleave]\nextend-exclude = ["migrations"]\n',
      'service/pyproject.toml': '[project]\nname = "service"\n',
      'service/app/main.py': '',
    });
    const loaded = loadSettings(join(root, 'service/app'), metas);
    assert.equal(loaded.file, join(root, 'pyproject.toml'));
    assert.equal(loaded.directory, root);
    assert.deepEqual(loaded.settings, { extendExclude: ['migrations'] });
  });

  test('uses an explicit file, relative to the starting directory', () => {
    const root = makeProject({ 'ci/strict.toml': 'select = ["IL1"]\n' });
    const loaded = loadSettings(root, metas, 'ci/strict.toml');
    assert.deepEqual(loaded.settings, { select: ['IL1'] });
    assert.equal(loaded.directory, join(root, 'ci'));
  });

  test('an explicit pyproject without the table is an error, not silently nothing', () => {
    const root = makeProject({ 'pyproject.toml': '[project]\nname = "x"\n' });
    assert.match(configError(() => loadSettings(root, metas, 'pyproject.toml')).describe(), /pyproject\.toml: has no \[tool\.interleave\] table/);
  });

  test('an unknown key names the file and line', () => {
    const root = makeProject({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.interleave]\nselect = ["IL101"]\nexclude-dirs = ["x"]\n' });
    const error = configError(() => loadSettings(root, metas));
    assert.equal(error.file, join(root, 'pyproject.toml'));
    assert.equal(error.line, 6);
    assert.match(error.message, /unknown setting `exclude-dirs`/);
  });

  test('a missing explicit file is a configuration error', () => {
    const root = makeProject({});
    assert.match(configError(() => loadSettings(root, metas, 'nope.toml')).describe(), /nope\.toml: cannot read configuration/);
  });

  test('no configuration anywhere gives empty settings relative to the start', () => {
    const root = makeProject({ 'app/main.py': '' });
    assert.deepEqual(loadSettings(join(root, 'app'), metas), { settings: {}, directory: join(root, 'app') });
  });
});

describe('loadSettings with package.json', () => {
  test('finds the "interleave" object walking up, passing over a package.json without one', () => {
    const root = makeProject({
      'package.json': '{ "name": "shop", "interleave": { "ignore": ["IL103"] } }',
      'src/routes/orders.ts': '',
      'tools/package.json': '{ "name": "tools" }',
      'tools/build.ts': '',
    });
    assert.deepEqual(loadSettings(join(root, 'src/routes'), metas), { settings: { ignore: ['IL103'] }, file: join(root, 'package.json'), directory: root });
    assert.equal(loadSettings(join(root, 'tools'), metas).file, join(root, 'package.json'));
  });
});

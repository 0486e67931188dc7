import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, resolveConfig } from './config';
import { parseTomlSettings } from './config-file';
import { RULES } from '../rules';

const metas = RULES.map((rule) => rule.meta);

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.describe();
  }
  assert.fail('expected a ConfigError');
}

describe('configuration files', () => {
  it('reads [tool.interleave] from a pyproject, with per-rule severities by code or name', () => {
    const settings = parseTomlSettings(
      '[project]\nname = "shop"\n\n[tool.interleave]\nselect = ["IL1"]\nignore = ["IL103"]\nexclude = ["migrations"]\nworkers = 4\n\n[tool.interleave.severity]\nIL101 = "error"\nawait-check-then-act = "info"\n',
      'pyproject.toml',
      'tool.interleave',
      metas,
    );
    assert.deepEqual(settings, {
      select: ['IL1'],
      ignore: ['IL103'],
      exclude: ['migrations'],
      workers: 4,
      severity: { IL101: 'error', 'await-check-then-act': 'info' },
    });
    const config = resolveConfig([settings!], metas);
    assert.deepEqual([...config.enabled].sort(), ['IL101', 'IL102', 'IL104']);
    assert.equal(config.severity.get('IL104'), 'info');
  });

  it('returns nothing for a pyproject without an interleave table', () => {
    assert.equal(parseTomlSettings('[tool.ruff]\nline-length = 100\n', 'pyproject.toml', 'tool.interleave', metas), undefined);
  });

  it('reads the whole of an interleave.toml, including inline tables', () => {
    assert.deepEqual(parseTomlSettings('extend-select = ["await-race"]\nseverity = { IL103 = "warning" }\n', 'interleave.toml', 'root', metas), {
      extendSelect: ['await-race'],
      severity: { IL103: 'warning' },
    });
  });

  it('rejects unknown keys, bad values, unknown rules and broken TOML with file and line', () => {
    assert.equal(errorOf(() => parseTomlSettings('[tool.interleave]\nselct = ["IL1"]\n', 'pyproject.toml', 'tool.interleave', metas)).split(' (known')[0], 'pyproject.toml:2: unknown setting `selct`');
    assert.equal(errorOf(() => parseTomlSettings('workers = 0\n', 'interleave.toml', 'root', metas)), 'interleave.toml:1: `workers` must be a whole number of at least 1');
    assert.equal(errorOf(() => parseTomlSettings('select = "IL1"\n', 'interleave.toml', 'root', metas)), 'interleave.toml:1: `select` must be an array of strings');
    assert.equal(errorOf(() => parseTomlSettings('\nselect = ["IL9"]\n', 'interleave.toml', 'root', metas)), 'interleave.toml:2: unknown rule selector `IL9` in `select`');
    assert.equal(errorOf(() => parseTomlSettings('[severity]\nIL101 = "loud"\n', 'interleave.toml', 'root', metas)), 'interleave.toml:2: severity of `IL101` must be one of "error", "warning", "info", "hint"');
    assert.equal(errorOf(() => parseTomlSettings('[severity]\nIL777 = "error"\n', 'interleave.toml', 'root', metas)), 'interleave.toml:2: unknown rule `IL777` in `severity`');
    assert.match(errorOf(() => parseTomlSettings('select = [\n', 'interleave.toml', 'root', metas)), /^interleave\.toml:\d+: invalid TOML/);
  });

  it('layers settings the way Ruff does: select replaces, extend-select adds, ignore removes', () => {
    const config = resolveConfig([{ select: ['IL101'] }, { extendSelect: ['IL104'] }, { ignore: ['await-race'] }], metas);
    assert.deepEqual([...config.enabled], ['IL104']);
  });
});

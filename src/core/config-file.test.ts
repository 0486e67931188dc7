import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, resolveConfig, type Settings } from './config';
import { parseJsonSettings, parseTomlSettings } from './config-file';
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
    // IL102 and IL104 are preview rules, which a prefix leaves out.
    assert.deepEqual([...config.enabled].sort(), ['IL101', 'IL105']);
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

  it('reads where the cache goes, and rejects an empty or non-string one', () => {
    assert.deepEqual(parseTomlSettings('cache-dir = ".cache/interleave"\n', 'interleave.toml', 'root', metas), { cacheDir: '.cache/interleave' });
    assert.equal(errorOf(() => parseTomlSettings('cache-dir = " "\n', 'interleave.toml', 'root', metas)), 'interleave.toml:1: `cache-dir` must be a directory path');
    assert.equal(errorOf(() => parseTomlSettings('cache-dir = 1\n', 'interleave.toml', 'root', metas)), 'interleave.toml:1: `cache-dir` must be a directory path');
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

  it('leaves preview rules out of the default selection, ALL and prefixes, unless preview is on or the rule is named', () => {
    const rules = [...metas.filter((meta) => meta.code === 'IL101' || meta.code === 'IL105'), { ...metas.find((meta) => meta.code === 'IL102')!, preview: true }];
    const enabled = (...layers: Settings[]) => [...resolveConfig(layers, rules).enabled].sort();
    assert.deepEqual(enabled(), ['IL101', 'IL105']);
    assert.deepEqual(enabled({ select: ['ALL'] }), ['IL101', 'IL105']);
    assert.deepEqual(enabled({ select: ['IL1'] }), ['IL101', 'IL105']);
    assert.deepEqual(enabled({ extendSelect: ['threadpool-race'] }), ['IL101', 'IL102', 'IL105']);
    assert.deepEqual(enabled({ select: ['IL102'] }), ['IL102']);
    assert.deepEqual(enabled({ select: ['IL1'] }, { preview: true }), ['IL101', 'IL102', 'IL105']);
    assert.deepEqual(enabled({ preview: true }), ['IL101', 'IL102', 'IL105']);
    assert.equal(resolveConfig([parseTomlSettings('preview = true\n', 'interleave.toml', 'root', rules)!], rules).preview, true);
    assert.equal(errorOf(() => parseTomlSettings('preview = "yes"\n', 'interleave.toml', 'root', rules)), 'interleave.toml:1: `preview` must be true or false');
  });
});

describe('blocking-call settings', () => {
  it('read lists and pattern = suggestion tables, and add up across layers', () => {
    const settings = parseTomlSettings(
      [
        '[tool.interleave]',
        'cpu-bound-calls = ["imaging.render"]',
        'offload-wrappers = ["app.threads.offload"]',
        '',
        '[tool.interleave.blocking-calls]',
        '"legacy.sdk.upload" = "use `legacy.aio.upload`"',
        'vendor.Client.send = "use the async client"',
        '',
      ].join('\n'),
      'pyproject.toml',
      'tool.interleave',
      metas,
    )!;
    assert.deepEqual(settings.blockingCalls, [
      { pattern: 'legacy.sdk.upload', suggestion: 'use `legacy.aio.upload`' },
      { pattern: 'vendor.Client.send', suggestion: 'use the async client' },
    ]);
    assert.deepEqual(settings.cpuBoundCalls, [{ pattern: 'imaging.render' }]);
    assert.deepEqual(settings.offloadWrappers, ['app.threads.offload']);
    const config = resolveConfig([settings, { blockingCalls: [{ pattern: 'more.calls' }] }], metas);
    assert.deepEqual(config.blockingCalls.map((setting) => setting.pattern), ['legacy.sdk.upload', 'vendor.Client.send', 'more.calls']);
  });

  it('name the file and line of a bad entry', () => {
    const error = (text: string) => errorOf(() => parseTomlSettings(text, 'interleave.toml', 'root', metas));
    assert.equal(error('select = ["IL2"]\nblocking-calls = ["ok.call", "bad call"]\n'), 'interleave.toml:2: pattern `bad call` in `blocking-calls` must not contain spaces');
    assert.equal(error('[blocking-calls]\n"vendor.fetch" = 3\n'), 'interleave.toml:2: the suggestion for `vendor.fetch` in `blocking-calls` must be a string');
    assert.equal(error('offload-wrappers = "app.run"\n'), 'interleave.toml:1: `offload-wrappers` must be an array of strings');
    assert.equal(error('[offload-wrappers]\n"app.run" = "x"\n'), 'interleave.toml:2: `offload-wrappers` is not a table');
  });
});

describe('configuration in package.json', () => {
  it('reads the "interleave" object with the keys TOML has, tables as objects', () => {
    const settings = parseJsonSettings(
      JSON.stringify(
        {
          name: 'shop',
          interleave: {
            select: ['IL1', 'IL2'],
            workers: 4,
            severity: { IL101: 'error', 'blocking-call': 'info' },
            'blocking-calls': { 'vendor.fetchSync': 'use vendor.fetch' },
            'extend-exclude': ['generated'],
          },
        },
        null,
        2,
      ),
      'package.json',
      metas,
    );
    assert.deepEqual(settings, {
      select: ['IL1', 'IL2'],
      workers: 4,
      severity: { IL101: 'error', 'blocking-call': 'info' },
      blockingCalls: [{ pattern: 'vendor.fetchSync', suggestion: 'use vendor.fetch' }],
      extendExclude: ['generated'],
    });
  });

  it('returns nothing for a package.json without an "interleave" object', () => {
    assert.equal(parseJsonSettings('{ "name": "shop", "version": "1.0.0" }', 'package.json', metas), undefined);
  });

  it('names the file and line of an unknown key, a bad value and a JSON error', () => {
    const unknown = errorOf(() => parseJsonSettings('{\n  "interleave": {\n    "select": ["IL1"],\n    "wrokers": 2\n  }\n}\n', 'package.json', metas));
    assert.match(unknown, /^package\.json:4: unknown setting `wrokers`/);
    const badValue = errorOf(() => parseJsonSettings('{\n  "interleave": {\n    "severity": {\n      "IL101": "loud"\n    }\n  }\n}\n', 'package.json', metas));
    assert.match(badValue, /^package\.json:4: severity of `IL101` must be one of/);
    const invalid = errorOf(() => parseJsonSettings('{\n  "interleave": {\n    "workers": 2,\n  }\n}\n', 'package.json', metas));
    assert.match(invalid, /^package\.json:4: invalid JSON/);
  });
});

describe('check-not-served', () => {
  it('reads a boolean and rejects anything else, naming the line', () => {
    const parse = (text: string) => parseTomlSettings(text, 'interleave.toml', 'root', metas);
    assert.equal(parse('check-not-served = true\n')!.checkNotServed, true);
    assert.equal(resolveConfig([parse('check-not-served = true\n')!], metas).checkNotServed, true);
    assert.equal(resolveConfig([], metas).checkNotServed, false);
    assert.equal(errorOf(() => parse('select = ["IL2"]\ncheck-not-served = "yes"\n')), 'interleave.toml:2: `check-not-served` must be true or false');
  });
});

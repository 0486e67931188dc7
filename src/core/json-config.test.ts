import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeProject } from '../../test/support/cli';
import { loadSettings } from '../workspace/config-discovery';
import { RULES } from '../rules';
import { ConfigError } from './config';
import { parseJsonSettings } from './config-file';
import { parseJsonDocument, plainJson } from './json-document';

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

  it('is found walking up, passing over a package.json without one', () => {
    const root = makeProject({
      'package.json': '{ "name": "shop", "interleave": { "ignore": ["IL103"] } }',
      'src/routes/orders.ts': '',
      'tools/package.json': '{ "name": "tools" }',
      'tools/build.ts': '',
    });
    const loaded = loadSettings(join(root, 'src/routes'), metas);
    assert.deepEqual(loaded, { settings: { ignore: ['IL103'] }, file: join(root, 'package.json'), directory: root });
    assert.equal(loadSettings(join(root, 'tools'), metas).file, join(root, 'package.json'));
  });
});

describe('JSON documents', () => {
  it('parse like JSON.parse and keep the line of each key', () => {
    const text = '{\n  "a": [1, -2.5e3, true, null],\n  "b": { "c": "\\u00e9\\n" }\n}';
    const document = parseJsonDocument(text);
    assert.deepEqual(plainJson(document), JSON.parse(text));
    assert.deepEqual(document.kind === 'object' ? document.members.map((member) => [member.key, member.line]) : [], [['a', 2], ['b', 3]]);
  });
});

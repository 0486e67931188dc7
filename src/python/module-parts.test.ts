import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { resolveConfig } from '../core/config';
import { checkModule } from '../core/engine';
import { RULES } from '../rules';
import { analyzePython, loadPythonParser } from './frontend';
import { partsOfPythonModule, pythonModuleOf } from './module-parts';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures', 'python');

describe('Python module parts', () => {
  test('a module made again from its cloned parts gets the same findings and fixes as the parsed one, in every rule fixture', async () => {
    await loadPythonParser();
    const options = { rules: RULES, config: resolveConfig([{ select: ['ALL'], preview: true }], RULES.map((rule) => rule.meta)), project: {} };
    let checked = 0;
    for (const rule of readdirSync(fixtures)) {
      for (const file of readdirSync(join(fixtures, rule)).filter((name) => name.endsWith('.py'))) {
        const path = join(fixtures, rule, file);
        const parsed = analyzePython(readFileSync(path, 'utf8'), path, `fixtures.${file.slice(0, -3)}`);
        const parts = partsOfPythonModule(parsed);
        assert.ok(parts, path);
        const again = pythonModuleOf(deserialize(serialize(parts)) as typeof parts);
        assert.deepEqual(checkModule(again, options), checkModule(parsed, options), path);
        checked++;
      }
    }
    assert.ok(checked > 50, `${checked} fixtures`);
  });
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { resolveConfig } from '../core/config';
import { checkModule } from '../core/engine';
import { RULES } from '../rules';
import { languageOf, loadFrontends, parseSource } from './analyze';
import { moduleOf, partsOfModule, type ModuleParts } from './module-parts';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');

describe('module parts', () => {
  for (const language of ['python', 'typescript'] as const) {
    test(`a ${language} module made again from its cloned parts gets the same findings and fixes as the parsed one, in every rule fixture`, async () => {
      await loadFrontends();
      const options = { rules: RULES, config: resolveConfig([{ select: ['ALL'], preview: true }], RULES.map((rule) => rule.meta)), project: {} };
      let checked = 0;
      for (const rule of readdirSync(join(fixtures, language))) {
        for (const file of readdirSync(join(fixtures, language, rule)).filter((name) => languageOf(name) === language)) {
          const path = join(fixtures, language, rule, file);
          const parsed = parseSource(path, readFileSync(path, 'utf8'), `fixtures.${file.replace(/\.\w+$/, '')}`)!;
          const parts = partsOfModule(parsed);
          assert.equal(parts?.language, language, path);
          const again = moduleOf(deserialize(serialize(parts)) as ModuleParts);
          assert.deepEqual(checkModule(again, options), checkModule(parsed, options), path);
          checked++;
        }
      }
      assert.ok(checked >= 20, `${checked} fixtures`);
    });
  }
});

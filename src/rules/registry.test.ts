import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  caseFiles,
  deploymentFixtureCases,
  fixtureFiles,
  parseDeploymentExpectations,
  parseExpectations,
  readFixture,
} from '../../test/support/fixture-expectations';
import { renderGeneratedDocs } from './generated-docs';
import { RULES } from '.';

const SUPPORT_FILES = new Set(['index.ts', 'docs.ts', 'generated-docs.ts', 'race-reporting.ts', 'story-steps.ts']);

describe('rule registry', () => {
  it('registers every rule file, sorted by code, with unique codes and names', () => {
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !SUPPORT_FILES.has(f));
    const names = RULES.map((rule) => `${rule.meta.name}.ts`).sort();
    assert.deepEqual(files.sort(), names, 'each rule lives in src/rules/<rule-name>.ts and is listed in RULES');
    const codes = RULES.map((rule) => rule.meta.code);
    assert.deepEqual(codes, [...codes].sort());
    assert.equal(new Set(codes).size, codes.length);
    for (const { meta } of RULES) {
      assert.match(meta.code, /^IL[1-6]\d\d$/);
      assert.match(meta.name, /^[a-z]+(-[a-z]+)*$/);
    }
  });

  for (const { meta } of RULES) {
    it(`${meta.code} has every documentation section and an example per language`, () => {
      for (const section of ['whatItDoes', 'whyIsThisBad', 'fixSafety', 'whenNotToUse'] as const) {
        assert.ok(meta.docs[section].trim().length > 40, `${meta.code} docs.${section}`);
      }
      for (const language of meta.languages) {
        assert.ok(meta.docs.examples.some((example) => example.language === language), `${meta.code} example for ${language}`);
      }
      assert.ok(meta.summary.endsWith('.'), `${meta.code} summary is a sentence`);
    });

    it(`${meta.code} has fixtures with at least as many negative cases as positive ones`, () => {
      if (meta.family === 'deployment') {
        // Deployment rules' fixtures are projects: every file of every case counts.
        let positives = 0;
        let negatives = 0;
        for (const file of deploymentFixtureCases(meta.name).flatMap(caseFiles)) {
          const { expected, negatives: ok } = parseDeploymentExpectations(readFixture(file));
          positives += [...expected.values()].filter((codes) => codes.includes(meta.code)).length;
          negatives += ok.size;
        }
        assert.ok(positives > 0, `${meta.code} has no positive deployment fixtures`);
        assert.ok(negatives >= positives, `${meta.code} deployment: ${negatives} negatives < ${positives} positives`);
        return;
      }
      for (const language of meta.languages) {
        let positives = 0;
        let negatives = 0;
        for (const file of fixtureFiles(language, meta.name)) {
          const { expected, negatives: ok } = parseExpectations(readFixture(file));
          positives += [...expected.values()].filter((codes) => codes.includes(meta.code)).length;
          negatives += ok.size;
        }
        assert.ok(positives > 0, `${meta.code} has no positive ${language} fixtures`);
        assert.ok(negatives >= positives, `${meta.code} ${language}: ${negatives} negatives < ${positives} positives`);
      }
    });
  }

  it('has up-to-date generated documentation (run `npm run docs`)', () => {
    for (const file of renderGeneratedDocs()) {
      assert.ok(existsSync(file.path), `${file.path} is missing`);
      assert.equal(readFileSync(file.path, 'utf8'), file.content, `${file.path} is stale`);
    }
    const documented = readdirSync(join(__dirname, '..', '..', 'docs', 'rules')).sort();
    assert.deepEqual(documented, RULES.map((rule) => `${rule.meta.code}.md`).sort(), 'docs/rules has a page per rule and nothing else');
  });
});

import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { analyzeText } from './support/analyze';
import { fixtureFiles, parseExpectations, readFixture } from './support/fixture-expectations';

/** The TypeScript race fixtures: lost updates (IL101) and stale decisions (IL104). */
const RACE_RULES = [
  { code: 'IL101', name: 'await-race' },
  { code: 'IL104', name: 'await-check-then-act' },
];

const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    rules: { 'require-atomic-updates': 'error' },
  },
];

interface Comparison {
  racesBothFind: string[];
  racesOnlyInterleaveFinds: string[];
  /** Lines ESLint flags that the fixtures mark `// OK`: per-request objects, save/restore, guard flags. */
  nonRacesOnlyEslintFlags: string[];
}

// ESLint's require-atomic-updates is the only other static lost-update check for JavaScript. On
// the fixtures, every race it reports Interleave reports too, and every shape it flags that the
// fixtures mark as safe (the eslint#11899 shapes) Interleave leaves alone. Each ESLint report must
// land on an annotated line, so the comparison cannot silently miss one.
describe("ESLint's require-atomic-updates on the TypeScript race fixtures", () => {
  const comparison: Comparison = { racesBothFind: [], racesOnlyInterleaveFinds: [], nonRacesOnlyEslintFlags: [] };
  for (const { code, name } of RACE_RULES) {
    for (const file of fixtureFiles('typescript', name)) {
      it(`${code} ${basename(file)}: Interleave covers ESLint's races and none of its false alarms`, async () => {
        const source = readFixture(file);
        const { expected, negatives } = parseExpectations(source);
        const races = new Set([...expected].filter(([, codes]) => codes.includes(code)).map(([line]) => line));
        const report = await analyzeText(source, { path: file, settings: { select: [code] } });
        const interleave = new Set(report.hazards.map((hazard) => hazard.range.start.line));
        const eslint = new Set(
          linter
            .verify(source, config, { filename: basename(file) })
            .filter((message) => message.ruleId === 'require-atomic-updates')
            .map((message) => message.line - 1),
        );
        for (const line of eslint) {
          const where = `${basename(file)}:${line + 1}`;
          if (races.has(line)) {
            assert.ok(interleave.has(line), `${where}: a race ESLint reports and Interleave does not`);
            comparison.racesBothFind.push(where);
          } else if (negatives.has(line)) {
            assert.ok(!interleave.has(line), `${where}: marked OK, yet reported`);
            comparison.nonRacesOnlyEslintFlags.push(where);
          } else {
            assert.fail(`${where}: ESLint reports a line the fixture does not classify; mark it // ${code} or // OK`);
          }
        }
        for (const line of races) if (!eslint.has(line)) comparison.racesOnlyInterleaveFinds.push(`${basename(file)}:${line + 1}`);
      });
    }
  }

  it('records the counts', (context) => {
    context.diagnostic(
      `races both find: ${comparison.racesBothFind.length} (${comparison.racesBothFind.join(", ")}); races only Interleave finds: ${comparison.racesOnlyInterleaveFinds.length} (${comparison.racesOnlyInterleaveFinds.join(", ")}); ` +
        `safe shapes only ESLint flags: ${comparison.nonRacesOnlyEslintFlags.length} (${comparison.nonRacesOnlyEslintFlags.join(", ")})`,
    );
    assert.ok(comparison.racesOnlyInterleaveFinds.length > 0);
    assert.ok(comparison.nonRacesOnlyEslintFlags.length > 0);
  });
});

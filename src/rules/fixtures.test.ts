import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { applyTextEdits } from '../core/text-edits';
import { parseSource } from '../workspace/analyze';
import { analyzeText } from '../../test/support/analyze';
import { fixtureFiles, parseExpectations, readFixture } from '../../test/support/fixture-expectations';
import { RULES } from '.';

for (const rule of RULES) {
  const { code, name } = rule.meta;
  for (const language of rule.meta.languages) {
    describe(`${code} ${name} fixtures (${language})`, () => {
      for (const file of fixtureFiles(language, name)) {
        // A fixture named for preview (`preview-queries.ts`) is checked with `preview = true`.
        const settings = { select: [code], ...(basename(file).includes('preview') && { preview: true }) };
        it(`reports exactly the annotated lines of ${basename(file)}`, async () => {
          const source = readFixture(file);
          const { expected, negatives } = parseExpectations(source);
          const report = await analyzeText(source, { path: file, settings });
          assert.deepEqual(report.problems, []);
          const actual = new Map<number, string[]>();
          for (const hazard of report.hazards) {
            const line = hazard.range.start.line;
            actual.set(line, [...(actual.get(line) ?? []), hazard.code]);
          }
          const wanted = new Map([...expected].map(([line, codes]) => [line, codes.filter((c) => c === code)] as const).filter(([, codes]) => codes.length > 0));
          const describeLines = (map: Map<number, string[]>) =>
            [...map].sort(([a], [b]) => a - b).map(([line, codes]) => `${line + 1}: ${codes.join(',')}`);
          assert.deepEqual(describeLines(actual), describeLines(wanted), `hazards in ${basename(file)} (line: codes)`);
          for (const line of negatives) assert.ok(!actual.has(line), `line ${line + 1} is marked OK`);
        });

        it(`offers fixes in ${basename(file)} that parse and remove the hazard`, async () => {
          const source = readFixture(file);
          const report = await analyzeText(source, { path: file, settings });
          for (const hazard of report.hazards.filter((h) => h.fix)) {
            const fixed = applyTextEdits(source, hazard.fix!.edits);
            const where = `fix at line ${hazard.range.start.line + 1}`;
            assert.deepEqual(parseSource(file, fixed, 'fixed')?.facts.syntaxErrors, [], `${where} breaks the syntax:\n${fixed}`);
            const after = await analyzeText(fixed, { path: file, settings });
            assert.ok(after.hazards.length < report.hazards.length, `${where} leaves the hazard:\n${fixed}`);
          }
        });
      }
    });
  }
}

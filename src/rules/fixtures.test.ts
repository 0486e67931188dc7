import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { applyTextEdits } from '../core/text-edits';
import { parseSource } from '../workspace/analyze';
import { analyzeText } from '../../test/support/analyze';
import { FIXTURES_ROOT, fixtureFiles, parseExpectations, readFixture } from '../../test/support/fixture-expectations';
import { describeFixes, FIX_SNAPSHOT_EXTENSION, fixSnapshot } from '../../test/support/fix-snapshots';
import { RULES } from '.';

for (const rule of RULES) {
  const { code, name } = rule.meta;
  for (const language of rule.meta.languages) {
    describe(`${code} ${name} fixtures (${language})`, () => {
      for (const file of fixtureFiles(language, name)) {
        // A fixture named for preview (`preview-queries.ts`) is checked with `preview = true`.
        // IL103 reports with no known worker count only in preview, and its fixtures have no deployment files;
        // IL301 reports what is opened at import or once per process only in preview, and most of its fixtures are that.
        const settings = { select: [code], ...((basename(file).includes('preview') || code === 'IL103' || code === 'IL301') && { preview: true }) };
        it(`reports exactly the annotated lines of ${basename(file)}`, async () => {
          const source = readFixture(file);
          const { expected, negatives, related } = parseExpectations(source);
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
          const relatedLines = new Set(report.hazards.flatMap((hazard) => hazard.related.filter((note) => note.path === file).map((note) => note.range.start.line)));
          for (const [line, codes] of related) {
            if (codes.includes(code)) assert.ok(relatedLines.has(line), `line ${line + 1} is related information of a ${code} finding`);
          }
        });

        it(`offers in ${basename(file)} exactly the fixes in ${basename(file)}${FIX_SNAPSHOT_EXTENSION}`, async () => {
          const source = readFixture(file);
          const report = await analyzeText(source, { path: file, settings });
          const { actual, expected } = fixSnapshot(`${file}${FIX_SNAPSHOT_EXTENSION}`, describeFixes(source, report.hazards));
          assert.equal(actual, expected ?? '', `the fixes of ${basename(file)} (UPDATE_FIX_SNAPSHOTS=1 rewrites the expected ones)`);
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

describe('fix snapshots', () => {
  it('each belongs to a fixture that still exists', () => {
    const snapshots = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? snapshots(join(dir, entry.name)) : entry.name.endsWith(FIX_SNAPSHOT_EXTENSION) ? [join(dir, entry.name)] : [],
      );
    for (const snapshot of snapshots(FIXTURES_ROOT)) assert.ok(existsSync(snapshot.slice(0, -FIX_SNAPSHOT_EXTENSION.length)), `${snapshot} has no fixture`);
  });
});

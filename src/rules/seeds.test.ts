import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../test/support/analyze';
import { fixtureFiles, parseExpectations, readFixture } from '../../test/support/fixture-expectations';
import { RULES } from '.';

const registered = new Set(RULES.map((rule) => rule.meta.code));

// Every example in the seed notes, with all rules on (preview ones too): what the notes call a hazard is reported,
// what they call fine is not. The notes run the app under gunicorn with four workers. Codes of
// rules not registered yet are listed as pending.
describe('seed examples', () => {
  for (const file of fixtureFiles('python', 'seeds')) {
    const source = readFixture(file);
    const { expected, negatives } = parseExpectations(source);
    const pending = [...expected.values()].flat().filter((code) => !registered.has(code));
    it(`${basename(file)} reports what the seeds describe`, async () => {
      const { hazards, problems } = await analyzeText(source, { path: file, moduleName: `app.${basename(file, '.py')}`, project: { workers: { count: 4 } }, settings: { preview: true } });
      assert.deepEqual(problems, []);
      const actual = hazards.map((h) => `${h.range.start.line + 1}: ${h.code}`).sort();
      const wanted = [...expected]
        .flatMap(([line, codes]) => codes.filter((code) => registered.has(code)).map((code) => `${line + 1}: ${code}`))
        .sort();
      assert.deepEqual(actual, wanted);
      for (const line of negatives) assert.ok(!hazards.some((h) => h.range.start.line === line), `line ${line + 1} is marked OK`);
    });
    if (pending.length > 0) it.todo(`${basename(file)}: ${[...new Set(pending)].join(', ')} not implemented yet`);
  }
});

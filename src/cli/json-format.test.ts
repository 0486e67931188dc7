import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { HEADLINE_LENGTH } from '../core/headline';
import { makeProject, runCli, SEED_RACE } from '../../test/support/cli';
import { FORMAT_FILE, formatHazard, formatResults } from '../../test/support/hazards';
import { formatJson } from './json-format';

const RULE_URL = /^https:\/\/github\.com\/interleave-dev\/interleave\/blob\/main\/docs\/rules\/IL\d{3}\.md$/;

function assertPosition(value: unknown, where: string): void {
  assert.deepEqual(Object.keys(value as object).sort(), ['column', 'row'], where);
  const { row, column } = value as { row: unknown; column: unknown };
  assert.ok(Number.isInteger(row) && (row as number) >= 1, `${where}.row is a 1-based integer`);
  assert.ok(Number.isInteger(column) && (column as number) >= 1, `${where}.column is a 1-based integer`);
}

describe('--format json', () => {
  test('carries a finding’s explanation, and leaves the field out when there is none', () => {
    const [explained, plain] = JSON.parse(formatJson(formatResults([formatHazard({ explanation: 'Why, and the fix.' }), formatHazard()]))) as Record<string, unknown>[];
    assert.equal(explained!.explanation, 'Why, and the fix.');
    assert.equal('explanation' in plain!, false);
  });

  test('matches the contract in DESIGN.md field by field', async () => {
    const root = makeProject({ 'app/main.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'json'], { cwd: root });
    assert.equal(run.status, 1);
    const hazards: unknown = JSON.parse(run.stdout);
    assert.ok(Array.isArray(hazards) && hazards.length > 0);
    for (const hazard of hazards as Record<string, unknown>[]) {
      assert.deepEqual(
        Object.keys(hazard)
          .filter((key) => key !== 'explanation')
          .sort(),
        ['code', 'end_location', 'filename', 'fix', 'location', 'message', 'name', 'related', 'severity', 'url'],
      );
      assert.ok(hazard.explanation === undefined || typeof hazard.explanation === 'string', 'explanation is optional text');
      assert.match(hazard.code as string, /^IL\d{3}$/);
      assert.match(hazard.name as string, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(hazard.severity as string));
      assert.ok(typeof hazard.message === 'string' && hazard.message.length <= HEADLINE_LENGTH, 'message is a headline');
      assert.equal(hazard.filename, join(root, 'app/main.py'), 'filename is absolute');
      assertPosition(hazard.location, 'location');
      assertPosition(hazard.end_location, 'end_location');
      assert.match(hazard.url as string, RULE_URL);
      assert.ok(hazard.url!.toString().endsWith(`${hazard.code}.md`));
      assert.ok(Array.isArray(hazard.related));
      for (const related of hazard.related as Record<string, unknown>[]) {
        assert.deepEqual(Object.keys(related).sort(), ['end_location', 'filename', 'location', 'message']);
        assert.equal(related.filename, join(root, 'app/main.py'));
        assertPosition(related.location, 'related.location');
        assertPosition(related.end_location, 'related.end_location');
        assert.equal(typeof related.message, 'string');
      }
      if (hazard.fix !== null) {
        const fix = hazard.fix as Record<string, unknown>;
        assert.deepEqual(Object.keys(fix).sort(), ['applicability', 'edits', 'message']);
        assert.ok(['safe', 'unsafe'].includes(fix.applicability as string));
        assert.equal(typeof fix.message, 'string');
        for (const edit of fix.edits as Record<string, unknown>[]) {
          assert.deepEqual(Object.keys(edit).sort(), ['content', 'end_location', 'location']);
          assert.equal(typeof edit.content, 'string');
          assertPosition(edit.location, 'edit.location');
          assertPosition(edit.end_location, 'edit.end_location');
        }
      }
    }
    const race = (hazards as { code: string; location: unknown; end_location: unknown; fix: { applicability: string } }[]).find(
      (hazard) => hazard.code === 'IL101',
    )!;
    assert.deepEqual(race.location, { row: 10, column: 5 });
    assert.deepEqual(race.end_location, { row: 10, column: 45 });
    assert.equal(race.fix.applicability, 'unsafe');
  });

  test('prints an empty array when nothing is found', async () => {
    const run = await runCli(['check', '--format', 'json'], { cwd: makeProject({ 'ok.py': 'x = 1\n' }) });
    assert.equal(run.stdout, '[]\n');
    assert.equal(run.status, 0);
  });

  test('counts columns in characters, as Ruff does, not UTF-16 units', () => {
    const [hazard] = JSON.parse(formatJson(formatResults()));
    assert.deepEqual(hazard.location, { row: 7, column: 5 });
    assert.deepEqual(hazard.end_location, { row: 7, column: 16 });
    assert.deepEqual(
      hazard.related.map((related: { location: unknown; end_location: unknown; message: string }) => [related.location, related.end_location, related.message]),
      [
        [{ row: 5, column: 14 }, { row: 5, column: 25 }, 'read here'],
        [{ row: 6, column: 5 }, { row: 6, column: 27 }, 'suspends here'],
      ],
    );
    assert.deepEqual(hazard.fix, {
      applicability: 'unsafe',
      message: 'Hold `totals_lock` from the read to the write',
      edits: [
        { content: '\ntotals_lock = asyncio.Lock()', location: { row: 2, column: 18 }, end_location: { row: 2, column: 18 } },
        { content: '    async with totals_lock:\n', location: { row: 5, column: 1 }, end_location: { row: 5, column: 1 } },
      ],
    });
    assert.equal(hazard.filename, FORMAT_FILE);
  });

  test('a hazard without a fix has fix: null', () => {
    const [hazard] = JSON.parse(formatJson(formatResults([formatHazard({ fix: undefined })])));
    assert.equal(hazard.fix, null);
  });
});

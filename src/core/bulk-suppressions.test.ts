import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  fingerprintHazards,
  parseBulkSuppressions,
  prunedSuppressions,
  serializeBulkSuppressions,
  splitBySuppressions,
  suppressionsOf,
  SuppressionsFileError,
} from './bulk-suppressions';
import type { Hazard } from './hazard';

function hazard(line: number, code = 'IL201'): Hazard {
  return { code, name: 'n', severity: 'warning', message: 'm', path: '/p/a.py', range: { start: { line, character: 4 }, end: { line, character: 17 } }, related: [] };
}

const TEXT = ['async def a():', '    time.sleep(1)', '    time.sleep(2)', ''].join('\n');

describe('bulk suppressions', () => {
  test('suppress what was recorded, also after lines moved, and report only what is new', () => {
    const recorded = suppressionsOf(fingerprintHazards([hazard(1), hazard(2)], TEXT));
    const moved = `# a comment\n\n${TEXT}    time.sleep(3)\n`;
    const split = splitBySuppressions(fingerprintHazards([hazard(3), hazard(4), hazard(5)], moved), recorded);
    assert.deepEqual(split.reported.map((one) => one.range.start.line), [5]);
    assert.equal(split.suppressed.length, 2);
    assert.equal(split.unused, 0);
  });

  test('within the count nothing is reported, even when the flagged code was edited', () => {
    const recorded = suppressionsOf(fingerprintHazards([hazard(1)], TEXT));
    const split = splitBySuppressions(fingerprintHazards([hazard(2)], TEXT), recorded);
    assert.deepEqual([split.reported.length, split.suppressed.length], [0, 1]);
  });

  test('other rules of the same file are reported, and recorded findings that are gone are counted as unused', () => {
    const recorded = suppressionsOf(fingerprintHazards([hazard(1), hazard(2)], TEXT));
    const split = splitBySuppressions(fingerprintHazards([hazard(1, 'IL101')], TEXT), recorded);
    assert.deepEqual(split.reported.map((one) => one.code), ['IL101']);
    assert.equal(split.unused, 2);
  });

  test('write sorted JSON that reads back the same, and prune only lowers counts', () => {
    const recorded = suppressionsOf(fingerprintHazards([hazard(2), hazard(1)], TEXT));
    const text = serializeBulkSuppressions(new Map([['b.py', recorded], ['a.py', recorded]]));
    assert.deepEqual(Object.keys((JSON.parse(text) as { files: object }).files), ['a.py', 'b.py']);
    assert.equal(serializeBulkSuppressions(parseBulkSuppressions(text)), text);
    const pruned = prunedSuppressions(recorded, fingerprintHazards([hazard(1), hazard(1, 'IL101')], TEXT));
    assert.deepEqual([...pruned.keys()], ['IL201']);
    assert.equal(pruned.get('IL201')!.count, 1);
  });

  test('a malformed file, another version or a bad entry is an error that says what to do', () => {
    const message = (text: string) => {
      try {
        parseBulkSuppressions(text);
      } catch (error) {
        assert.ok(error instanceof SuppressionsFileError);
        return error.message;
      }
      assert.fail('no error');
    };
    assert.match(message('{"version": 1, "files": {'), /is not valid JSON .*--suppress-all/);
    assert.match(message('{"version": 2, "files": {}}'), /is version 2, and this Interleave reads version 1: upgrade Interleave/);
    assert.match(message('{"files": {}}'), /is version null.*write it anew/);
    assert.match(message('{"version": 1, "files": {"a.py": {"IL201": {"count": -1}}}}'), /bad entry for IL201 in `a\.py`/);
    assert.match(message('[]'), /must hold a JSON object/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareExcerpts } from './code-comparison';

describe('code comparison', () => {
  it('numbers the user code alone when there is no fix', () => {
    assert.deepEqual(compareExcerpts('a\nb', undefined, 7), [
      { before: { number: 7, text: 'a', changed: false } },
      { before: { number: 8, text: 'b', changed: false } },
    ]);
  });

  it('puts a replaced line beside its replacement and added lines on their own rows', () => {
    const before = ['async def pay():', '    time.sleep(1)', '    return 1'].join('\n');
    const after = ['async def pay():', '    await asyncio.sleep(1)', '    log()', '    return 1'].join('\n');
    const rows = compareExcerpts(before, after, 10);
    assert.deepEqual(
      rows.map((row) => [row.before?.number, row.before?.changed, row.after?.number, row.after?.changed]),
      [
        [10, false, 10, false],
        [11, true, 11, true],
        [undefined, undefined, 12, true],
        [12, false, 13, false],
      ],
    );
    assert.equal(rows[1].after?.text, '    await asyncio.sleep(1)');
  });

  it('keeps a statement the fix re-indents beside itself, marked changed', () => {
    const before = ['    n = hits', '    hits = n + 1'].join('\n');
    const after = ['    with lock:', '        n = hits', '        hits = n + 1'].join('\n');
    assert.deepEqual(
      compareExcerpts(before, after, 1).map((row) => [row.before?.text, row.after?.text, row.after?.changed]),
      [
        [undefined, '    with lock:', true],
        ['    n = hits', '        n = hits', true],
        ['    hits = n + 1', '        hits = n + 1', true],
      ],
    );
  });
});

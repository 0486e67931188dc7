import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedRegion } from './text-edits';

describe('the region an edit changed', () => {
  it('finds the region between the common prefix and suffix', () => {
    assert.deepEqual(changedRegion('abcdef', 'abXYef'), { start: 2, oldEnd: 4, newEnd: 4 });
    assert.deepEqual(changedRegion('abc', 'abxc'), { start: 2, oldEnd: 2, newEnd: 3 });
    assert.deepEqual(changedRegion('same', 'same'), { start: 4, oldEnd: 4, newEnd: 4 });
  });
});

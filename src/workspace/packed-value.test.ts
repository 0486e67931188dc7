import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pack, StringPool, unpack } from './packed-value';

describe('packed values', () => {
  test('come back equal, with undefined properties, Maps and Sets', () => {
    const value = { name: 'app.routes', missing: undefined, byCode: new Map([['IL101', [1, 2]]]), lines: new Set([3, 4]) };
    const back = unpack(pack(value));
    assert.deepEqual(back, value);
    assert.ok(Object.hasOwn(back, 'missing'));
  });

  test('keep an object shared within the value shared', () => {
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } };
    const back = unpack(pack({ read: { range }, write: { range } }));
    assert.equal(back.read.range, back.write.range);
  });

  test('own exactly their bytes, so that a message to another thread carries no more', () => {
    const bytes = pack({ name: 'app.routes' });
    assert.equal(bytes.buffer.byteLength, bytes.byteLength);
  });

  test('take less room than the value serialised plainly when it repeats itself', () => {
    const events = Array.from({ length: 500 }, (_, id) => ({ kind: 'call', id, callee: 'sqlalchemy.orm.Session.execute', usage: 'awaited' }));
    assert.ok(pack(events).byteLength < JSON.stringify(events).length / 5);
  });
});

describe('a string pool', () => {
  test('leaves values equal, in place', () => {
    const value = { functions: [{ name: 'app.send', calls: ['app.send', 'httpx.get'] }], imports: { send: 'app.send' } };
    const copy = structuredClone(value);
    assert.equal(new StringPool().share(copy), copy);
    assert.deepEqual(copy, value);
  });

  test('walks arrays and plain objects only, and leaves Maps, Sets and class instances as they are', () => {
    const byCode = new Map([['IL101', { callee: 'time.sleep' }]]);
    const lines = new Set(['a']);
    const when = new Date(0);
    const value = unpack(pack({ summaries: [{ byCode, lines, when }] }));
    new StringPool().share(value);
    assert.deepEqual(value, { summaries: [{ byCode, lines, when }] });
  });
});

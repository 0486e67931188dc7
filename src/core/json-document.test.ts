import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonSyntaxError, parseJsonDocument, plainJson } from './json-document';

describe('JSON documents', () => {
  it('parse like JSON.parse and keep the line of each key', () => {
    const text = '{\n  "a": [1, -2.5e3, true, null],\n  "b": { "c": "\\u00e9\\n" }\n}';
    const document = parseJsonDocument(text);
    assert.deepEqual(plainJson(document), JSON.parse(text));
    assert.deepEqual(document.kind === 'object' ? document.members.map((member) => [member.key, member.line]) : [], [['a', 2], ['b', 3]]);
  });

  it('say on which line they stop making sense', () => {
    assert.throws(() => parseJsonDocument('{\n  "a": 1,\n}'), (error: unknown) => error instanceof JsonSyntaxError && error.line === 3);
    assert.throws(() => parseJsonDocument('{ "a": 1 } x'), JsonSyntaxError);
  });
});

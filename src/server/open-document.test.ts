import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPythonParser } from '../python/parser';
import { analyzePython } from '../python/frontend';
import { DocumentParsers } from './document-parser';
import { OpenDocument } from './open-document';

const at = (line: number, character: number) => ({ line, character });

describe('an open document', () => {
  test('re-parses incrementally, from the edits it records, to the same facts as a fresh parse, across non-ASCII text and line breaks', async () => {
    await loadPythonParser();
    const parsers = new DocumentParsers();
    const document = new OpenDocument('file:///a.py', 'python', 1, 'GREETING = "héllo 👋"\nasync def h():\n    return GREETING\n');
    parsers.parse(document.uri, '/a.py', 'a', document.text, document.takeEdits());
    const edits = [
      { range: { start: at(0, 20), end: at(0, 20) }, text: ' 🚀' },
      { range: { start: at(1, 14), end: at(2, 19) }, text: '\n    x = GREETING\n    await f()\n    GREETING = x' },
      { range: { start: at(0, 0), end: at(0, 0) }, text: 'import asyncio\r\n' },
    ];
    let version = 1;
    for (const edit of edits) {
      document.applyChanges([edit], ++version);
      const pending = document.takeEdits();
      assert.equal(pending === 'full' ? 0 : pending.length, 1);
      const incremental = parsers.parse(document.uri, '/a.py', 'a', document.text, pending);
      const fresh = analyzePython(document.text, '/a.py', 'a');
      assert.deepEqual(incremental.facts, fresh.facts, document.text);
    }
    assert.equal(document.version, 4);
    assert.equal(document.text, 'import asyncio\r\nGREETING = "héllo 👋 🚀"\nasync def h():\n    x = GREETING\n    await f()\n    GREETING = x\n');
    parsers.drop(document.uri);
  });

  test('takes a full replacement and starts the next parse afresh', async () => {
    await loadPythonParser();
    const parsers = new DocumentParsers();
    const document = new OpenDocument('file:///a.py', 'python', 1, 'x = 1\n');
    parsers.parse(document.uri, '/a.py', 'a', document.text, document.takeEdits());
    document.applyChanges([{ text: 'def f(:\n' }], 2);
    assert.equal(document.takeEdits(), 'full');
    assert.ok(parsers.parse(document.uri, '/a.py', 'a', document.text, 'full').facts.syntaxErrors.length > 0);
    parsers.drop(document.uri);
  });
});

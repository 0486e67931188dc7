import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { disableForLineAction, explainAction, fixAction, kindRequested, workspaceEdit } from './code-actions';

const at = (line: number, character: number) => ({ line, character });
const range = (line: number, from: number, to: number) => ({ start: at(line, from), end: at(line, to) });

const diagnostic: Diagnostic = { range: range(2, 4, 10), message: 'm', code: 'IL101', source: 'interleave' };
const target = { uri: 'file:///app/main.py', version: 4, versionedEdits: true };

describe('quick fixes', () => {
  test('title the fix after the rule, prefer it only when it is safe, and edit the version they were computed for', () => {
    const edits = [{ range: range(2, 4, 4), newText: 'await ' }];
    const safe = fixAction(diagnostic, { applicability: 'safe', message: 'Await `notify(…)`', edits }, target);
    assert.equal(safe.title, 'Interleave (IL101): Await `notify(…)`');
    assert.equal(safe.kind, 'quickfix');
    assert.equal(safe.isPreferred, true);
    assert.deepEqual(safe.edit, { documentChanges: [{ textDocument: { uri: target.uri, version: 4 }, edits }] });
    assert.equal(fixAction(diagnostic, { applicability: 'unsafe', message: 'x', edits }, target).isPreferred, false);
    assert.deepEqual(workspaceEdit({ ...target, versionedEdits: false }, edits), { changes: { [target.uri]: edits } });
  });

  test('explain runs the client command with a reference to the finding', () => {
    assert.deepEqual(explainAction(diagnostic, target.uri).command, {
      title: 'Explain IL101',
      command: 'interleave.explain',
      arguments: [{ uri: target.uri, range: diagnostic.range, code: 'IL101' }],
    });
  });

  test('are named for the rule they disable', () => {
    assert.equal(disableForLineAction(diagnostic, { language: 'python', text: 'a\nb\nc = 1\n', comments: [] }, target).title, 'Disable IL101 for this line');
  });
});

describe('fix-all action', () => {
  test('is offered for `source`, `source.fixAll` and its own kind, not for quick fixes', () => {
    const kind = 'source.fixAll.interleave';
    assert.ok(kindRequested(['source'], kind) && kindRequested(['source.fixAll'], kind) && kindRequested([kind], kind));
    assert.ok(!kindRequested(['quickfix'], kind) && !kindRequested(['source.organizeImports'], kind));
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Comment } from '../core/facts';
import type { Hazard } from '../core/hazard';
import {
  applySafeFixes,
  disableForLineAction,
  explainAction,
  fixAction,
  kindRequested,
  replacementEdit,
  suppressFileEdit,
  suppressLineEdit,
  workspaceEdit,
  type FixPassAnalysis,
} from './code-actions';

const at = (line: number, character: number) => ({ line, character });
const range = (line: number, from: number, to: number) => ({ start: at(line, from), end: at(line, to) });

/** Comments found the way the frontend reports them: `#` to the end of the line, outside strings (none here). */
function commentsOf(text: string): Comment[] {
  return text.split('\n').flatMap((line, index) => {
    const start = line.indexOf('#');
    return start < 0 ? [] : [{ range: range(index, start, line.length), text: line.slice(start) }];
  });
}

function applied(text: string, edit: { range: ReturnType<typeof range>; newText: string }): string {
  return TextDocument.applyEdits(TextDocument.create('file:///t.py', 'python', 1, text), [edit]);
}

function suppressLine(text: string, line: number, code = 'IL101'): string {
  return applied(text, suppressLineEdit({ text, comments: commentsOf(text) }, code, line));
}

function suppressFile(text: string, code = 'IL101'): string {
  return applied(text, suppressFileEdit({ text, comments: commentsOf(text) }, code));
}

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
    assert.equal(disableForLineAction(diagnostic, { text: 'a\nb\nc = 1\n', comments: [] }, target).title, 'Disable IL101 for this line');
  });
});

describe('suppression comments', () => {
  test('go at the end of the line', () => {
    assert.equal(suppressLine('x = 1\ny = x + 1   \n', 1), 'x = 1\ny = x + 1  # interleave: ignore[IL101]\n');
  });

  test('extend a directive that already covers the line, trailing or above', () => {
    assert.equal(suppressLine('y = x  # interleave: ignore[IL102]\n', 0), 'y = x  # interleave: ignore[IL102, IL101]\n');
    assert.equal(suppressLine('    # interleave: ignore[IL102] -- why\n    y = x\n', 1), '    # interleave: ignore[IL102, IL101] -- why\n    y = x\n');
  });

  test('go on their own line above when the line has another comment or continues with a backslash', () => {
    assert.equal(suppressLine('def f():\n    y = x  # noqa: E501\n', 1), 'def f():\n    # interleave: ignore[IL101]\n    y = x  # noqa: E501\n');
    assert.equal(suppressLine('y = 1 + \\\n    2\n', 0), '# interleave: ignore[IL101]\ny = 1 + \\\n    2\n');
    assert.equal(suppressLine('a = 1\r\nb = 2  # keep\r\n', 1), 'a = 1\r\n# interleave: ignore[IL101]\r\nb = 2  # keep\r\n');
  });

  test('for the file go at the top, below a shebang and an encoding declaration', () => {
    assert.equal(suppressFile('import asyncio\n'), '# interleave: ignore-file[IL101]\nimport asyncio\n');
    assert.equal(
      suppressFile('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport asyncio\n'),
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# interleave: ignore-file[IL101]\nimport asyncio\n',
    );
    assert.equal(suppressFile('#!/usr/bin/env python'), '#!/usr/bin/env python\n# interleave: ignore-file[IL101]\n');
    assert.equal(suppressFile('# interleave: ignore-file[IL103]\nx = 1\n'), '# interleave: ignore-file[IL103, IL101]\nx = 1\n');
  });
});

describe('fix-all', () => {
  /** A toy analysis: each bare `call()` statement is a finding with a safe fix that awaits it; `race` lines have an unsafe fix. */
  function analyse(text: string): FixPassAnalysis {
    const hazards: Hazard[] = [];
    text.split('\n').forEach((line, index) => {
      const bare = /^(\s*)(call\(\))/.exec(line);
      if (bare) {
        const start = at(index, bare[1]!.length);
        hazards.push(hazardAt(index, { applicability: 'safe', message: 'Await', edits: [{ range: { start, end: start }, newText: 'await ' }] }));
      }
      if (line.includes('race')) {
        hazards.push(hazardAt(index, { applicability: 'unsafe', message: 'Lock', edits: [{ range: range(index, 0, 0), newText: 'LOCKED ' }] }));
      }
    });
    return { hazards, syntaxErrors: text.includes('BROKEN') ? 1 : 0 };
  }

  function hazardAt(line: number, fix: Hazard['fix']): Hazard {
    return { code: 'IL403', name: 'n', severity: 'warning', message: 'm', path: '/t.py', range: range(line, 0, 1), related: [], fix };
  }

  test('applies every safe fix and no unsafe one, and a second run changes nothing', () => {
    const text = '    call()\nrace = 1\n    call()\n';
    const fixed = applySafeFixes(text, analyse);
    assert.equal(fixed, '    await call()\nrace = 1\n    await call()\n');
    assert.equal(applySafeFixes(fixed, analyse), fixed);
  });

  test('defers fixes whose edits touch to a later pass, so none is applied twice', () => {
    const touching = (text: string): FixPassAnalysis => ({
      hazards: text.startsWith('x') ? [] : [hazardAt(0, { applicability: 'safe', message: 'a', edits: [{ range: range(0, 0, 0), newText: 'x' }] }), hazardAt(0, { applicability: 'safe', message: 'b', edits: [{ range: range(0, 0, 0), newText: 'x' }] })],
      syntaxErrors: 0,
    });
    assert.equal(applySafeFixes('y\n', touching), 'xy\n');
  });

  test('drops a pass that would break the syntax', () => {
    const breaking = (text: string): FixPassAnalysis => ({
      hazards: [hazardAt(0, { applicability: 'safe', message: 'a', edits: [{ range: range(0, 0, 0), newText: 'BROKEN ' }] })],
      syntaxErrors: text.includes('BROKEN') ? 1 : 0,
    });
    assert.equal(applySafeFixes('y\n', breaking), 'y\n');
  });

  test('sends one edit covering only what changed', () => {
    assert.deepEqual(replacementEdit('a\n    call()\nb\n', 'a\n    await call()\nb\n'), { range: range(1, 4, 4), newText: 'await ' });
    assert.equal(replacementEdit('same', 'same'), undefined);
    assert.deepEqual(replacementEdit('a\r\nb', 'a\r\nc\r\nb'), { range: range(1, 0, 0), newText: 'c\r\n' });
  });

  test('is offered for `source`, `source.fixAll` and its own kind, not for quick fixes', () => {
    const kind = 'source.fixAll.interleave';
    assert.ok(kindRequested(['source'], kind) && kindRequested(['source.fixAll'], kind) && kindRequested([kind], kind));
    assert.ok(!kindRequested(['quickfix'], kind) && !kindRequested(['source.organizeImports'], kind));
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeLensesOf, contextHoverAt, contextsMarkdown } from './context-lens';
import type { CodeContexts } from './protocol';

const RANGE = { start: { line: 4, character: 10 }, end: { line: 4, character: 19 } };

/** Where a handler runs, as the server would answer, with text a user could have written anywhere in it. */
function handler(label: string): CodeContexts {
  return {
    kind: 'function',
    subject: '`dash_board`',
    uri: 'file:///work/my%20app/main.py',
    anchor: { start: { line: 3, character: 0 }, end: { line: 3, character: 20 } },
    range: RANGE,
    lines: [`per request · event loop · ${label}`],
    contexts: [
      {
        kind: 'request-loop',
        line: `per request · event loop · ${label}`,
        chain: [
          { label, uri: 'file:///work/my%20app/main.py', range: RANGE },
          { label: 'load()', caller: 'dash_board', uri: 'file:///work/lib(1)/load.py', range: { start: { line: 9, character: 4 }, end: { line: 9, character: 10 } } },
        ],
      },
    ],
  };
}

describe('the lens and its hover', () => {
  test('one lens per line above the code, each opening the explainer on it, the chain in its tooltip', () => {
    const [lens, ...more] = codeLensesOf([handler('GET /dashboard')]);
    assert.equal(more.length, 0);
    assert.deepEqual(lens, {
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 20 } },
      command: {
        title: 'per request · event loop · GET /dashboard',
        command: 'interleave.whereDoesThisRun',
        arguments: [{ uri: 'file:///work/my%20app/main.py', position: RANGE.start }],
        tooltip: 'per request · event loop · GET /dashboard: GET /dashboard → load()\nClick to see where this runs in the explainer.',
      },
    });
  });

  test('the hover links every step of the chain, keeps links whole and shows user text as text', () => {
    const markdown = contextsMarkdown(handler('POST /x [y](command:evil) *z*'), true);
    assert.match(markdown, /^\*\*Where `dash_board` runs\*\* · Interleave\n\n- per request · event loop · POST \/x \\\[y\\\]\(command:evil\) \\\*z\\\* {2}\n {2}\[POST/);
    assert.ok(markdown.includes('](file:///work/my%20app/main.py#L5) → [`load()`](file:///work/lib%281%29/load.py#L10)'), markdown);
    assert.ok(!/[^\\]\]\(command:evil\)/.test(markdown), 'no link the user wrote');
    assert.match(markdown, /\[Show in the explainer\]\(command:interleave\.whereDoesThisRun\?%5B%7B%22uri/);
    assert.ok(!contextsMarkdown(handler('GET /'), false).includes('command:'), 'no command link where commands cannot run');
  });

  test('answers a hover only on the name of lensed code', () => {
    const code = handler('GET /');
    assert.equal(contextHoverAt([code], { line: 4, character: 12 }, true)?.range, RANGE);
    assert.equal(contextHoverAt([code], { line: 5, character: 12 }, true), undefined);
  });
});

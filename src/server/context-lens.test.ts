import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contextModelOf } from '../core/contexts';
import { checkModule, projectFacts, summarizeModule } from '../core/engine';
import { resolveConfig } from '../core/config';
import { RULES } from '../rules';
import { loadFrontends, parseSource } from '../workspace/analyze';
import { codeLensesOf, contextHoverAt, contextsMarkdown, lensContexts } from './context-lens';
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

  test('reads the model the rules built for the same analysis, and works out one analysis’s lenses once per setting', async () => {
    await loadFrontends();
    const parsed = parseSource('/project/app/main.py', 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/")\nasync def root():\n    return 1\n', 'app.main')!;
    const project = projectFacts([summarizeModule(parsed, RULES)]);
    checkModule(parsed, { rules: RULES, config: resolveConfig([], RULES.map((rule) => rule.meta)), project });
    const built = contextModelOf(project, parsed.facts);
    const analysed = { module: parsed.facts, project, uri: 'file:///project/app/main.py' };
    const lenses = lensContexts(analysed, 'handlers');
    assert.deepEqual(lenses.map((code) => code.lines), [['per request · event loop · GET /']]);
    assert.equal(lensContexts(analysed, 'handlers'), lenses, 'a hover after the lens request reuses its answer');
    assert.equal(contextModelOf(project, parsed.facts), built, 'no second model');
    assert.deepEqual(lensContexts(analysed, 'off'), []);
  });
});

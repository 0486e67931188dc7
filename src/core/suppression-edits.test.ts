import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../rules';
import { analyzeTypeScript } from '../typescript/frontend';
import type { Comment, Range } from './facts';
import { suppressFileEdit, suppressLineEdit } from './suppression-edits';
import { applyTextEdits } from './text-edits';

const RULE_METAS = RULES.map((rule) => rule.meta);
const range = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });

/** Comments found the way the Python frontend reports them: `#` to the end of the line, outside strings (none here). */
function pythonComments(text: string): Comment[] {
  return text.split('\n').flatMap((line, index) => {
    const start = line.indexOf('#');
    return start < 0 ? [] : [{ range: range(index, start, line.length), text: line.slice(start) }];
  });
}

function suppressPythonLine(text: string, line: number, code = 'IL101'): string {
  return applyTextEdits(text, [suppressLineEdit({ language: 'python', text, comments: pythonComments(text) }, code, line, RULE_METAS)]);
}

function suppressPythonFile(text: string, code = 'IL101'): string {
  return applyTextEdits(text, [suppressFileEdit({ language: 'python', text, comments: pythonComments(text) }, code, RULE_METAS)]);
}

/** TypeScript comments as the TypeScript frontend finds them. */
function typeScriptDocument(text: string) {
  return { language: 'typescript' as const, text, comments: analyzeTypeScript(text, '/t.ts', 't').facts.comments };
}

function suppressTypeScriptLine(text: string, line: number, code = 'IL101'): string {
  return applyTextEdits(text, [suppressLineEdit(typeScriptDocument(text), code, line, RULE_METAS)]);
}

function suppressTypeScriptFile(text: string, code = 'IL101'): string {
  return applyTextEdits(text, [suppressFileEdit(typeScriptDocument(text), code, RULE_METAS)]);
}

describe('Python suppression comments', () => {
  test('go at the end of the line', () => {
    assert.equal(suppressPythonLine('x = 1\ny = x + 1   \n', 1), 'x = 1\ny = x + 1  # interleave: ignore[IL101]\n');
  });

  test('extend a directive that already covers the line, trailing or above', () => {
    assert.equal(suppressPythonLine('y = x  # interleave: ignore[IL102]\n', 0), 'y = x  # interleave: ignore[IL102, IL101]\n');
    assert.equal(suppressPythonLine('    # interleave: ignore[IL102] -- why\n    y = x\n', 1), '    # interleave: ignore[IL102, IL101] -- why\n    y = x\n');
  });

  test('go on their own line above when the line has another comment or continues with a backslash', () => {
    assert.equal(suppressPythonLine('def f():\n    y = x  # noqa: E501\n', 1), 'def f():\n    # interleave: ignore[IL101]\n    y = x  # noqa: E501\n');
    assert.equal(suppressPythonLine('y = 1 + \\\n    2\n', 0), '# interleave: ignore[IL101]\ny = 1 + \\\n    2\n');
    assert.equal(suppressPythonLine('a = 1\r\nb = 2  # keep\r\n', 1), 'a = 1\r\n# interleave: ignore[IL101]\r\nb = 2  # keep\r\n');
  });

  test('for the file go at the top, below a shebang and an encoding declaration', () => {
    assert.equal(suppressPythonFile('import asyncio\n'), '# interleave: ignore-file[IL101]\nimport asyncio\n');
    assert.equal(
      suppressPythonFile('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport asyncio\n'),
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# interleave: ignore-file[IL101]\nimport asyncio\n',
    );
    assert.equal(suppressPythonFile('#!/usr/bin/env python'), '#!/usr/bin/env python\n# interleave: ignore-file[IL101]\n');
    assert.equal(suppressPythonFile('# interleave: ignore-file[IL103]\nx = 1\n'), '# interleave: ignore-file[IL103, IL101]\nx = 1\n');
  });
});

describe('TypeScript suppression comments', () => {
  test('are line comments at the end of the line', () => {
    assert.equal(suppressTypeScriptLine('let x = 1;\nx = x + 1;  \n', 1), 'let x = 1;\nx = x + 1; // interleave-ignore IL101\n');
  });

  test('extend a directive that already covers the line, in either spelling', () => {
    assert.equal(suppressTypeScriptLine('x = y; // interleave-ignore IL102 -- why\n', 0), 'x = y; // interleave-ignore IL102, IL101 -- why\n');
    assert.equal(suppressTypeScriptLine('  // interleave: ignore[IL102]\n  x = y;\n', 1), '  // interleave: ignore[IL102, IL101]\n  x = y;\n');
  });

  test('go on their own line above when the line has another comment', () => {
    assert.equal(
      suppressTypeScriptLine('function f() {\n  x = y; // eslint-disable-line\n}\n', 1),
      'function f() {\n  // interleave-ignore IL101\n  x = y; // eslint-disable-line\n}\n',
    );
  });

  test('for the file go at the top, below a shebang, or extend the file directive', () => {
    assert.equal(suppressTypeScriptFile('import x from "y";\n'), '// interleave-ignore-file IL101\nimport x from "y";\n');
    assert.equal(suppressTypeScriptFile('#!/usr/bin/env node\nrun();\n'), '#!/usr/bin/env node\n// interleave-ignore-file IL101\nrun();\n');
    assert.equal(suppressTypeScriptFile('// interleave-ignore-file IL103\nrun();\n'), '// interleave-ignore-file IL103, IL101\nrun();\n');
  });
});

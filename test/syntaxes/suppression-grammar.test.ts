/**
 * The injection grammar's directive pattern, run as a JavaScript RegExp (it uses nothing Oniguruma
 * reads differently): it must highlight exactly the comments the engine honours, with the rule
 * names and the reason in their own captures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseSuppressions } from '../../src/core/suppression';
import { RULES } from '../../src/rules';

interface Grammar {
  repository: { directive: { match: string }; rule: { match: string } };
}

const grammar = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../syntaxes/suppression.injection.tmLanguage.json'), 'utf8'),
) as Grammar;
const directive = new RegExp(grammar.repository.directive.match);
const rule = new RegExp(grammar.repository.rule.match, 'g');
const metas = RULES.map((entry) => entry.meta);

function highlighted(comment: string): { kind: string; rules: string[]; reason?: string } | undefined {
  const match = directive.exec(comment);
  if (!match) return undefined;
  const names = match[5] ?? match[7] ?? '';
  return { kind: match[3], rules: names.match(rule) ?? [], ...(match[9] ? { reason: match[9] } : {}) };
}

function honoured(comment: string): boolean {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: comment.length } };
  return parseSuppressions([{ range, text: comment }], [comment, 'x = 1'], metas).length > 0;
}

describe('suppression comment grammar', () => {
  const cases: [string, { kind: string; rules: string[]; reason?: string }][] = [
    ['# interleave: ignore[IL101]', { kind: 'ignore', rules: ['IL101'] }],
    ['# interleave: ignore[IL101, await-race] -- single consumer task', { kind: 'ignore', rules: ['IL101', 'await-race'], reason: 'single consumer task' }],
    ['# interleave: ignore-file[IL103]', { kind: 'ignore-file', rules: ['IL103'] }],
    ['# interleave: ignore', { kind: 'ignore', rules: [] }],
    ['// interleave-ignore IL101 -- reason', { kind: 'ignore', rules: ['IL101'], reason: 'reason' }],
    ['// interleave-ignore-file IL103', { kind: 'ignore-file', rules: ['IL103'] }],
    ['/* interleave-ignore IL401 */', { kind: 'ignore', rules: ['IL401'] }],
  ];
  for (const [comment, expected] of cases) {
    it(`highlights ${comment}, which the engine honours`, () => {
      assert.deepEqual(highlighted(comment), expected);
      assert.ok(honoured(comment));
    });
  }

  it('leaves other comments alone', () => {
    for (const comment of ['# interleaved requests', '# ignore this', '// interleave the two loops']) {
      assert.equal(highlighted(comment), undefined, comment);
      assert.equal(honoured(comment), false, comment);
    }
  });
});

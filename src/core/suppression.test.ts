import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Comment } from './facts';
import { parseSuppressions } from './suppression';
import { RULES } from '../rules';

const metas = RULES.map((rule) => rule.meta);

/** Comments found on each line of `lines`, as a frontend would report them. */
function commentsOf(lines: string[]): Comment[] {
  return lines.flatMap((text, line) => {
    const at = text.search(/#|\/\//);
    return at < 0 ? [] : [{ text: text.slice(at), range: { start: { line, character: at }, end: { line, character: text.length } } }];
  });
}

function parse(...lines: string[]) {
  return parseSuppressions(commentsOf(lines), lines, metas).map(({ scope, codes, line, reason, unknown }) => ({ scope, codes, line, reason, unknown }));
}

describe('suppression comments', () => {
  it('covers its own line when it trails code, by code or by name, with a reason', () => {
    assert.deepEqual(parse('x = 1  # interleave: ignore[IL101, await-check-then-act] -- guarded upstream'), [
      { scope: 'line', codes: ['IL101', 'IL104'], line: 0, reason: 'guarded upstream', unknown: [] },
    ]);
  });

  it('covers the next code line when it stands alone, skipping stacked comments', () => {
    assert.deepEqual(
      parse('# interleave: ignore[IL101]', '# interleave: ignore[IL104]', 'x = 1').map((s) => s.line),
      [2, 2],
    );
  });

  it('suppresses every rule without a list, and whole files with ignore-file', () => {
    assert.deepEqual(parse('x = 1  # interleave: ignore', '# interleave: ignore-file[per-process-state]'), [
      { scope: 'line', codes: [], line: 0, reason: undefined, unknown: [] },
      { scope: 'file', codes: ['IL103'], line: -1, reason: undefined, unknown: [] },
    ]);
  });

  it('accepts the TypeScript spelling', () => {
    assert.deepEqual(parse('x++ // interleave-ignore IL101 -- single consumer'), [
      { scope: 'line', codes: ['IL101'], line: 0, reason: 'single consumer', unknown: [] },
    ]);
  });

  it('ignores a directive whose rules all are unknown, rather than suppressing everything', () => {
    assert.deepEqual(parse('x = 1  # interleave: ignore[IL999]'), []);
  });

  it('ignores comments that merely mention interleave', () => {
    assert.deepEqual(parse('x = 1  # interleave the two lists', '# see interleave docs'), []);
  });
});

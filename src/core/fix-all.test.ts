import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applySafeFixes, replacementEdit, type FixPassAnalysis } from './fix-all';
import type { Hazard } from './hazard';

const at = (line: number, character: number) => ({ line, character });
const range = (line: number, from: number, to: number) => ({ start: at(line, from), end: at(line, to) });

function hazardAt(line: number, fix: Hazard['fix']): Hazard {
  return { code: 'IL403', name: 'n', severity: 'warning', message: 'm', path: '/t.py', range: range(line, 0, 1), related: [], fix };
}

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

describe('fix-all', () => {
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
});

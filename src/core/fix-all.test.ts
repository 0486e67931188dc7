import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyFixes, applySafeFixes, replacementEdit, type FixPassAnalysis } from './fix-all';
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
    if (line.includes('race') && !line.startsWith('LOCKED')) {
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

  test('with unsafe fixes, applies those too, and lists every applied fix in order', () => {
    const outcome = applyFixes('    call()\nrace = 1\n', analyse, { unsafe: true });
    assert.equal(outcome.text, '    await call()\nLOCKED race = 1\n');
    assert.deepEqual(outcome.applied.map((hazard) => hazard.fix!.message), ['Await', 'Lock']);
    assert.deepEqual(outcome.rejected, []);
    assert.equal(outcome.exhausted, false);
  });

  test('keeps the fixes that parse when one in the same round breaks the text, and names the one that broke it', () => {
    const mixed = (text: string): FixPassAnalysis => {
      const hazards = [...analyse(text).hazards];
      if (!text.startsWith('BROKEN')) hazards.push(hazardAt(0, { applicability: 'safe', message: 'Break', edits: [{ range: range(0, 0, 0), newText: 'BROKEN ' }] }));
      return { hazards, syntaxErrors: text.includes('BROKEN') ? 1 : 0 };
    };
    const outcome = applyFixes('x\n    call()\n', mixed, { unsafe: false });
    assert.equal(outcome.text, 'x\n    await call()\n');
    assert.deepEqual(outcome.rejected.map((hazard) => hazard.fix!.message), ['Break']);
  });

  test('stops after the last round even when fixes keep coming, and says so', () => {
    const endless = (text: string): FixPassAnalysis => ({
      hazards: [hazardAt(0, { applicability: 'safe', message: 'grow', edits: [{ range: range(0, 0, 0), newText: 'x' }] })],
      syntaxErrors: text.length < 0 ? 1 : 0,
    });
    const outcome = applyFixes('\n', endless, { unsafe: false, maxRounds: 3 });
    assert.equal(outcome.text, 'xxx\n');
    assert.equal(outcome.exhausted, true);
  });

  test('sends one edit covering only what changed', () => {
    assert.deepEqual(replacementEdit('a\n    call()\nb\n', 'a\n    await call()\nb\n'), { range: range(1, 4, 4), newText: 'await ' });
    assert.equal(replacementEdit('same', 'same'), undefined);
    assert.deepEqual(replacementEdit('a\r\nb', 'a\r\nc\r\nb'), { range: range(1, 0, 0), newText: 'c\r\n' });
  });
});

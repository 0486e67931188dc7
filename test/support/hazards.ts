import type { Hazard } from '../../src/core/hazard';
import type { CheckResults } from '../../src/cli/check-results';
import { SourceLines } from '../../src/cli/source-lines';
import { RULES } from '../../src/rules';

export const FORMAT_ROOT = '/project';
export const FORMAT_FILE = '/project/app/main.py';

/** A module whose hazard sits after an emoji, so UTF-16 and character columns differ. */
export const FORMAT_SOURCE = [
  'import asyncio',
  'TOTALS = {"🍕": 0}',
  '',
  'async def order():',
  '    before = TOTALS["🍕"]',
  '    await asyncio.sleep(0)',
  '    TOTALS["🍕"] = before + 1',
  '',
].join('\n');

/** A hand-made hazard with related locations and a fix, independent of what the rules report. */
export function formatHazard(overrides: Partial<Hazard> = {}): Hazard {
  return {
    code: 'IL101',
    name: 'await-race',
    severity: 'warning',
    message: 'TOTALS["🍕"] is read at line 5, the coroutine yields at line 6, and line 7 writes from the stale read.',
    path: FORMAT_FILE,
    // `TOTALS["🍕"]` on line 7: the emoji is two UTF-16 units, one character.
    range: { start: { line: 6, character: 4 }, end: { line: 6, character: 16 } },
    related: [
      { path: FORMAT_FILE, range: { start: { line: 4, character: 13 }, end: { line: 4, character: 25 } }, message: 'read here' },
      { path: FORMAT_FILE, range: { start: { line: 5, character: 4 }, end: { line: 5, character: 26 } }, message: 'suspends here' },
    ],
    fix: {
      applicability: 'unsafe',
      message: 'Hold `totals_lock` from the read to the write',
      edits: [
        { range: { start: { line: 1, character: 18 }, end: { line: 1, character: 18 } }, newText: '\ntotals_lock = asyncio.Lock()' },
        { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: '    async with totals_lock:\n' },
      ],
    },
    ...overrides,
  };
}

export function formatResults(hazards: Hazard[] = [formatHazard()], source: string = FORMAT_SOURCE): CheckResults {
  const rules = RULES.map((rule) => rule.meta);
  return {
    hazards,
    notAnalysed: [],
    lines: new SourceLines(new Map([[FORMAT_FILE, source]])),
    rules,
    severity: new Map(rules.map((meta) => [meta.code, meta.defaultSeverity])),
    cwd: FORMAT_ROOT,
  };
}

/**
 * Expected fixes, beside the fixtures: `<fixture>.fixes` holds, for every fix the fixture's findings
 * offer, the rule, the line, the fix's title and the unified diff it makes. A fixture whose findings
 * offer no fix has no such file. `UPDATE_FIX_SNAPSHOTS=1` rewrites them from what the rules do now;
 * read the diff of the result before committing it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { structuredPatch } from 'diff';
import type { Hazard } from '../../src/core/hazard';
import { applyTextEdits } from '../../src/core/text-edits';

export const FIX_SNAPSHOT_EXTENSION = '.fixes';

/** The hunks that turn `before` into `after`, two lines of context, without file headers. */
function hunks(before: string, after: string): string {
  const patch = structuredPatch('', '', before, after, undefined, undefined, { context: 2 });
  return patch.hunks.map((hunk) => [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines].join('\n')).join('\n');
}

/** One fixture file's fixes, each applied alone to the fixture's text; `label` names the file in a multi-file case. */
export function describeFixes(text: string, hazards: readonly Hazard[], label?: string): string[] {
  return hazards
    .filter((hazard) => hazard.fix)
    .map((hazard) => {
      const fix = hazard.fix!;
      const where = `${label === undefined ? '' : `${label}:`}${hazard.range.start.line + 1}`;
      return `## ${hazard.code} at ${where} (${fix.applicability}): ${fix.message}\n${hunks(text, applyTextEdits(text, fix.edits))}\n`;
    });
}

export interface FixSnapshot {
  actual: string;
  expected: string | undefined;
}

/** Compares (or, with UPDATE_FIX_SNAPSHOTS=1, rewrites) the snapshot of a fixture's fixes. */
export function fixSnapshot(path: string, sections: readonly string[]): FixSnapshot {
  const actual = sections.join('\n');
  if (process.env.UPDATE_FIX_SNAPSHOTS === '1') {
    if (actual === '') rmSync(path, { force: true });
    else writeFileSync(path, actual);
  }
  return { actual, expected: existsSync(path) ? readFileSync(path, 'utf8') : undefined };
}

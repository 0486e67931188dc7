/**
 * `check --suppress-all` and `--prune-suppressions`, and every run's reading of
 * `interleave-suppressions.json`: findings within it are not reported, those beyond it are.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  fingerprintHazards,
  prunedSuppressions,
  splitBySuppressions,
  suppressionsOf,
  type BulkSuppressions,
  type FingerprintedHazard,
} from '../core/bulk-suppressions';
import type { Hazard } from '../core/hazard';
import type { FileOutcome } from '../workspace/file-analysis';
import { readBulkSuppressions, suppressionKey, writeBulkSuppressions } from '../workspace/suppressions-file';
import { displayPath } from './check-results';
import type { CliIO } from './cli-io';
import type { OptionSpec } from './command-line';

export const SUPPRESSION_OPTIONS = {
  'suppress-all': { type: 'boolean', description: 'Record every finding in interleave-suppressions.json; later runs report only new ones' },
  'prune-suppressions': { type: 'boolean', description: 'Drop what interleave-suppressions.json records but no longer occurs' },
  'add-ignore': { type: 'boolean', description: 'Add a suppression comment (`# interleave: ignore[…]`) for every finding, on its line' },
} as const satisfies Record<string, OptionSpec>;

export interface BulkSuppressionResult {
  /** What is left to report, in the order given. */
  reported: Hazard[];
  suppressed: number;
}

/** Whether a file's findings are known: it was neither skipped nor left unanalysed (then what it records stays as it is). */
function analysed(outcome: FileOutcome): boolean {
  return outcome.skipped === undefined && outcome.notAnalysed === undefined;
}

/** The findings of each analysed file, with fingerprints; files that were skipped or not analysed are not in it. */
function checkedFindings(outcomes: readonly FileOutcome[], file: string): Map<string, FingerprintedHazard[]> {
  const byKey = new Map<string, FingerprintedHazard[]>();
  for (const outcome of outcomes) {
    if (!analysed(outcome)) continue;
    byKey.set(suppressionKey(file, outcome.path), outcome.source === undefined ? [] : fingerprintHazards(outcome.hazards, outcome.source));
  }
  return byKey;
}

function total(suppressions: BulkSuppressions): number {
  let count = 0;
  for (const rules of suppressions.values()) for (const entry of rules.values()) count += entry.count;
  return count;
}

/**
 * Reads the suppressions file at `file` (updating it first for `--suppress-all` or
 * `--prune-suppressions`) and splits the run's findings by it. Notes on stderr what it wrote, what
 * it holds that no longer occurs, and files it names that are gone.
 */
export function applyBulkSuppressions(
  outcomes: readonly FileOutcome[],
  hazards: readonly Hazard[],
  file: string,
  mode: { suppressAll: boolean; prune: boolean; quiet: boolean },
  io: CliIO,
): BulkSuppressionResult {
  const existing = readBulkSuppressions(file);
  if (!existing && !mode.suppressAll) return { reported: [...hazards], suppressed: 0 };
  const shown = displayPath(io.cwd, file);
  const findings = checkedFindings(outcomes, file);
  let suppressions: BulkSuppressions = new Map(existing ?? []);
  if (mode.suppressAll) {
    for (const [key, fileFindings] of findings) {
      if (fileFindings.length > 0) suppressions.set(key, suppressionsOf(fileFindings));
      else suppressions.delete(key);
    }
    writeBulkSuppressions(file, suppressions);
    const count = [...findings.values()].reduce((sum, fileFindings) => sum + fileFindings.length, 0);
    io.stderr.write(`Recorded ${count} ${count === 1 ? 'hazard' : 'hazards'} in ${shown}; later runs report only new ones.\n`);
  } else if (mode.prune) {
    const before = total(suppressions);
    const pruned: BulkSuppressions = new Map();
    for (const [key, rules] of suppressions) {
      const fileFindings = findings.get(key);
      if (fileFindings === undefined) {
        if (existsSync(join(file, '..', key))) pruned.set(key, rules);
        continue;
      }
      const kept = prunedSuppressions(rules, fileFindings);
      if (kept.size > 0) pruned.set(key, kept);
    }
    suppressions = pruned;
    writeBulkSuppressions(file, suppressions);
    const dropped = before - total(suppressions);
    io.stderr.write(`Dropped ${dropped} ${dropped === 1 ? 'suppression' : 'suppressions'} that no longer occur from ${shown}.\n`);
  }

  let suppressed = 0;
  let unused = 0;
  const keep = new Set<Hazard>();
  for (const outcome of outcomes) {
    if (!analysed(outcome)) continue;
    const key = suppressionKey(file, outcome.path);
    const split = splitBySuppressions(findings.get(key) ?? [], suppressions.get(key));
    for (const hazard of split.reported) keep.add(hazard);
    suppressed += split.suppressed.length;
    unused += split.unused;
  }
  const reported = hazards.filter((hazard) => keep.has(hazard));
  const gone = [...suppressions.keys()].filter((key) => !findings.has(key) && !existsSync(join(file, '..', key)));
  if (!mode.quiet && !mode.suppressAll) {
    if (unused > 0) {
      const [what, verb, them] = unused === 1 ? ['hazard', 'occurs', 'it'] : ['hazards', 'occur', 'them'];
      io.stderr.write(`note: ${unused} ${what} recorded in ${shown} no longer ${verb}; \`--prune-suppressions\` drops ${them}.\n`);
    }
    if (gone.length > 0) {
      const [what, verb, them] = gone.length === 1 ? ['file', 'exists', 'it'] : ['files', 'exist', 'them'];
      const named = `${gone.slice(0, 3).join(', ')}${gone.length > 3 ? ', …' : ''}`;
      io.stderr.write(`note: ${shown} names ${gone.length} ${what} that no longer ${verb} (${named}); \`--prune-suppressions\` drops ${them}.\n`);
    }
  }
  return { reported, suppressed };
}

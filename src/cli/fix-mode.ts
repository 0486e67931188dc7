/** `check --fix`, `--unsafe-fixes`, `--diff` and `--show-fixes`: Ruff's fix flags, over the run's findings. */
import { createTwoFilesPatch } from 'diff';
import { fixApplies } from '../core/fix-all';
import type { ProjectFacts } from '../core/rule';
import { loadFrontends } from '../workspace/analyze';
import { FileAnalyzer, type FileAnalysisSettings, type FileOutcome, type FileTask } from '../workspace/file-analysis';
import { fixFile, type FileFix } from '../workspace/file-fixes';
import { displayPath } from './check-results';
import type { CliIO } from './cli-io';
import type { OptionSpec } from './command-line';

export const FIX_OPTIONS = {
  fix: { type: 'boolean', description: 'Apply safe fixes, in rounds until none is left, and report what remains' },
  'unsafe-fixes': { type: 'boolean', description: 'Count unsafe fixes as available; with --fix or --diff, apply them too' },
  diff: { type: 'boolean', description: 'Print the fixes as a unified diff and change nothing (exit 1 when there is one)' },
  'show-fixes': { type: 'boolean', description: 'After --fix, list what was fixed per file and rule' },
} as const satisfies Record<string, OptionSpec>;

/**
 * Fixes every file with an applicable fix, against the project the run checked it in. Problems
 * (a file that changed, is read-only, or does not parse) are told on stderr; those files stay as they were.
 */
export async function fixCheckedFiles(
  outcomes: readonly FileOutcome[],
  tasks: readonly FileTask[],
  settings: FileAnalysisSettings,
  project: ProjectFacts,
  options: { unsafe: boolean; write: boolean },
  io: CliIO,
): Promise<FileFix[]> {
  await loadFrontends();
  const analyzer = new FileAnalyzer(settings);
  analyzer.setProject(project);
  const taskOf = new Map(tasks.map((task) => [task.path, task]));
  const fixes: FileFix[] = [];
  for (const outcome of outcomes) {
    const task = taskOf.get(outcome.path);
    if (!task || !outcome.hazards.some((hazard) => fixApplies(hazard, options.unsafe))) continue;
    const fix = fixFile(outcome, task, analyzer, options);
    const path = displayPath(io.cwd, fix.path);
    if (fix.problem !== undefined) io.stderr.write(`error: ${path}: not fixed: ${fix.problem}\n`);
    for (const hazard of fix.rejected) {
      io.stderr.write(`warning: ${path}:${hazard.range.start.line + 1}: the ${hazard.code} fix (${hazard.fix!.message}) would not parse; left out\n`);
    }
    if (fix.exhausted) io.stderr.write(`warning: ${path}: fixes kept coming after the last round; run --fix again\n`);
    fixes.push(fix);
  }
  return fixes;
}

/** `--diff`: a unified diff per changed file, paths relative to the working directory as `a/` and `b/`. */
export function formatDiff(fixes: readonly FileFix[], cwd: string): string {
  return fixes
    .filter((fix) => fix.after !== fix.before)
    .map((fix) => {
      const path = displayPath(cwd, fix.path);
      return createTwoFilesPatch(`a/${path}`, `b/${path}`, fix.before, fix.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
    })
    .join('');
}

/** `--show-fixes`: what was fixed, per file and rule, as Ruff lists it. */
export function formatShowFixes(fixes: readonly FileFix[], cwd: string): string {
  const fixed = fixes.filter((fix) => fix.problem === undefined && fix.applied.length > 0);
  const total = fixed.reduce((sum, fix) => sum + fix.applied.length, 0);
  if (total === 0) return 'No hazards fixed.\n';
  const lines = [`Fixed ${total} ${total === 1 ? 'hazard' : 'hazards'}:`];
  for (const fix of fixed) {
    lines.push(`- ${displayPath(cwd, fix.path)}:`);
    const byRule = new Map<string, number>();
    for (const hazard of fix.applied) byRule.set(`${hazard.code} (${hazard.name})`, (byRule.get(`${hazard.code} (${hazard.name})`) ?? 0) + 1);
    for (const [rule, count] of [...byRule].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`    ${count} × ${rule}`);
  }
  return `${lines.join('\n')}\n`;
}

/** How many hazards the fixes removed: those applied in files that were written. */
export function fixedCount(fixes: readonly FileFix[]): number {
  return fixes.filter((fix) => fix.problem === undefined).reduce((sum, fix) => sum + fix.applied.length, 0);
}

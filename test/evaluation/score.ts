// Scores the rules against a blind evaluation corpus: recall on labelled hazards, findings on
// labelled non-hazards, and unlabelled findings (likely false positives). The corpus is checked as
// a new user would check it, by `interleave check --format json` run in its directory, so
// discovery, configuration, deployment files and the cross-file rules all take part.
// Usage: npx tsx test/evaluation/score.ts [python|holdout/python|…] [--verbose]
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCheck } from '../../src/cli/check-command';
import type { JsonHazard } from '../../src/cli/json-format';

export interface Label {
  line: number;
  code?: string;
  why: string;
}

export interface CorpusLabels {
  /** Directories that are projects of their own, each checked on its own as its user would. */
  projects?: string[];
  files: Record<string, { hazards: Label[]; non_hazards: Label[] }>;
}

export interface Score {
  code: string;
  found: number;
  labelled: number;
  missed: string[];
  falsePositives: string[];
  unlabelled: string[];
}

/**
 * Codes whose findings also answer labels of another code, for a corpus written before a call moved
 * between rules: `{ IL201: ['IL203'] }` — an IL203 finding answers an IL201 label, and one on a
 * line labelled `not IL201: …` is a false positive.
 */
export type CodeAliases = Readonly<Record<string, readonly string[]>>;

/** Whether a finding of `code` speaks to a label of `labelled`. */
function answers(code: string, labelled: string | undefined, aliases: CodeAliases): boolean {
  return labelled === code || (labelled !== undefined && (aliases[labelled] ?? []).includes(code));
}

/** A non-hazard label written as `not IL101: …` is about that rule; one without a code, about all. */
function imitates(label: Label, code: string, aliases: CodeAliases): boolean {
  const named = /^not (IL\d{3})\b/.exec(label.why)?.[1];
  return named === undefined || answers(code, named, aliases);
}

/** The lines a finding names in a file: its own, and those of its related information there (one finding for several calls). */
function linesOf(hazard: JsonHazard, root: string, file: string): number[] {
  const own = relative(root, hazard.filename) === file ? [hazard.location.row] : [];
  return [...own, ...hazard.related.filter((note) => relative(root, note.filename) === file).map((note) => note.location.row)];
}

/** Scores `codes` over the corpus in `dir` (relative to test/evaluation), which holds labels.json. */
export async function scoreCorpus(dir: string, codes: readonly string[], aliases: CodeAliases = {}): Promise<Map<string, Score>> {
  const root = join(__dirname, dir);
  const labels = JSON.parse(readFileSync(join(root, 'labels.json'), 'utf8')) as CorpusLabels;
  const scores = new Map(codes.map((code) => [code, { code, found: 0, labelled: 0, missed: [], falsePositives: [], unlabelled: [] } as Score]));
  const reported: JsonHazard[] = [];
  for (const project of labels.projects ?? ['.']) reported.push(...(await checkCorpus(join(root, project), codes)));
  const notAnalysed = reported.filter((hazard) => hazard.code === null);
  if (notAnalysed.length > 0) throw new Error(`not analysed: ${notAnalysed.map((hazard) => `${relative(root, hazard.filename)}: ${hazard.message}`).join('; ')}`);
  for (const hazard of reported) {
    const file = relative(root, hazard.filename);
    const line = hazard.location.row;
    const nonHazards = labels.files[file]?.non_hazards ?? [];
    const hazards = labels.files[file]?.hazards ?? [];
    const score = scores.get(hazard.code)!;
    const named = linesOf(hazard, root, file);
    if (nonHazards.some((label) => named.includes(label.line) && imitates(label, hazard.code, aliases))) score.falsePositives.push(`${file}:${line} ${hazard.code} ${hazard.message}`);
    else if (!hazards.some((label) => label.line === line && answers(hazard.code, label.code, aliases))) score.unlabelled.push(`${file}:${line} ${hazard.code} ${hazard.message}`);
  }
  for (const [file, { hazards }] of Object.entries(labels.files)) {
    for (const label of hazards) {
      const score = scores.get(label.code!);
      if (!score) continue;
      score.labelled++;
      if (reported.some((h) => answers(h.code, label.code, aliases) && linesOf(h, root, file).includes(label.line))) score.found++;
      else score.missed.push(`${file}:${label.line} ${label.why}`);
    }
  }
  return scores;
}

/** `interleave check --format json --select <codes>` in `root`, in this process. */
async function checkCorpus(root: string, codes: readonly string[]): Promise<JsonHazard[]> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: root,
    env: {},
  };
  const status = await runCheck(['--format', 'json', '--select', codes.join(','), '--exit-zero', '--threads', '1'], io, 'evaluation');
  if (status !== 0) throw new Error(`interleave check exited ${status}: ${stderr}`);
  return JSON.parse(stdout) as JsonHazard[];
}

if (require.main === module) {
  void (async () => {
    const dir = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'python';
    const verbose = process.argv.includes('--verbose');
    const labels = JSON.parse(readFileSync(join(__dirname, dir, 'labels.json'), 'utf8')) as CorpusLabels;
    const codes = [...new Set(Object.values(labels.files).flatMap((file) => file.hazards.map((label) => label.code!)))].sort();
    const scores = await scoreCorpus(dir, codes);
    let found = 0;
    let labelled = 0;
    for (const score of scores.values()) {
      found += score.found;
      labelled += score.labelled;
      const recall = score.labelled ? ((100 * score.found) / score.labelled).toFixed(0) : '-';
      console.log(`${score.code}: found ${score.found}/${score.labelled} (${recall}%), labelled non-hazards reported ${score.falsePositives.length}, unlabelled findings ${score.unlabelled.length}`);
      if (verbose) {
        for (const line of score.missed) console.log(`  missed   ${line}`);
        for (const line of score.falsePositives) console.log(`  FALSE+   ${line}`);
        for (const line of score.unlabelled) console.log(`  unlabel  ${line}`);
      }
    }
    console.log(`total: ${found}/${labelled} (${((100 * found) / labelled).toFixed(1)}%)`);
  })();
}

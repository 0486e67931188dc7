// Scores the rules against a blind evaluation corpus: recall on labelled hazards, findings on
// labelled non-hazards, and unlabelled findings (likely false positives). The corpus is analysed
// as a project, both engine passes, so cross-file rules see every module.
// Usage: npx tsx test/evaluation/score.ts [python|holdout/python] [--verbose]
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeProject } from '../support/analyze-project';

export interface Label {
  line: number;
  code?: string;
  why: string;
}

export interface CorpusLabels {
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

/** A non-hazard label written as `not IL101: …` is about that rule; one without a code, about all. */
function imitates(label: Label, code: string): boolean {
  const named = /^not (IL\d{3})\b/.exec(label.why)?.[1];
  return named === undefined || named === code;
}

/** Scores `codes` over the corpus in `dir` (relative to test/evaluation), which holds labels.json. */
export async function scoreCorpus(dir: string, codes: readonly string[]): Promise<Map<string, Score>> {
  const root = join(__dirname, dir);
  const labels = JSON.parse(readFileSync(join(root, 'labels.json'), 'utf8')) as CorpusLabels;
  const scores = new Map(codes.map((code) => [code, { code, found: 0, labelled: 0, missed: [], falsePositives: [], unlabelled: [] } as Score]));
  const reports = await analyzeProject(root, { settings: { select: [...codes] } });
  for (const [path, report] of reports) {
    const file = relative(root, path);
    const { hazards = [], non_hazards: nonHazards = [] } = labels.files[file] ?? {};
    for (const hazard of report.hazards) {
      const line = hazard.range.start.line + 1;
      const score = scores.get(hazard.code)!;
      if (nonHazards.some((label) => label.line === line && imitates(label, hazard.code))) score.falsePositives.push(`${file}:${line} ${hazard.code} ${hazard.message}`);
      else if (!hazards.some((label) => label.line === line && label.code === hazard.code)) score.unlabelled.push(`${file}:${line} ${hazard.code} ${hazard.message}`);
    }
    for (const label of hazards) {
      const score = scores.get(label.code!);
      if (!score) continue;
      score.labelled++;
      if (report.hazards.some((h) => h.code === label.code && h.range.start.line + 1 === label.line)) score.found++;
      else score.missed.push(`${file}:${label.line} ${label.why}`);
    }
  }
  return scores;
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

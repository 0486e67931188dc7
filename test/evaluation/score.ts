// Scores the rules against the blind evaluation corpus: recall on labelled hazards, false
// positives on labelled non-hazards, and unlabelled findings (likely false positives).
// Usage: npx tsx test/evaluation/score.ts [--verbose]
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { analyzeText } from '../support/analyze';

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

export const CORPUS = join(__dirname, 'python');

export async function scoreCorpus(codes: readonly string[]): Promise<Map<string, Score>> {
  const labels = JSON.parse(readFileSync(join(CORPUS, 'labels.json'), 'utf8')) as CorpusLabels;
  const scores = new Map(codes.map((code) => [code, { code, found: 0, labelled: 0, missed: [], falsePositives: [], unlabelled: [] } as Score]));
  for (const [file, { hazards, non_hazards: nonHazards }] of Object.entries(labels.files)) {
    const path = join(CORPUS, file);
    const report = await analyzeText(readFileSync(path, 'utf8'), { path, moduleName: basename(file, '.py'), settings: { select: [...codes] } });
    const at = (line: number, code: string) => report.hazards.some((h) => h.code === code && h.range.start.line + 1 === line);
    for (const label of hazards) {
      const score = scores.get(label.code!);
      if (!score) continue;
      score.labelled++;
      if (at(label.line, label.code!)) score.found++;
      else score.missed.push(`${file}:${label.line} ${label.why}`);
    }
    for (const hazard of report.hazards) {
      const line = hazard.range.start.line + 1;
      const score = scores.get(hazard.code)!;
      if (nonHazards.some((label) => label.line === line)) score.falsePositives.push(`${file}:${line} ${hazard.message}`);
      else if (!hazards.some((label) => label.line === line && label.code === hazard.code)) score.unlabelled.push(`${file}:${line} ${hazard.message}`);
    }
  }
  return scores;
}

if (require.main === module) {
  void (async () => {
    const verbose = process.argv.includes('--verbose');
    const scores = await scoreCorpus(['IL101', 'IL102', 'IL103', 'IL104']);
    for (const score of scores.values()) {
      const recall = score.labelled ? ((100 * score.found) / score.labelled).toFixed(0) : '-';
      console.log(`${score.code}: found ${score.found}/${score.labelled} (${recall}%), false positives on labelled non-hazards ${score.falsePositives.length}, unlabelled findings ${score.unlabelled.length}`);
      if (verbose) {
        for (const line of score.missed) console.log(`  missed   ${line}`);
        for (const line of score.falsePositives) console.log(`  FALSE+   ${line}`);
        for (const line of score.unlabelled) console.log(`  unlabel  ${line}`);
      }
    }
  })();
}

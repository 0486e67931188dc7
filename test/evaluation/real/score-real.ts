// Scores Interleave on the real-code evaluation: recall on hand labels, and a stable stratified
// sample of findings for precision, judged against RUBRIC.md and kept in judgments.json.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { JsonHazard } from '../../../src/cli/json-format';
import type { RealApp } from './snapshots';

export interface RealLabel {
  line: number;
  code: string;
  /** Other rules that may claim the same site (a call that both blocks and burns CPU). */
  also?: string[];
  why: string;
}

export interface AppLabels {
  labeller?: string;
  files: Record<string, { hazards?: RealLabel[]; non_hazards?: RealLabel[] }>;
}

export type Verdict = 'TRUE' | 'DEBATABLE' | 'FALSE';

export interface Judgment {
  app: string;
  file: string;
  line: number;
  code: string;
  verdict: Verdict;
  why: string;
}

/** A finding of one app, its path relative to the app's root. */
export interface RealFinding {
  app: string;
  language: RealApp['language'];
  file: string;
  line: number;
  code: string;
  message: string;
  /** What the one-line message leaves out: why it breaks and what to do. Judges read both. */
  explanation?: string;
  related: { file: string; line: number; message: string }[];
}

/** The findings of a run, without the entries that list files not analysed (`code: null`). */
export function findingsOf(app: RealApp, root: string, hazards: readonly JsonHazard[]): RealFinding[] {
  return hazards.flatMap((hazard) => (hazard.code === null ? [] : [hazard])).map((hazard) => ({
    app: app.name,
    language: /\.py$/.test(hazard.filename) ? 'python' : /\.[cm]?[jt]sx?$/.test(hazard.filename) ? 'typescript' : app.language,
    file: relative(root, hazard.filename),
    line: hazard.location.row,
    code: hazard.code,
    message: hazard.message,
    ...(hazard.explanation && { explanation: hazard.explanation }),
    related: hazard.related.map((related) => ({ file: relative(root, related.filename), line: related.location.row, message: related.message })),
  }));
}

export function readLabels(app: RealApp): AppLabels | undefined {
  const path = join(__dirname, 'labels', `${app.name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as AppLabels) : undefined;
}

/** Every judgment in judgments/*.json: one file per judging session, each naming its judge. */
export function readJudgments(): Judgment[] {
  const dir = join(__dirname, 'judgments');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { judgments: Judgment[] }).judgments);
}

/** A label's line and a finding's agree when one is at most a line from the other, or the label names a related location. */
function matches(label: RealLabel, file: string, finding: RealFinding): boolean {
  if (![label.code, ...(label.also ?? [])].includes(finding.code)) return false;
  if (finding.file === file && Math.abs(finding.line - label.line) <= 1) return true;
  return finding.related.some((related) => related.file === file && related.line === label.line);
}

export interface RecallRow {
  code: string;
  language: RealApp['language'];
  labelled: number;
  found: number;
  missed: string[];
  negatives: number;
  negativesFlagged: string[];
}

/** Recall of labelled hazards and flags on labelled negatives, by rule and language. */
export function scoreRecall(apps: readonly RealApp[], findings: readonly RealFinding[]): RecallRow[] {
  const rows = new Map<string, RecallRow>();
  const row = (code: string, language: RealApp['language']) => {
    const key = `${code} ${language}`;
    let entry = rows.get(key);
    if (!entry) rows.set(key, (entry = { code, language, labelled: 0, found: 0, missed: [], negatives: 0, negativesFlagged: [] }));
    return entry;
  };
  for (const app of apps) {
    const labels = readLabels(app);
    if (!labels) continue;
    const own = findings.filter((finding) => finding.app === app.name);
    for (const [file, { hazards = [], non_hazards = [] }] of Object.entries(labels.files)) {
      const language = /\.py$/.test(file) ? 'python' : 'typescript';
      for (const label of hazards) {
        const entry = row(label.code, language);
        entry.labelled++;
        if (own.some((finding) => matches(label, file, finding))) entry.found++;
        else entry.missed.push(`${app.name}/${file}:${label.line} ${label.code} ${label.why}`);
      }
      for (const label of non_hazards) {
        const entry = row(label.code, language);
        entry.negatives++;
        if (own.some((finding) => matches(label, file, finding))) entry.negativesFlagged.push(`${app.name}/${file}:${label.line} ${label.code} ${label.why}`);
      }
    }
  }
  return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code) || a.language.localeCompare(b.language));
}

function sampleKey(finding: Pick<RealFinding, 'app' | 'file' | 'line' | 'code'>): string {
  return `${finding.app}/${finding.file}:${finding.line} ${finding.code}`;
}

/**
 * At least `minimum` findings in all when there are that many, and as near as can be the same
 * number of each rule and language, taken round-robin across apps, each app's
 * findings in the order of a seeded hash of their place: a finding stays in the sample for as long
 * as it is reported, so judgments carry over from run to run.
 */
export function samplePrecision(findings: readonly RealFinding[], minimum = 200, seed = 'interleave-real-1'): RealFinding[] {
  // Ten per stratum, more where that leaves the sample under `minimum`: a larger sample holds the smaller one.
  let perStratum = 10;
  let sample = sampleStrata(findings, perStratum, seed);
  while (sample.length < minimum && perStratum < findings.length) sample = sampleStrata(findings, ++perStratum, seed);
  return sample;
}

function sampleStrata(findings: readonly RealFinding[], perStratum: number, seed: string): RealFinding[] {
  const hash = (finding: RealFinding) => createHash('sha256').update(`${seed} ${sampleKey(finding)}`).digest('hex');
  const strata = new Map<string, Map<string, RealFinding[]>>();
  for (const finding of findings) {
    const stratum = `${finding.code} ${finding.language}`;
    let byApp = strata.get(stratum);
    if (!byApp) strata.set(stratum, (byApp = new Map()));
    byApp.set(finding.app, [...(byApp.get(finding.app) ?? []), finding]);
  }
  const sample: RealFinding[] = [];
  for (const byApp of strata.values()) {
    const queues = [...byApp.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, list]) => [...new Map(list.map((finding) => [sampleKey(finding), finding])).values()].sort((a, b) => hash(a).localeCompare(hash(b))));
    let taken = 0;
    for (let round = 0; taken < perStratum && queues.some((queue) => round < queue.length); round++) {
      for (const queue of queues) {
        if (taken < perStratum && round < queue.length) {
          sample.push(queue[round]!);
          taken++;
        }
      }
    }
  }
  return sample;
}

export interface PrecisionRow {
  code: string;
  language: RealApp['language'];
  findings: number;
  TRUE: number;
  DEBATABLE: number;
  FALSE: number;
  unjudged: number;
}

export function judgmentOf(finding: RealFinding, judgments: readonly Judgment[]): Judgment | undefined {
  return judgments.find((judgment) => sampleKey(judgment) === sampleKey(finding));
}

export function scorePrecision(findings: readonly RealFinding[], sample: readonly RealFinding[], judgments: readonly Judgment[]): PrecisionRow[] {
  const rows = new Map<string, PrecisionRow>();
  for (const finding of findings) {
    const key = `${finding.code} ${finding.language}`;
    if (!rows.has(key)) rows.set(key, { code: finding.code, language: finding.language, findings: 0, TRUE: 0, DEBATABLE: 0, FALSE: 0, unjudged: 0 });
    rows.get(key)!.findings++;
  }
  for (const finding of sample) {
    const row = rows.get(`${finding.code} ${finding.language}`)!;
    const judgment = judgmentOf(finding, judgments);
    if (judgment) row[judgment.verdict]++;
    else row.unjudged++;
  }
  return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code) || a.language.localeCompare(b.language));
}

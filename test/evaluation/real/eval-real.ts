// `npm run eval:real -- --snapshots DIR [--trees DIR] [--apps a,b] [--findings FILE] [--verbose]`
// (trees default to $TMPDIR/interleave-real-trees; without --snapshots the trees there are reused;
// --findings scores the findings a previous run wrote instead of checking again)
// Rebuilds each app of apps.json from its snapshot at the pinned commit, runs
// `interleave check --format json` in the app's root on its served paths, as a new user would,
// and scores recall on labels/ and precision on the judged sample (judgments.json). Writes the
// findings and the sample still to be judged under test-results/real/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCheck } from '../../../src/cli/check-command';
import type { JsonHazard } from '../../../src/cli/json-format';
import { RULES } from '../../../src/rules';
import {
  findingsOf,
  judgmentOf,
  readJudgments,
  samplePrecision,
  scorePrecision,
  scoreRecall,
  type PrecisionRow,
  type RealFinding,
  type RecallRow,
} from './score-real';
import { readApps, rebuildTree, snapshotOf, type RealApp } from './snapshots';

const repoRoot = join(__dirname, '..', '..', '..');

async function checkApp(app: RealApp, root: string): Promise<JsonHazard[]> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, cwd: root, env: {} };
  const status = await runCheck(['--format', 'json', '--select', 'ALL', '--exit-zero', '--no-progress', ...app.paths], io, 'evaluation');
  if (status !== 0) throw new Error(`${app.name}: interleave check exited ${status}: ${stderr}`);
  return JSON.parse(stdout) as JsonHazard[];
}

const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(0)}%`);

function defaultRule(code: string): boolean {
  const meta = RULES.find((rule) => rule.meta.code === code)?.meta as { preview?: boolean } | undefined;
  return meta !== undefined && meta.preview !== true;
}

export function precisionTable(rows: readonly PrecisionRow[]): string {
  const lines = ['| rule | language | findings | judged | TRUE | DEBATABLE | FALSE | precision |', '|---|---|---:|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    const judged = row.TRUE + row.DEBATABLE + row.FALSE;
    lines.push(`| ${row.code}${defaultRule(row.code) ? '' : ' (preview)'} | ${row.language} | ${row.findings} | ${judged} | ${row.TRUE} | ${row.DEBATABLE} | ${row.FALSE} | ${percent(row.TRUE, judged)} |`);
  }
  const own = rows.filter((row) => defaultRule(row.code));
  const sum = (key: 'TRUE' | 'DEBATABLE' | 'FALSE' | 'unjudged') => own.reduce((total, row) => total + row[key], 0);
  const judged = sum('TRUE') + sum('DEBATABLE') + sum('FALSE');
  lines.push(`| **default rules** | | ${own.reduce((total, row) => total + row.findings, 0)} | ${judged} | ${sum('TRUE')} | ${sum('DEBATABLE')} | ${sum('FALSE')} | **${percent(sum('TRUE'), judged)}** (FALSE ${percent(sum('FALSE'), judged)}) |`);
  if (sum('unjudged') > 0) lines.push('', `${sum('unjudged')} sampled findings are not judged yet.`);
  return lines.join('\n');
}

export function recallTable(rows: readonly RecallRow[]): string {
  const lines = ['| rule | language | hazards found | recall | negatives flagged |', '|---|---|---:|---:|---:|'];
  for (const row of rows) lines.push(`| ${row.code}${defaultRule(row.code) ? '' : ' (preview)'} | ${row.language} | ${row.found}/${row.labelled} | ${percent(row.found, row.labelled)} | ${row.negativesFlagged.length}/${row.negatives} |`);
  const own = rows.filter((row) => defaultRule(row.code));
  const found = own.reduce((total, row) => total + row.found, 0);
  const labelled = own.reduce((total, row) => total + row.labelled, 0);
  const flagged = own.reduce((total, row) => total + row.negativesFlagged.length, 0);
  const negatives = own.reduce((total, row) => total + row.negatives, 0);
  lines.push(`| **default rules** | | ${found}/${labelled} | **${percent(found, labelled)}** | ${flagged}/${negatives} (${percent(flagged, negatives)}) |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { snapshots: { type: 'string' }, trees: { type: 'string' }, apps: { type: 'string' }, findings: { type: 'string' }, verbose: { type: 'boolean' } },
  });
  const out = join(repoRoot, 'test-results', 'real');
  // Outside this repository: its .gitignore (test-results/) would hide the trees from discovery.
  const trees = values.trees ?? join(tmpdir(), 'interleave-real-trees');
  const wanted = values.apps?.split(',');
  const apps = readApps().filter((app) => !wanted || wanted.includes(app.name));
  const findings: RealFinding[] = values.findings ? (JSON.parse(readFileSync(values.findings, 'utf8')) as RealFinding[]).filter((finding) => apps.some((app) => app.name === finding.app)) : [];
  for (const app of values.findings ? [] : apps) {
    const root = join(trees, app.name);
    if (values.snapshots) {
      const git = snapshotOf(values.snapshots, app);
      if (!git) throw new Error(`no snapshot of ${app.repo} under ${values.snapshots} (fetch it first)`);
      await rebuildTree(git, app, root);
    }
    const started = performance.now();
    const own = findingsOf(app, root, await checkApp(app, root));
    console.error(`${app.name}: ${own.length} findings in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    findings.push(...own);
  }
  const judgments = readJudgments();
  const sample = samplePrecision(findings);
  const recall = scoreRecall(apps, findings);
  console.log('## Precision (judged sample)\n');
  console.log(precisionTable(scorePrecision(findings, sample, judgments)));
  console.log('\n## Recall (labelled hazards)\n');
  console.log(recallTable(recall));
  if (values.verbose) {
    for (const row of recall) for (const missed of row.missed) console.log(`missed   ${missed}`);
    for (const row of recall) for (const flagged of row.negativesFlagged) console.log(`negative ${flagged}`);
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'findings.json'), `${JSON.stringify(findings, null, 1)}\n`);
  const unjudged = sample.filter((finding) => !judgmentOf(finding, judgments));
  writeFileSync(join(out, 'to-judge.json'), `${JSON.stringify(unjudged, null, 1)}\n`);
  console.error(`wrote ${findings.length} findings and ${unjudged.length} sampled findings to judge under ${out}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}

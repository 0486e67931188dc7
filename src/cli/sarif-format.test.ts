import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Log } from 'sarif';
import { makeProject, runCli, SEED_RACE } from '../../test/support/cli';
import { formatHazard, formatResults } from '../../test/support/hazards';
import { RULES } from '../rules';
import { formatSarif, SARIF_SCHEMA } from './sarif-format';

describe('--format sarif', () => {
  test('is a SARIF 2.1.0 log whose results point at the rules that ran', async () => {
    const root = makeProject({ 'app/main.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'sarif', '--ignore', 'IL105'], { cwd: root });
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout) as Log;
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, SARIF_SCHEMA);
    assert.equal(log.runs.length, 1);
    const [sarifRun] = log.runs;
    const driver = sarifRun!.tool.driver;
    assert.equal(driver.name, 'interleave');
    assert.match(driver.version!, /^\d+\.\d+\.\d+/);
    assert.ok(driver.informationUri);
    const ruleIds = driver.rules!.map((rule) => rule.id);
    // Preview rules are not selected by default, and do not run.
    assert.deepEqual(ruleIds, RULES.filter((rule) => !rule.meta.preview).map((rule) => rule.meta.code).filter((code) => code !== 'IL105'));
    for (const rule of driver.rules!) {
      const meta = RULES.find((candidate) => candidate.meta.code === rule.id)!.meta;
      assert.equal(rule.name, meta.name);
      assert.equal(rule.shortDescription?.text, meta.summary);
      assert.ok(rule.fullDescription?.text);
      assert.match(rule.help!.markdown!, /## What it does/);
      assert.equal(rule.helpUri, `https://github.com/interleave-dev/interleave/blob/main/docs/rules/${rule.id}.md`);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration!.level!));
      assert.deepEqual(rule.properties?.tags, [meta.family]);
    }
    assert.equal(sarifRun!.columnKind, 'utf16CodeUnits');
    assert.match(sarifRun!.originalUriBaseIds!['%SRCROOT%']!.uri!, /^file:\/\/.*\/$/);
    assert.ok(sarifRun!.results!.length > 0);
    for (const result of sarifRun!.results!) {
      assert.equal(driver.rules![result.ruleIndex!]!.id, result.ruleId, 'ruleIndex points at the rule');
      assert.ok(['error', 'warning', 'note'].includes(result.level!));
      const location = result.locations![0]!.physicalLocation!;
      assert.deepEqual(location.artifactLocation, { uri: 'app/main.py', uriBaseId: '%SRCROOT%' });
      assert.ok(location.region!.startLine! >= 1 && location.region!.startColumn! >= 1);
    }
    const race = sarifRun!.results!.find((result) => result.ruleId === 'IL101')!;
    assert.deepEqual(race.locations![0]!.physicalLocation!.region, { startLine: 10, startColumn: 5, endLine: 10, endColumn: 45 });
    assert.equal(race.relatedLocations!.length, 2);
    assert.equal(race.fixes![0]!.artifactChanges[0]!.replacements.length > 0, true);
  });

  test('keeps UTF-16 columns, which the run declares, and carries fixes as replacements', () => {
    const log = JSON.parse(formatSarif(formatResults(), '1.2.3')) as Log;
    const [result] = log.runs[0]!.results!;
    assert.deepEqual(result!.locations![0]!.physicalLocation!.region, { startLine: 7, startColumn: 5, endLine: 7, endColumn: 17 });
    assert.deepEqual(result!.relatedLocations!.map((related) => related.message!.text), ['read here', 'suspends here']);
    assert.deepEqual(result!.fixes, [
      {
        description: { text: 'Hold `totals_lock` from the read to the write (unsafe fix)' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'app/main.py', uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { startLine: 2, startColumn: 19, endLine: 2, endColumn: 19 }, insertedContent: { text: '\ntotals_lock = asyncio.Lock()' } },
              { deletedRegion: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 1 }, insertedContent: { text: '    async with totals_lock:\n' } },
            ],
          },
        ],
      },
    ]);
  });

  test('keeps the result message one line, with the explanation as its Markdown, and a fingerprint', () => {
    const log = JSON.parse(formatSarif(formatResults([formatHazard({ explanation: 'Why, and the fix.' })]), '1.2.3')) as Log;
    const [result] = log.runs[0]!.results!;
    assert.equal(result!.message.text, formatHazard().message);
    assert.equal(result!.message.markdown, `${formatHazard().message}\n\nWhy, and the fix.`);
    assert.match(result!.partialFingerprints!['interleaveFinding/v1']!, /^[0-9a-f]{16}$/);
  });

  test('a file outside the working directory gets an absolute file URI', () => {
    const results = { ...formatResults([formatHazard({ path: '/elsewhere/x y.py', fix: undefined, related: [] })]) };
    const log = JSON.parse(formatSarif(results, '1.2.3')) as Log;
    assert.deepEqual(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation, { uri: 'file:///elsewhere/x%20y.py' });
  });

  test('a clean run is still a valid log with the rules and no results', async () => {
    const run = await runCli(['check', '--format', 'sarif'], { cwd: makeProject({ 'ok.py': 'x = 1\n' }) });
    assert.equal(run.status, 0);
    const log = JSON.parse(run.stdout) as Log;
    assert.deepEqual(log.runs[0]!.results, []);
    assert.equal(log.runs[0]!.tool.driver.rules!.length, RULES.filter((rule) => !rule.meta.preview).length);
  });
});

/**
 * Contract tests for the formats CI systems read. Each format's documented fields are written here
 * from its public specification, and every report is checked against them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { makeProject, runCli, SEED_RACE } from '../../test/support/cli';
import { FORMAT_FILE, formatHazard, formatResults } from '../../test/support/hazards';
import { formatGitlab } from './gitlab-format';
import { formatJunit } from './junit-format';
import { formatRdjson } from './rdjson-format';
import { formatConcise } from './text-format';
import { paletteFor } from './terminal-style';

/** A project with a hazard and a file that cannot be analysed (not UTF-8). */
const NOT_ANALYSED_PROJECT = { 'app/main.py': SEED_RACE, 'bad.py': Buffer.from('s = "\xe9t\xe9"\n', 'latin1') };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const positiveInteger = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 1;

/**
 * GitLab's Code Quality report (docs.gitlab.com/ci/testing/code_quality, "Code Quality report
 * format"): a JSON array of objects with `description`, `check_name`, `fingerprint`, `severity`
 * (info, minor, major, critical or blocker), `location.path` relative to the repository root, and
 * `location.lines.begin` (or `location.positions.begin.line`).
 */
function assertCodeQualityIssue(issue: unknown): void {
  assert.ok(isObject(issue));
  for (const field of ['description', 'check_name', 'fingerprint']) assert.equal(typeof issue[field], 'string', field);
  assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity as string), 'severity');
  assert.ok(isObject(issue.location));
  const path = issue.location.path as string;
  assert.ok(typeof path === 'string' && !path.startsWith('/') && !path.startsWith('./'), 'location.path is relative to the repository');
  assert.ok(isObject(issue.location.lines) && positiveInteger(issue.location.lines.begin), 'location.lines.begin');
}

/**
 * Reviewdog's `DiagnosticResult` (proto/rdf/reviewdog.proto and its JSON schema): `diagnostics[]`
 * each with `message`, `location.path` and `location.range.start` (1-based `line`, `column` in UTF-8
 * bytes, end exclusive), `severity` one of UNKNOWN_SEVERITY/ERROR/WARNING/INFO, `code.value`/`url`,
 * `suggestions[]` of `{range, text}`; `source.name`.
 */
function assertRdPosition(value: unknown, where: string): void {
  assert.ok(isObject(value), where);
  assert.ok(positiveInteger(value.line) && positiveInteger(value.column), `${where} is 1-based`);
}

function assertRdDiagnostic(diagnostic: unknown): void {
  assert.ok(isObject(diagnostic));
  assert.equal(typeof diagnostic.message, 'string');
  assert.ok(['UNKNOWN_SEVERITY', 'ERROR', 'WARNING', 'INFO'].includes(diagnostic.severity as string));
  assert.ok(isObject(diagnostic.location) && typeof diagnostic.location.path === 'string');
  assert.ok(isObject(diagnostic.location.range));
  assertRdPosition(diagnostic.location.range.start, 'range.start');
  assertRdPosition(diagnostic.location.range.end, 'range.end');
  assert.ok(isObject(diagnostic.code) && typeof diagnostic.code.value === 'string' && ['string', 'undefined'].includes(typeof diagnostic.code.url));
  for (const suggestion of (diagnostic.suggestions as unknown[] | undefined) ?? []) {
    assert.ok(isObject(suggestion) && typeof suggestion.text === 'string' && isObject(suggestion.range));
    assertRdPosition(suggestion.range.start, 'suggestion.range.start');
  }
}

describe('--format gitlab', () => {
  test('is a Code Quality report GitLab accepts, from a real run', async () => {
    const root = makeProject({ 'app/main.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'gitlab'], { cwd: root });
    assert.equal(run.status, 1);
    const issues: unknown = JSON.parse(run.stdout);
    assert.ok(Array.isArray(issues) && issues.length > 0);
    issues.forEach(assertCodeQualityIssue);
    assert.equal(new Set(issues.map((issue: { fingerprint: string }) => issue.fingerprint)).size, issues.length, 'fingerprints are unique');
    assert.equal((issues[0] as { location: { path: string } }).location.path, 'app/main.py');
  });

  test('paths are relative to CI_PROJECT_DIR when GitLab sets it', async () => {
    const root = makeProject({ 'service/app/main.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'gitlab', 'app'], { cwd: `${root}/service`, env: { CI_PROJECT_DIR: root } });
    assert.ok((JSON.parse(run.stdout) as { location: { path: string } }[]).every((issue) => issue.location.path === 'service/app/main.py'));
  });

  test('fingerprints survive lines moving, and two identical findings still differ', () => {
    const moved = formatHazard({ range: { start: { line: 7, character: 4 }, end: { line: 7, character: 16 } } });
    const source = `# a new first line\n${formatResults().lines.lines(FORMAT_FILE)!.join('\n')}`;
    const [before] = JSON.parse(formatGitlab(formatResults(), '/project')) as { fingerprint: string }[];
    const [after] = JSON.parse(formatGitlab(formatResults([moved], source), '/project')) as { fingerprint: string }[];
    assert.equal(after!.fingerprint, before!.fingerprint);
    const twice = JSON.parse(formatGitlab(formatResults([formatHazard(), formatHazard()]), '/project')) as { fingerprint: string }[];
    assert.notEqual(twice[0]!.fingerprint, twice[1]!.fingerprint);
  });

  test('a file that was not analysed is a critical issue of its own', async () => {
    const run = await runCli(['check', '--format', 'gitlab'], { cwd: makeProject(NOT_ANALYSED_PROJECT) });
    assert.equal(run.status, 1);
    const issues = JSON.parse(run.stdout) as { check_name: string; description: string; severity: string; location: { path: string } }[];
    issues.forEach(assertCodeQualityIssue);
    const [listed] = issues.filter((issue) => issue.check_name === 'not-analysed');
    assert.deepEqual([listed?.location.path, listed?.severity], ['bad.py', 'critical']);
    assert.match(listed!.description, /^not analysed: not valid UTF-8/);
  });

  test('a clean run is an empty array', async () => {
    const run = await runCli(['check', '--format', 'gitlab'], { cwd: makeProject({ 'ok.py': 'x = 1\n' }) });
    assert.deepEqual(JSON.parse(run.stdout), []);
  });
});

describe('--format junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });

  /**
   * The JUnit XML that CI report readers document (GitLab's unit test reports, Jenkins' JUnit
   * plugin): `testsuites` with `tests`/`failures`, `testsuite` elements with `name`, `tests`,
   * `failures`, `testcase` elements with `name` and `classname`, a `failure` element with a
   * `message` attribute in each failed case.
   */
  function parseReport(xml: string) {
    assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
    const report = parser.parse(xml) as {
      testsuites: { tests: string; failures: string; errors: string; testsuite: { name: string; tests: string; failures: string; errors: string; testcase: Record<string, unknown>[] }[] };
    };
    const { testsuites } = report;
    let failures = 0;
    let errors = 0;
    for (const suite of testsuites.testsuite) {
      assert.equal(typeof suite.name, 'string');
      assert.equal(Number(suite.tests), suite.testcase.length);
      for (const testcase of suite.testcase) {
        assert.equal(typeof testcase.name, 'string');
        assert.equal(typeof testcase.classname, 'string');
        for (const [kind, outcome] of [['failure', testcase.failure], ['error', testcase.error]] as const) {
          if (outcome === undefined) continue;
          if (kind === 'failure') failures++;
          else errors++;
          assert.equal(typeof (outcome as { message: string }).message, 'string');
        }
      }
      assert.equal(Number(suite.failures), suite.testcase.filter((testcase) => testcase.failure !== undefined).length);
      assert.equal(Number(suite.errors), suite.testcase.filter((testcase) => testcase.error !== undefined).length);
    }
    assert.equal(Number(testsuites.failures), failures);
    assert.equal(Number(testsuites.errors), errors);
    return testsuites;
  }

  test('one failed test case per hazard, from a real run', async () => {
    const run = await runCli(['check', '--format', 'junit'], { cwd: makeProject({ 'app/main.py': SEED_RACE }) });
    assert.equal(run.status, 1);
    const suites = parseReport(run.stdout);
    assert.ok(Number(suites.failures) > 0);
    assert.equal(suites.testsuite[0]!.name, 'app/main.py');
  });

  test('markup, quotes and control characters in messages stay text', () => {
    const hazard = formatHazard({ message: 'a < b && "c" \u0007 </failure><x>', explanation: 'why\n<b>not</b>' });
    const suites = parseReport(formatJunit(formatResults([hazard])));
    const failure = suites.testsuite[0]!.testcase[0]!.failure as { message: string; '#text': string };
    assert.equal(failure.message, 'a < b && "c" \uFFFD </failure><x>');
    assert.match(failure['#text'], /<b>not<\/b>/);
  });

  test('a file that was not analysed is a test case in error', async () => {
    const run = await runCli(['check', '--format', 'junit'], { cwd: makeProject(NOT_ANALYSED_PROJECT) });
    assert.equal(run.status, 1);
    const suites = parseReport(run.stdout);
    assert.equal(Number(suites.errors), 1);
    const suite = suites.testsuite.find((one) => one.name === 'bad.py')!;
    assert.match((suite.testcase[0]!.error as { message: string }).message, /^not analysed: not valid UTF-8/);
  });

  test('a clean run is one passing test case', async () => {
    const run = await runCli(['check', '--format', 'junit'], { cwd: makeProject({ 'ok.py': 'x = 1\n' }) });
    assert.equal(run.status, 0);
    const suites = parseReport(run.stdout);
    assert.equal(Number(suites.tests), 1);
    assert.equal(Number(suites.failures), 0);
  });
});

describe('--format rdjson', () => {
  test('is a reviewdog DiagnosticResult, from a real run', async () => {
    const run = await runCli(['check', '--format', 'rdjson'], { cwd: makeProject({ 'app/main.py': SEED_RACE }) });
    assert.equal(run.status, 1);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.ok(isObject(result.source) && result.source.name === 'interleave');
    assert.ok(Array.isArray(result.diagnostics) && result.diagnostics.length > 0);
    result.diagnostics.forEach(assertRdDiagnostic);
  });

  test('a file that was not analysed is an ERROR diagnostic', async () => {
    const run = await runCli(['check', '--format', 'rdjson'], { cwd: makeProject(NOT_ANALYSED_PROJECT) });
    assert.equal(run.status, 1);
    const { diagnostics } = JSON.parse(run.stdout) as { diagnostics: { code: { value: string }; severity: string; message: string; location: { path: string } }[] };
    diagnostics.forEach(assertRdDiagnostic);
    const [listed] = diagnostics.filter((diagnostic) => diagnostic.code.value === 'not-analysed');
    assert.deepEqual([listed?.location.path, listed?.severity], ['bad.py', 'ERROR']);
  });

  test('columns count UTF-8 bytes, and fixes become suggestions', () => {
    const result = JSON.parse(formatRdjson(formatResults())) as { diagnostics: { location: { path: string; range: unknown }; suggestions: unknown[] }[] };
    const [diagnostic] = result.diagnostics;
    assertRdDiagnostic(diagnostic);
    // `    TOTALS["🍕"]`: the emoji is 4 UTF-8 bytes, 2 UTF-16 units.
    assert.deepEqual(diagnostic!.location, { path: 'app/main.py', range: { start: { line: 7, column: 5 }, end: { line: 7, column: 19 } } });
    assert.equal(diagnostic!.suggestions.length, 2);
  });
});

describe('--format json-lines', () => {
  test('one JSON object per line, each the JSON format’s object, files not analysed included', async () => {
    const root = makeProject({ ...NOT_ANALYSED_PROJECT });
    const lines = (await runCli(['check', '--format', 'json-lines'], { cwd: root })).stdout.trimEnd().split('\n');
    const array = JSON.parse((await runCli(['check', '--format', 'json'], { cwd: root })).stdout) as unknown[];
    assert.deepEqual(lines.map((line) => JSON.parse(line) as unknown), array);
    assert.ok(array.some((entry) => (entry as { name: string }).name === 'not-analysed'));
  });
});

describe('--format concise', () => {
  test('one line per hazard, marking what --fix would fix, then the summary', () => {
    const safe = formatHazard({ code: 'IL201', name: 'blocking-call', fix: { ...formatHazard().fix!, applicability: 'safe' } });
    const output = formatConcise(formatResults([formatHazard(), safe]), paletteFor(false), { summary: true });
    assert.equal(
      output,
      [
        'app/main.py:7:5: IL101 [await-race] TOTALS["🍕"] is read at line 5, the coroutine yields at line 6, and line 7 writes from the stale read.',
        'app/main.py:7:5: IL201 [*] [blocking-call] TOTALS["🍕"] is read at line 5, the coroutine yields at line 6, and line 7 writes from the stale read.',
        'Found 2 hazards.',
        '[*] 1 fixable with `interleave check --fix` (1 hidden fix can be enabled with `--unsafe-fixes`).',
        '',
      ].join('\n'),
    );
  });

  test('counts the files that were not analysed in the summary; stderr lists them', async () => {
    const run = await runCli(['check', '--format', 'concise'], { cwd: makeProject(NOT_ANALYSED_PROJECT) });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /\nFound \d+ hazards?\. 1 file was not analysed \(listed above\)\.\n/);
    assert.match(run.stderr, /^error: bad\.py: not analysed: not valid UTF-8/m);
  });

  test('an explanation stays out of the one line', () => {
    const output = formatConcise(formatResults([formatHazard({ explanation: 'Two requests interleave.' })]), paletteFor(false), { summary: false });
    assert.equal(output.split('\n').length, 2);
    assert.doesNotMatch(output, /interleave\./);
  });
});

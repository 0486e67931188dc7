import assert from 'node:assert/strict';
import { basename, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { PositionEncoding, Workspace, type Diagnostic } from '@astral-sh/ruff-wasm-nodejs';
import type { Hazard } from '../core/hazard';
import { analyzeText } from '../../test/support/analyze';
import { analyzeProject, pythonFiles } from '../../test/support/analyze-project';
import { FIXTURES_ROOT, fixtureFiles, readFixture } from '../../test/support/fixture-expectations';
import { RULES } from '.';

// Interleave must catch every blocking call Ruff's flake8-async port catches. Ruff (its npm wasm
// build, pinned as a devDependency) runs its ASYNC rules over every fixture of the blocking family
// and over the IL202 package; each line it flags with a blocking-call rule (ASYNC2xx — the ASYNC1xx
// rules are about cancellation checkpoints, ASYNC3xx about tasks) must carry an Interleave finding,
// or be named in one as related information (IL201 reports a function's blocking calls together),
// unless it is one of the deliberate differences below.

/**
 * Calls Ruff's ASYNC240 flags that touch no file system, which Interleave leaves alone on purpose:
 * on real code they were reported as blocking and judged wrong. Each must stay unflagged.
 */
const DELIBERATE_DIFFERENCES: readonly { call: RegExp; reason: string }[] = [
  { call: /os\.path\.(abspath|relpath)\(/, reason: 'string work on the path, at most with the working directory, which the process keeps in memory' },
  { call: /os\.path\.normpath\(/, reason: 'string work on the path' },
  { call: /os\.path\.expanduser\(|\.(expanduser|home)\(\)/, reason: 'reads `HOME` from the environment (the password database only when it is unset)' },
  { call: /time\.sleep\(0(\.00\d*)?\)/, reason: 'a literal pause under 10 ms (a deliberate yield) stalls nothing anyone waits on' },
  { call: /\.(absolute|cwd)\(\)/, reason: 'asks for the working directory, which the process keeps in memory' },
  { call: /# OK: (startup|shutdown)\b/, reason: 'startup and shutdown stall no request; reported with `preview = true`' },
  { call: /# OK: metadata lookups alone\b/, reason: 'a function whose only blocking calls ask for metadata the OS keeps cached; reported with `preview = true`' },
  { call: /# OK: (after `raise`|never runs|the loop never starts|only reached under a constant|TYPE_CHECKING is False)/, reason: 'code no path reaches (after `raise`, under `if False:`, `if TYPE_CHECKING:` or a module constant) never runs' },
];

const BLOCKING_RULES = RULES.filter((rule) => rule.meta.family === 'blocking');
const BLOCKING_CODES = BLOCKING_RULES.map((rule) => rule.meta.code);
const RUFF_BLOCKING_CODE = /^ASYNC2\d\d$/;
const PACKAGE = join(FIXTURES_ROOT, 'projects', 'blocking-chain');

function ruffLines(workspace: Workspace, source: string): Set<number> {
  const diagnostics = workspace.check(source) as Diagnostic[];
  return new Set(diagnostics.filter((d) => d.code && RUFF_BLOCKING_CODE.test(d.code)).map((d) => d.start_location.row));
}

/** Interleave's blocking findings by file: line (1-based) of a finding or of its related information in that file → codes. */
async function interleaveFindings(): Promise<Map<string, Map<number, string[]>>> {
  const findings = new Map<string, Map<number, string[]>>();
  const record = (path: string, hazards: readonly Hazard[]) => {
    const lines = new Map<number, string[]>();
    for (const hazard of hazards) {
      const related = hazard.related.filter((note) => note.path === path).map((note) => note.range.start.line + 1);
      for (const line of [hazard.range.start.line + 1, ...related]) lines.set(line, [...(lines.get(line) ?? []), hazard.code]);
    }
    findings.set(path, lines);
  };
  for (const rule of BLOCKING_RULES) {
    for (const file of fixtureFiles('python', rule.meta.name)) {
      // Preview fixtures (`preview_startup_and_shutdown.py`) are checked as the fixture test checks them.
      const report = await analyzeText(readFixture(file), { path: file, settings: { select: BLOCKING_CODES, ...(basename(file).startsWith('preview') && { preview: true }) } });
      record(file, report.hazards);
    }
  }
  for (const [file, report] of await analyzeProject(PACKAGE, { settings: { select: BLOCKING_CODES } })) record(file, report.hazards);
  return findings;
}

describe('Ruff superset', () => {
  it('runs the pinned Ruff', () => {
    assert.equal(Workspace.version(), '0.17.3');
  });

  it("flags every line Ruff's blocking-call rules flag in the blocking fixtures", async (t) => {
    const workspace = new Workspace({ lint: { select: ['ASYNC'] } }, PositionEncoding.Utf8);
    const findings = await interleaveFindings();
    assert.deepEqual(
      [...findings.keys()].sort(),
      [...BLOCKING_RULES.flatMap((rule) => fixtureFiles('python', rule.meta.name)), ...pythonFiles(PACKAGE)].sort(),
    );
    const missed: string[] = [];
    const differences: string[] = [];
    const beyondRuff = new Map<string, number>(BLOCKING_CODES.map((code) => [code, 0]));
    let ruffTotal = 0;
    for (const [file, lines] of findings) {
      const source = readFixture(file);
      const text = source.split(/\r?\n/);
      const flaggedByRuff = ruffLines(workspace, source);
      ruffTotal += flaggedByRuff.size;
      for (const line of flaggedByRuff) {
        const where = `${relative(FIXTURES_ROOT, file)}:${line}`;
        const difference = DELIBERATE_DIFFERENCES.find(({ call }) => call.test(text[line - 1]!));
        if (difference) {
          assert.ok(!lines.has(line), `${where} is a deliberate difference from Ruff (${difference.reason}), yet Interleave flags it`);
          differences.push(where);
        } else if (!lines.has(line)) missed.push(where);
      }
      for (const [line, codes] of lines) {
        if (flaggedByRuff.has(line)) continue;
        for (const code of codes) beyondRuff.set(code, beyondRuff.get(code)! + 1);
      }
    }
    assert.deepEqual(missed, [], 'lines Ruff flags and Interleave does not');
    assert.ok(ruffTotal >= 100, `Ruff flagged only ${ruffTotal} lines: the comparison would prove little`);
    assert.ok(differences.length > 0, 'the fixtures show each deliberate difference from Ruff');
    t.diagnostic(
      `Ruff flags ${ruffTotal} lines; Interleave flags all but the ${differences.length} deliberate differences (${differences.join(', ')}) and also: ${[...beyondRuff].map(([code, count]) => `${code} ${count}`).join(', ')}`,
    );
  });
});

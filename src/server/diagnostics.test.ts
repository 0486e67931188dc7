import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { Hazard } from '../core/hazard';
import { hazardDataOf, hazardToDiagnostic } from './diagnostics';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

const race: Hazard = {
  code: 'IL101',
  name: 'await-race',
  severity: 'warning',
  message: '`Counter.value` is read at line 8 …',
  path: '/project/app/main.py',
  range: range(9, 4, 44),
  related: [
    { path: '/project/app/main.py', range: range(7, 20, 40), message: '`Counter.value` read here' },
    { path: '/project/deploy/gunicorn.conf.py', range: range(0, 0, 11), message: '4 worker processes configured here' },
  ],
  fix: { applicability: 'unsafe', message: 'Hold `counter_lock`', edits: [{ range: range(7, 0, 0), newText: '    async with counter_lock:\n' }] },
};

const uriOf = (path: string) => (path === '/project/app/main.py' ? 'untitled:Untitled-1' : `file://${path}`);

describe('hazard to diagnostic', () => {
  test('carries the code, its documentation link, the source and the range', () => {
    const diagnostic = hazardToDiagnostic(race, { version: 7, uriOf });
    assert.equal(diagnostic.code, 'IL101');
    assert.equal(diagnostic.source, 'interleave');
    assert.equal(diagnostic.codeDescription?.href, 'https://github.com/interleave-dev/interleave/blob/main/docs/rules/IL101.md');
    assert.deepEqual(diagnostic.range, race.range);
    assert.equal(diagnostic.message, race.message);
    assert.equal(diagnostic.tags, undefined);
  });

  test('maps every severity', () => {
    const severities = (['error', 'warning', 'info', 'hint'] as const).map(
      (severity) => hazardToDiagnostic({ ...race, severity }, { uriOf }).severity,
    );
    assert.deepEqual(severities, [DiagnosticSeverity.Error, DiagnosticSeverity.Warning, DiagnosticSeverity.Information, DiagnosticSeverity.Hint]);
  });

  test('turns related locations into related information, in this document or another file', () => {
    const { relatedInformation } = hazardToDiagnostic(race, { uriOf });
    assert.deepEqual(relatedInformation, [
      { location: { uri: 'untitled:Untitled-1', range: range(7, 20, 40) }, message: '`Counter.value` read here' },
      { location: { uri: 'file:///project/deploy/gunicorn.conf.py', range: range(0, 0, 11) }, message: '4 worker processes configured here' },
    ]);
    assert.equal(hazardToDiagnostic({ ...race, related: [] }, { uriOf }).relatedInformation, undefined);
  });

  test('tags deprecated startup hooks as deprecated', () => {
    const hook = hazardToDiagnostic({ ...race, code: 'IL303', name: 'deprecated-startup-hook', severity: 'info' }, { uriOf });
    assert.deepEqual(hook.tags, [DiagnosticTag.Deprecated]);
  });

  test('round-trips the fix and the version through data, and rejects data it did not write', () => {
    const diagnostic = hazardToDiagnostic(race, { version: 3, uriOf });
    const sent = JSON.parse(JSON.stringify(diagnostic));
    assert.deepEqual(hazardDataOf(sent), { version: 3, fix: race.fix });
    assert.equal(hazardDataOf({ ...sent, source: 'ruff' }), undefined);
    assert.deepEqual(hazardDataOf({ ...sent, data: { version: 'x', fix: { applicability: 'safe', message: 'm', edits: [{ newText: 1 }] } } }), {
      version: undefined,
      fix: undefined,
    });
  });
});

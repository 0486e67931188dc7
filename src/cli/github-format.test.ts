import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HEADLINE_LENGTH } from '../core/headline';
import { makeProject, runCli, SEED_RACE } from '../../test/support/cli';
import { formatHazard, formatResults } from '../../test/support/hazards';
import { escapeData, escapeProperty, formatGithub } from './github-format';

describe('--format github', () => {
  test('escapes %, CR and LF in messages, and also : and , in properties', () => {
    assert.equal(escapeData('100% sure\r\nnext: a, b'), '100%25 sure%0D%0Anext: a, b');
    assert.equal(escapeProperty('dir,with:odd%name\n'), 'dir%2Cwith%3Aodd%25name%0A');
  });

  test('one annotation per hazard, with the level from its severity', () => {
    const output = formatGithub(
      formatResults([
        formatHazard({ message: 'line one\nline two: 50%' }),
        formatHazard({ code: 'IL404', name: 'loop-reentry', severity: 'error' }),
        formatHazard({ code: 'IL103', name: 'per-process-state', severity: 'info' }),
        formatHazard({ code: 'IL103', name: 'per-process-state', severity: 'hint' }),
      ]),
    );
    const lines = output.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(
      lines[0],
      '::warning file=app/main.py,line=7,endLine=7,col=5,endColumn=16,title=IL101 (await-race)::line one%0Aline two: 50%25',
    );
    assert.match(lines[1]!, /^::error file=.*title=IL404 \(loop-reentry\)::/);
    assert.match(lines[2]!, /^::notice /);
    assert.match(lines[3]!, /^::notice /);
  });

  test('puts the explanation under the message', () => {
    const output = formatGithub(formatResults([formatHazard({ message: 'Short headline', explanation: 'Why: 100% lost.' })]));
    assert.match(output, /::Short headline%0A%0AWhy: 100%25 lost\.\n$/);
  });

  test('end to end: the seed race becomes a warning annotation and exit status 1', async () => {
    const root = makeProject({ 'src/app.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'github', '--select', 'IL101'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^::warning file=src\/app\.py,line=10,endLine=10,col=5,endColumn=45,title=IL101 \(await-race\)::`RequestCounter\.count` is read/);
    const message = run.stdout.slice(run.stdout.indexOf('::', 2) + 2);
    assert.ok(message.split('%0A')[0]!.length <= HEADLINE_LENGTH, 'a headline, then the explanation');
    assert.match(message, /%0A%0A.*a concurrent request's update in between is lost/);
  });
});

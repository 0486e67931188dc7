import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeProject, runCli, SEED_RACE } from '../../test/support/cli';
import { formatHazard, formatResults } from '../../test/support/hazards';
import { colorEnabled, paletteFor } from './terminal-style';
import { formatText } from './text-format';

const plain = paletteFor(false);

describe('--format text', () => {
  test('prints a Ruff-style header, a code frame with carets, notes, help and a summary', () => {
    assert.equal(
      formatText(formatResults(), plain, { summary: true }),
      [
        'app/main.py:7:5: IL101 [await-race] TOTALS["🍕"] is read at line 5, the coroutine yields at line 6, and line 7 writes from the stale read.',
        '  |',
        '5 |     before = TOTALS["🍕"]',
        '6 |     await asyncio.sleep(0)',
        '7 |     TOTALS["🍕"] = before + 1',
        '  |     ^^^^^^^^^^^ IL101',
        '8 |',
        '  |',
        '  = note: app/main.py:5:14: read here',
        '  = note: app/main.py:6:5: suspends here',
        '  = help: Hold `totals_lock` from the read to the write (unsafe fix)',
        '',
        'Found 1 hazard.',
        'No fixes available (1 hidden fix can be enabled with `--unsafe-fixes`).',
        '',
      ].join('\n'),
    );
  });

  test('shows a finding’s explanation under its code frame', () => {
    const hazard = formatHazard({ explanation: 'Two requests read 41.\nUse a lock.', related: [], fix: undefined });
    const output = formatText(formatResults([hazard]), plain, { summary: false });
    assert.match(output, /\^ IL101\n8 \|\n {2}\|\n {2}Two requests read 41\.\n {2}Use a lock\.\n\n$/);
  });

  test('underlines every line of a multi-line range', () => {
    const hazard = formatHazard({
      range: { start: { line: 3, character: 0 }, end: { line: 6, character: 10 } },
      related: [],
      fix: undefined,
    });
    const frame = formatText(formatResults([hazard]), plain, { summary: false });
    assert.match(frame, /4 \| async def order\(\):\n {2}\| \^{18}\n5 \| {5}before/);
    assert.match(frame, /7 \| {5}TOTALS\["🍕"\] = before \+ 1\n {2}\| \^{10} IL101\n/);
  });

  test('expands tabs so carets stay under the code', () => {
    const hazard = formatHazard({ range: { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, related: [], fix: undefined });
    const results = formatResults([hazard], 'x\n\ty = 1\n');
    assert.match(formatText(results, plain, { summary: false }), /2 \| {5}y = 1\n {2}\| {5}\^ IL101/);
  });

  test('colours only a terminal, honouring NO_COLOR and FORCE_COLOR', () => {
    assert.equal(colorEnabled({ isTTY: true }, {}), true);
    assert.equal(colorEnabled({ isTTY: false }, {}), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' }), true);
    assert.equal(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' }), false);
    assert.equal(colorEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
  });

  test('end to end: paths relative to the working directory, ANSI colour only when forced', async () => {
    const root = makeProject({ 'app/main.py': SEED_RACE });
    const piped = await runCli(['check', '--select', 'IL101'], { cwd: root });
    assert.ok(!piped.stdout.includes('\x1b['));
    assert.match(piped.stdout, /^app\/main\.py:10:5: IL101 \[await-race\]/);
    const forced = await runCli(['check', '--select', 'IL101'], { cwd: `${root}/app`, env: { FORCE_COLOR: '1' } });
    assert.ok(forced.stdout.includes('\x1b['));
    assert.match(forced.stdout, /main\.py/);
  });
});

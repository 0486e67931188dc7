import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BLOCKING_HANDLERS as HANDLERS, makeProject, NEW_BLOCKING_HANDLER as NEW_HANDLER, runCli } from '../../test/support/cli';

describe('interleave check --suppress-all and interleave-suppressions.json', () => {
  test('records every finding; later runs pass until a new one appears, which alone is reported, wherever lines moved', async () => {
    const root = makeProject({ 'app/main.py': HANDLERS, 'app/other.py': HANDLERS });
    const first = await runCli(['check', '--suppress-all'], { cwd: root });
    assert.equal(first.status, 0);
    assert.match(first.stderr, /^Recorded 2 hazards in interleave-suppressions\.json; later runs report only new ones\.\n$/);
    const recorded = JSON.parse(readFileSync(join(root, 'interleave-suppressions.json'), 'utf8')) as { version: number; files: Record<string, Record<string, { count: number }>> };
    assert.equal(recorded.version, 1);
    assert.deepEqual(Object.keys(recorded.files), ['app/main.py', 'app/other.py']);
    assert.equal(recorded.files['app/main.py']!.IL201!.count, 1);

    const clean = await runCli(['check'], { cwd: root });
    assert.deepEqual([clean.status, clean.stdout], [0, 'No hazards found.\n2 hazards recorded in interleave-suppressions.json not shown.\n']);

    // Lines added above move the old finding; a new handler adds one of the same rule in the same file.
    writeFileSync(join(root, 'app/main.py'), `"""Docs."""\n\n${HANDLERS}${NEW_HANDLER}`);
    const run = await runCli(['check', '--format', 'concise'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^app\/main\.py:17:5: IL201 .*`async def b`/);
    assert.match(run.stdout, /\nFound 1 hazard\.\n2 hazards recorded in interleave-suppressions\.json not shown\.\n/);
  });

  test('--prune-suppressions drops what was fixed and files that are gone; until then, a note says so', async () => {
    const root = makeProject({ 'app/main.py': HANDLERS, 'app/gone.py': HANDLERS });
    await runCli(['check', '--suppress-all'], { cwd: root });
    rmSync(join(root, 'app/gone.py'));
    writeFileSync(join(root, 'app/main.py'), HANDLERS.replace('time.sleep(1)', 'pass'));
    const noted = await runCli(['check'], { cwd: root });
    assert.equal(noted.status, 0);
    assert.match(noted.stderr, /1 hazard recorded in interleave-suppressions\.json no longer occurs; `--prune-suppressions` drops it/);
    assert.match(noted.stderr, /names 1 file that no longer exists \(app\/gone\.py\)/);
    const pruned = await runCli(['check', '--prune-suppressions'], { cwd: root });
    assert.match(pruned.stderr, /Dropped 2 suppressions that no longer occur/);
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'interleave-suppressions.json'), 'utf8')), { version: 1, files: {} });
  });

  test('a malformed or newer suppressions file stops the run with exit 2, and is not overwritten', async () => {
    const root = makeProject({ 'app/main.py': HANDLERS, 'interleave-suppressions.json': '{"version": 1, "files": ' });
    for (const argv of [['check'], ['check', '--suppress-all']]) {
      const run = await runCli(argv, { cwd: root });
      assert.equal(run.status, 2, argv.join(' '));
      assert.match(run.stderr, /^error: .*interleave-suppressions\.json is not valid JSON/);
    }
    assert.equal(readFileSync(join(root, 'interleave-suppressions.json'), 'utf8'), '{"version": 1, "files": ');
    writeFileSync(join(root, 'interleave-suppressions.json'), '{"version": 9, "files": {}}');
    assert.match((await runCli(['check'], { cwd: root })).stderr, /is version 9, and this Interleave reads version 1: upgrade Interleave/);
  });

  test('a suppressions file that is a named pipe is refused, not waited on', async () => {
    const root = makeProject({ 'app/main.py': HANDLERS });
    execFileSync('mkfifo', [join(root, 'interleave-suppressions.json')]);
    const run = await runCli(['check'], { cwd: root });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /interleave-suppressions\.json: cannot be read \(a named pipe, not a regular file\)/);
  });

  test('lives beside the configuration file, so checking from a subdirectory finds it', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.interleave]\n', 'app/main.py': HANDLERS });
    await runCli(['check', '--suppress-all'], { cwd: root });
    const run = await runCli(['check', '.'], { cwd: join(root, 'app') });
    assert.equal(run.status, 0, run.stdout);
    assert.match(run.stdout, /1 hazard recorded/);
  });

  test('a file that could not be analysed keeps what the file records for it, through --suppress-all and --prune-suppressions', async () => {
    const root = makeProject({ 'app/main.py': HANDLERS, 'app/other.py': HANDLERS });
    await runCli(['check', '--suppress-all'], { cwd: root });
    const recorded = readFileSync(join(root, 'interleave-suppressions.json'), 'utf8');
    writeFileSync(join(root, 'app/other.py'), Buffer.from(`${HANDLERS}# caf\xe9\n`, 'latin1'));
    for (const flag of ['--suppress-all', '--prune-suppressions']) {
      const run = await runCli(['check', flag], { cwd: root });
      assert.equal(run.status, 1, flag);
      assert.match(run.stderr, /error: app\/other\.py: not analysed: not valid UTF-8/);
      assert.equal(readFileSync(join(root, 'interleave-suppressions.json'), 'utf8'), recorded, flag);
    }
  });
});

/** `check --watch` through the bundled bin: files edited, added, deleted and renamed while it runs. */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { BLOCKING_MODULE as BLOCKING, CLEAN_MODULE, makeProject } from '../../test/support/cli';

const repository = join(__dirname, '..', '..');

/** `helper` blocks: a coroutine in another module that calls it is reported (IL202) only while it does. */
const HELPER_BLOCKS = 'import time\n\n\ndef helper():\n    time.sleep(1)\n';
const HELPER_IS_FINE = 'def helper():\n    return 1\n';
const CALLER = 'from app.helpers import helper\n\n\nasync def handler():\n    helper()\n';

/** The watch's output, and a way to wait for what it prints next. */
function startWatch(cwd: string) {
  const child = spawn(process.execPath, [join(repository, 'dist', 'cli.js'), 'check', '--watch', '--format', 'concise', '--no-progress'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  /** The next report that ends in "Watching", after `from` characters of output. */
  const nextReport = async (from: number): Promise<string> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const end = stdout.indexOf('Watching for changes', from);
      if (end >= 0) return stdout.slice(from, stdout.indexOf('\n', end) + 1);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
    throw new Error(`no report after ${from}:\n${stdout}\n${stderr}`);
  };
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  return { nextReport, stop, output: () => stdout };
}

describe('interleave check --watch', { timeout: 180_000 }, () => {
  before(() => {
    execFileSync(process.execPath, [join(repository, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  });

  test('re-checks edited, new, deleted and renamed files, and cross-file findings when a helper changes', async () => {
    const root = makeProject({ 'app/__init__.py': '', 'app/main.py': CLEAN_MODULE, 'app/helpers.py': HELPER_BLOCKS, 'app/routes.py': CALLER });
    const watch = startWatch(root);
    try {
      let report = await watch.nextReport(0);
      assert.match(report, /Started: checked 4 files\./);
      assert.match(report, /app\/routes\.py:5:5: IL202 /);

      let from = watch.output().length;
      writeFileSync(join(root, 'app/main.py'), BLOCKING);
      report = await watch.nextReport(from);
      assert.match(report, /Changed main\.py: checked 1 file\./);
      assert.match(report, /app\/main\.py:5:5: IL201 /);
      assert.match(report, /Found 2 hazards\./);

      // What other modules see of the helper changes: its caller is checked again too.
      from = watch.output().length;
      writeFileSync(join(root, 'app/helpers.py'), HELPER_IS_FINE);
      report = await watch.nextReport(from);
      assert.doesNotMatch(report, /IL202/);
      assert.match(report, /Found 1 hazard\./);

      from = watch.output().length;
      renameSync(join(root, 'app/main.py'), join(root, 'app/renamed.py'));
      report = await watch.nextReport(from);
      assert.match(report, /1 gone/);
      assert.match(report, /app\/renamed\.py:5:5: IL201 /);
      assert.doesNotMatch(report, /app\/main\.py/);

      from = watch.output().length;
      rmSync(join(root, 'app/renamed.py'));
      report = await watch.nextReport(from);
      assert.match(report, /No hazards found\./);
    } finally {
      assert.equal(await watch.stop(), 0);
    }
  });
});

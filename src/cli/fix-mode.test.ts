import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeProject, runCli } from '../../test/support/cli';
import { analyzePython, loadPythonParser } from '../python/frontend';

/** Two blocking sleeps in one function: one finding, whose safe fix replaces both and imports asyncio once. */
const SLEEPS = `import time
from fastapi import FastAPI

app = FastAPI()


@app.get("/a")
async def a():
    time.sleep(1)
    time.sleep(2)
    return {}
`;

const SLEEPS_FIXED = `import time
from fastapi import FastAPI
import asyncio

app = FastAPI()


@app.get("/a")
async def a():
    await asyncio.sleep(1)
    await asyncio.sleep(2)
    return {}
`;

/** A lost update, whose fix (a lock around the read and the write) is unsafe; indented with tabs. */
const RACE_WITH_TABS = 'import asyncio\nfrom fastapi import FastAPI\n\napp = FastAPI()\nCOUNTS = {"n": 0}\n\n\n@app.get("/b")\nasync def b():\n\tcurrent = COUNTS["n"]\n\tawait asyncio.sleep(0)\n\tCOUNTS["n"] = current + 1\n\treturn {}\n';

async function parses(text: string): Promise<boolean> {
  await loadPythonParser();
  return analyzePython(text, '/t.py', 't').facts.syntaxErrors.length === 0;
}

describe('interleave check --fix', () => {
  test('applies the safe fixes in rounds, writes the file and exits 0 when nothing remains', async () => {
    const root = makeProject({ 'app.py': SLEEPS });
    const run = await runCli(['check', '--fix', '--show-fixes'], { cwd: root });
    assert.equal(readFileSync(join(root, 'app.py'), 'utf8'), SLEEPS_FIXED);
    assert.match(run.stdout, /^Fixed 1 hazard:\n- app\.py:\n {4}1 × IL201 \(blocking-call\)\n/);
    assert.match(run.stdout, /Found 1 hazard \(1 fixed, 0 remaining\)\.\n$/);
    assert.equal(run.status, 0);
    // Fixing the fixed file again changes nothing.
    assert.match((await runCli(['check', '--fix'], { cwd: root })).stdout, /^No hazards found\.\n$/);
    assert.equal(readFileSync(join(root, 'app.py'), 'utf8'), SLEEPS_FIXED);
  });

  test('leaves unsafe fixes alone unless asked, and the exit status says what remains', async () => {
    const root = makeProject({ 'app.py': RACE_WITH_TABS });
    const safeOnly = await runCli(['check', '--fix', '--select', 'IL101'], { cwd: root });
    assert.equal(safeOnly.status, 1);
    assert.equal(readFileSync(join(root, 'app.py'), 'utf8'), RACE_WITH_TABS);
    assert.match(safeOnly.stdout, /No fixes available \(1 hidden fix can be enabled with `--unsafe-fixes`\)/);

    const unsafe = await runCli(['check', '--fix', '--unsafe-fixes', '--select', 'IL101'], { cwd: root });
    assert.equal(unsafe.status, 0, unsafe.stdout + unsafe.stderr);
    const fixed = readFileSync(join(root, 'app.py'), 'utf8');
    assert.match(fixed, /\tasync with counts_lock:\n\t\tcurrent = COUNTS\["n"\]\n/);
    // Tabs stay tabs: the new block is indented the way the file is.
    for (const line of fixed.split('\n')) assert.match(line, /^\t*(?! )/, `indented with tabs only: ${JSON.stringify(line)}`);
    assert.ok(await parses(fixed));
  });

  test('--diff prints a unified diff, writes nothing, and exits 1 only when there is a fix', async () => {
    const root = makeProject({ 'app.py': SLEEPS });
    const run = await runCli(['check', '--diff'], { cwd: root });
    assert.equal(run.status, 1);
    assert.equal(readFileSync(join(root, 'app.py'), 'utf8'), SLEEPS);
    assert.match(run.stdout, /^--- a\/app\.py\n\+\+\+ b\/app\.py\n@@ -1,11 \+1,12 @@\n/);
    assert.match(run.stdout, /\n- {4}time\.sleep\(1\)\n- {4}time\.sleep\(2\)\n\+ {4}await asyncio\.sleep\(1\)\n/);
    assert.equal(run.stderr, 'Would fix 1 hazard.\n');
    const clean = await runCli(['check', '--diff'], { cwd: makeProject({ 'ok.py': 'x = 1\n' }) });
    assert.deepEqual([clean.status, clean.stdout], [0, '']);
  });

  test('keeps CRLF line endings and a byte order mark, including in the lines a fix adds', async () => {
    const crlf = `\uFEFF${SLEEPS.replace(/\n/g, '\r\n')}`;
    const root = makeProject({ 'app.py': crlf });
    const run = await runCli(['check', '--fix'], { cwd: root });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const bytes = readFileSync(join(root, 'app.py'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.toString('utf8'), `\uFEFF${SLEEPS_FIXED.replace(/\n/g, '\r\n')}`);
  });

  test('does not touch a read-only file, says so, and reports its hazards as remaining', async () => {
    const root = makeProject({ 'app.py': SLEEPS });
    const path = join(root, 'app.py');
    chmodSync(path, 0o444);
    const run = await runCli(['check', '--fix'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^error: app\.py: not fixed: it is read-only\n/);
    assert.equal(readFileSync(path, 'utf8'), SLEEPS);
    assert.equal(statSync(path).mode & 0o777, 0o444);
    assert.match(run.stdout, /Found 1 hazard\./);
  });

  test('leaves a file with syntax errors alone', async () => {
    const broken = `${SLEEPS}\ndef (:\n`;
    const root = makeProject({ 'app.py': broken });
    const run = await runCli(['check', '--fix'], { cwd: root });
    assert.match(run.stderr, /app\.py: not fixed: it has syntax errors/);
    assert.equal(readFileSync(join(root, 'app.py'), 'utf8'), broken);
  });

  test('keeps the file mode of a file it writes', async () => {
    const root = makeProject({ 'app.py': SLEEPS });
    chmodSync(join(root, 'app.py'), 0o640);
    await runCli(['check', '--fix'], { cwd: root });
    assert.equal(statSync(join(root, 'app.py')).mode & 0o777, 0o640);
  });
});

// The reproducers, written fresh: each case is bounded, reported, or rejected with a clear
// message — never a hang, a crash or a silent pass.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { resolveConfig } from '../core/config';
import { RULES } from '../rules';
import { CLEAN_MODULE, makeProject, runCli, SEED_RACE } from '../../test/support/cli';
import { FileAnalyzer } from '../workspace/file-analysis';
import { DEFAULT_MAX_FILE_SIZE } from '../workspace/source-file';

const nestedIfs = (depth: number) =>
  `async def handler():\n${Array.from({ length: depth }, (_, level) => `${' '.repeat(level + 1)}if x${level}:\n`).join('')}${' '.repeat(depth + 1)}pass\n`;
const elifChain = (branches: number) =>
  `async def handler(x):\n    if x == 0:\n        y = 0\n${Array.from({ length: branches - 1 }, (_, index) => `    elif x == ${index + 1}:\n        y = ${index + 1}\n`).join('')}`;
const elseIfChain = (branches: number) =>
  `export async function handler(x: number) {\n  let y = 0;\n  if (x === 0) { y = 0; }\n${Array.from({ length: branches - 1 }, (_, index) => `  else if (x === ${index + 1}) { y = ${index + 1}; }\n`).join('')}}\n`;
const chainedHelpers = (count: number) =>
  `import time\n\ndef h0():\n    time.sleep(1)\n\n${Array.from({ length: count - 1 }, (_, index) => `def h${index + 1}():\n    h${index}()\n`).join('\n')}\nasync def handler():\n    h${count - 1}()\n`;

describe('hostile input to `interleave check`', () => {
  test('550 nested ifs, a 20,000-branch elif chain and 20,000 chained helpers are analysed, with findings kept', { timeout: 300_000 }, async () => {
    const root = makeProject({ 'nested.py': nestedIfs(550), 'chain.py': elifChain(20_000), 'helpers.py': chainedHelpers(20_000), 'race.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'json', '--max-file-time', '600s'], { cwd: root });
    const entries = JSON.parse(run.stdout) as { code: string | null; filename: string }[];
    assert.deepEqual(entries.filter((entry) => entry.code === null), [], run.stderr);
    assert.ok(entries.some((entry) => entry.code === 'IL101' && entry.filename.endsWith('race.py')));
  });

  test('a file the TypeScript parser cannot read is listed, in JSON and SARIF, and fails the run', async () => {
    const root = makeProject({ 'at.ts': '@{}await', 'parens.ts': `const x = ${'('.repeat(5_000)}1${')'.repeat(5_000)};\n`, 'chain.ts': elseIfChain(20_000), 'main.py': CLEAN_MODULE });
    const json = await runCli(['check', '--format', 'json'], { cwd: root });
    assert.equal(json.status, 1);
    const entries = JSON.parse(json.stdout) as { code: string | null; name: string; message: string; filename: string }[];
    const listed = entries.filter((entry) => entry.name === 'not-analysed').map((entry) => entry.filename.slice(root.length + 1));
    assert.ok(listed.includes('at.ts') && listed.includes('parens.ts'), json.stdout);
    assert.match(json.stderr, /error: at\.ts: not analysed: the TypeScript parser failed/);
    assert.doesNotMatch(json.stderr, /\n\s+at /, 'no stack trace');
    const sarif = await runCli(['check', '--format', 'sarif'], { cwd: root });
    const [invocation] = (JSON.parse(sarif.stdout) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[] }[] }).runs[0]!.invocations;
    assert.equal(invocation!.executionSuccessful, false);
    assert.equal(invocation!.toolExecutionNotifications.length, listed.length);
    const optedOut = await runCli(['check', '--exit-zero-on-unanalysed'], { cwd: root });
    assert.equal(optedOut.status, 0);
    assert.match(optedOut.stdout, /not analysed/);
  });

  test('a module whose top-level code nests past the stack limit is listed as not analysed, not passed with an empty flow', async () => {
    const root = makeProject({ 'deep.py': `x = ${'f('.repeat(50_000)}1${')'.repeat(50_000)}\n`, 'deep.ts': `f${'()'.repeat(100_000)};\n`, 'race.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'json'], { cwd: root });
    assert.equal(run.status, 1);
    const entries = JSON.parse(run.stdout) as { code: string | null; message: string; filename: string }[];
    const listed = entries.filter((entry) => entry.code === null).map((entry) => `${entry.filename.slice(root.length + 1)}: ${entry.message}`);
    assert.deepEqual(listed, ['deep.py: not analysed: top-level code nested too deeply to analyse', 'deep.ts: not analysed: top-level code nested too deeply to analyse']);
    assert.ok(entries.some((entry) => entry.code === 'IL101' && entry.filename.endsWith('race.py')));
  });

  test('a missing path is reported and the rest is checked; an empty path is a usage error', async () => {
    const root = makeProject({ 'race.py': SEED_RACE });
    const run = await runCli(['check', 'nope.py', 'race.py'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /race\.py:\d+:\d+: IL101/);
    assert.match(run.stderr, /error: nope\.py: not analysed: no such file or directory/);
    const empty = await runCli(['check', ''], { cwd: root });
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /empty path/);
  });

  test('pipes, devices and links out of the tree are not read; a name that is not UTF-8 is reported by its bytes', async () => {
    const root = makeProject({ 'main.py': CLEAN_MODULE });
    execFileSync('mkfifo', [join(root, 'pipe.py')]);
    symlinkSync('/dev/zero', join(root, 'zero.py'));
    symlinkSync('/etc/passwd', join(root, 'passwd.py'));
    writeFileSync(Buffer.from(join(root, 'bad\xff.py'), 'latin1'), 'x = 1\n');
    const walked = await runCli(['check'], { cwd: root });
    assert.match(walked.stderr, /passwd\.py: a symbolic link to \/etc\/passwd, outside the directory checked; not followed/);
    assert.match(walked.stderr, /error: bad\\xff\.py: not analysed: its name is not valid UTF-8/);
    assert.equal(walked.status, 1);
    const named = await runCli(['check', 'pipe.py', 'zero.py'], { cwd: root });
    assert.match(named.stderr, /skipped pipe\.py: a named pipe, not a regular file/);
    assert.match(named.stderr, /skipped zero\.py: a device, not a regular file/);
  });

  test('prototype keys, unknown keys and deep nesting in configuration are errors naming the file and line', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'pyproject.toml': '[tool.interleave]\n"__proto__" = 1\n' }, /pyproject\.toml:2: unknown setting `__proto__`/],
      [{ 'pyproject.toml': '[tool.interleave]\nconstructor = 1\n' }, /pyproject\.toml:2: unknown setting `constructor`/],
      [{ 'interleave.toml': 'toString = 1\n' }, /interleave\.toml:1: unknown setting `toString`/],
      [{ 'package.json': '{"interleave": {"hasOwnProperty": 1}}' }, /package\.json:1: unknown setting `hasOwnProperty`/],
      [{ 'interleave.toml': `select = ${'['.repeat(5_000)}${']'.repeat(5_000)}\n` }, /interleave\.toml:1: arrays or tables nested deeper than/],
      [{ 'package.json': `{"interleave": {"select": ${'['.repeat(5_000)}${']'.repeat(5_000)}}}` }, /package\.json:1: invalid JSON: objects and arrays nested deeper than/],
    ];
    for (const [files, expected] of cases) {
      const run = await runCli(['check'], { cwd: makeProject({ ...files, 'main.py': CLEAN_MODULE }) });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, expected);
    }
  });

  test('an analysis over its time budget is reported as too complex, not waited for', () => {
    const root = makeProject({ 'main.py': SEED_RACE });
    const analyzer = new FileAnalyzer({ config: resolveConfig([], RULES.map((rule) => rule.meta)), project: {}, maxFileSize: DEFAULT_MAX_FILE_SIZE, fileBudgetMs: 0 });
    const outcome = analyzer.check({ path: join(root, 'main.py'), moduleName: 'main' });
    assert.match(outcome.notAnalysed ?? '', /^too complex \(\d+ ms\)$/);
    assert.deepEqual(outcome.hazards, []);
  });
});

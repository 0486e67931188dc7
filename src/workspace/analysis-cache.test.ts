import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { version } from '../../package.json';
import { makeProject, runCli } from '../../test/support/cli';
import { AnalysisCache } from './analysis-cache';

const HELPERS = `import time


def slow_lookup(key):
    time.sleep(1)
    return key
`;

const ROUTES = `from fastapi import FastAPI

from app.helpers import slow_lookup

app = FastAPI()


@app.get("/items/{key}")
async def item(key: str):
    return {"value": slow_lookup(key)}
`;

/** A handler in one module that blocks through a helper in another (IL202): its finding depends on the helper's summary. */
function project(): string {
  return makeProject({ 'app/__init__.py': '', 'app/helpers.py': HELPERS, 'app/routes.py': ROUTES });
}

async function check(root: string, ...flags: string[]): Promise<string> {
  const run = await runCli(['check', '.', '--format', 'json', '--exit-zero', '--threads', '1', ...flags], { cwd: root });
  assert.equal(run.stderr, '');
  return run.stdout;
}

function messages(json: string): string[] {
  return (JSON.parse(json) as { code: string; message: string }[]).map((hazard) => `${hazard.code} ${hazard.message}`);
}

/** The cache as a test reads and writes it: entries of another version can be written by naming it. */
function cacheOf(root: string, entryVersion = version): AnalysisCache {
  return new AnalysisCache({ directory: join(root, '.interleave_cache'), version: entryVersion, runKey: '' });
}

/** Rewrites a file's entry (keeping its key, with a valid checksum) so that its first finding says `message`. */
function plantMessage(root: string, file: string, message: string, entryVersion = version): void {
  const path = join(root, file);
  const entry = cacheOf(root).read(path);
  assert.ok(entry?.findings?.hazards[0], `${file} has cached findings`);
  const [first, ...rest] = entry.findings.hazards;
  cacheOf(root, entryVersion).write(path, { ...entry, findings: { ...entry.findings, hazards: [{ ...first, message }, ...rest] } });
}

describe('the analysis cache', () => {
  it('gives a warm run the same JSON, byte for byte, as a cold one, from the cached findings', async () => {
    const root = project();
    const cold = await check(root);
    assert.deepEqual(messages(cold).map((line) => line.split(' ')[0]), ['IL202']);
    assert.equal(await check(root), cold);
    plantMessage(root, 'app/routes.py', 'from the cache');
    assert.deepEqual(messages(await check(root)), ['IL202 from the cache'], 'an unchanged file reuses its findings');
  });

  it('recomputes an edited file’s findings', async () => {
    const root = project();
    await check(root);
    writeFileSync(join(root, 'app/routes.py'), `${ROUTES}\n\n@app.get("/other")\nasync def other():\n    return {"value": slow_lookup("x")}\n`);
    assert.deepEqual(messages(await check(root)).map((line) => line.split(' ')[0]), ['IL202', 'IL202']);
  });

  it('recomputes every file’s findings when a module’s summary changed, and keeps them when it did not', async () => {
    const root = project();
    await check(root);
    plantMessage(root, 'app/routes.py', 'from the cache');
    writeFileSync(join(root, 'app/helpers.py'), `${HELPERS}# A comment changes the text, not what the module does.\n`);
    assert.deepEqual(messages(await check(root)), ['IL202 from the cache'], 'the helper’s summary is unchanged');
    writeFileSync(join(root, 'app/helpers.py'), HELPERS.replace('    time.sleep(1)\n', ''));
    assert.deepEqual(messages(await check(root)), [], 'the helper no longer blocks, so the handler’s finding is gone');
  });

  it('ignores and rewrites entries that are truncated or corrupt', async () => {
    const root = project();
    const cold = await check(root);
    const entries = join(root, '.interleave_cache', 'files');
    for (const [index, name] of readdirSync(entries).entries()) {
      const file = join(entries, name);
      const bytes = readFileSync(file);
      writeFileSync(file, index % 2 === 0 ? bytes.subarray(0, bytes.length - 7) : Buffer.from(bytes.map((byte, at) => (at === 40 ? byte ^ 1 : byte))));
    }
    assert.equal(await check(root), cold);
    assert.ok(cacheOf(root).read(join(root, 'app/routes.py'))?.findings, 'the entry was written again');
  });

  it('ignores and rewrites entries of another version', async () => {
    const root = project();
    const cold = await check(root);
    plantMessage(root, 'app/routes.py', 'from another version', '0.0.0-other');
    assert.equal(cacheOf(root).read(join(root, 'app/routes.py')), undefined);
    assert.equal(await check(root), cold);
    assert.ok(cacheOf(root).read(join(root, 'app/routes.py')));
  });

  it('never keeps a file that could not be analysed', async () => {
    const root = makeProject({ 'app/routes.py': ROUTES, 'app/latin1.py': Buffer.from('name = "caf\xe9"\n', 'latin1') });
    const run = await runCli(['check', '.', '--format', 'json', '--exit-zero', '--threads', '1'], { cwd: root });
    assert.match(run.stderr, /latin1\.py/);
    assert.ok(cacheOf(root).read(join(root, 'app/routes.py')));
    assert.equal(existsSync(cacheOf(root).fileOf(join(root, 'app/latin1.py'))), false);
  });

  it('writes nothing with --no-cache', async () => {
    const root = project();
    await check(root, '--no-cache');
    assert.deepEqual(readdirSync(root).sort(), ['app']);
  });

  it('lives where --cache-dir or the cache-dir setting says', async () => {
    const root = project();
    await check(root, '--cache-dir', 'elsewhere');
    assert.ok(existsSync(join(root, 'elsewhere', 'CACHEDIR.TAG')));
    writeFileSync(join(root, 'interleave.toml'), 'cache-dir = "configured"\n');
    await check(root);
    assert.ok(existsSync(join(root, 'configured', 'CACHEDIR.TAG')));
    assert.equal(existsSync(join(root, '.interleave_cache')), false);
  });

  it('stays whole when two runs fill it at once', async () => {
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`app/routes_${index}.py`, ROUTES]));
    const root = makeProject({ 'app/__init__.py': '', 'app/helpers.py': HELPERS, ...files });
    const cold = await check(root, '--no-cache');
    const main = join(__dirname, '..', 'cli', 'main.ts');
    const args = ['--require', require.resolve('tsx/cjs'), main, 'check', '.', '--format', 'json', '--exit-zero', '--threads', '1'];
    const runs = await Promise.all([0, 1].map(() => promisify(execFile)(process.execPath, args, { cwd: root, encoding: 'utf8' })));
    assert.deepEqual(runs.map((run) => run.stdout), [cold, cold]);
    assert.deepEqual(readdirSync(join(root, '.interleave_cache', 'files')).filter((name) => name.endsWith('.tmp')), []);
    for (const name of Object.keys(files)) assert.ok(cacheOf(root).read(join(root, name))?.findings, name);
    assert.equal(await check(root), cold);
  });

  it('runs without a cache, saying so once, when its directory cannot be made', async () => {
    const root = project();
    const cold = await check(root, '--no-cache');
    writeFileSync(join(root, 'taken'), 'a file where the cache directory would go\n');
    const run = await runCli(['check', '.', '--format', 'json', '--exit-zero', '--threads', '1', '--cache-dir', 'taken'], { cwd: root });
    assert.equal(run.stdout, cold);
    assert.equal(run.stderr.match(/warning: running without a cache: cannot use taken \(/g)?.length, 1, run.stderr);
  });

  it('is ignored by git through its own .gitignore, and tagged as a cache directory', async () => {
    const root = project();
    execFileSync('git', ['init', '--quiet'], { cwd: root });
    await check(root);
    assert.equal(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' }).includes('.interleave_cache'), false);
    assert.match(readFileSync(join(root, '.interleave_cache', 'CACHEDIR.TAG'), 'utf8'), /^Signature: 8a477f597d28d172789f06886806bc55/);
  });
});

import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLEAN_MODULE, makeProject, runCli, SEED_RACE } from '../../test/support/cli';
import { DEFAULT_MAX_FILE_SIZE } from '../workspace/source-file';

describe('interleave check: exit status', () => {
  test('0 when nothing is found', async () => {
    const root = makeProject({ 'app/main.py': CLEAN_MODULE });
    const run = await runCli(['check'], { cwd: root });
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'No hazards found.\n');
    assert.equal(run.stderr, '');
  });

  test('1 when hazards are found, with the seed race reported at its write', async () => {
    const root = makeProject({ 'app/main.py': SEED_RACE });
    const run = await runCli(['check', '--select', 'IL101'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^app\/main\.py:10:5: IL101 \[await-race\] `RequestCounter\.count` is read at line 8/);
    assert.match(run.stdout, /Found 1 hazard\.\nNo fixes available \(1 hidden fix can be enabled with `--unsafe-fixes`\)\.\n$/);
  });

  test('0 with --exit-zero even when hazards are found', async () => {
    const root = makeProject({ 'main.py': SEED_RACE });
    const run = await runCli(['check', '--exit-zero'], { cwd: root });
    assert.equal(run.status, 0);
    assert.match(run.stdout, /IL101/);
  });

  test('2 for an unknown option, an unknown format, an empty path or a bad limit', async () => {
    const root = makeProject({ 'main.py': CLEAN_MODULE });
    const calls = [
      ['check', '--colour'],
      ['check', '--format', 'xml'],
      ['check', ''],
      ['lint'],
      ['check', '--max-file-size', 'big'],
      ['check', '--max-file-time', 'soon'],
      ['check', '--threads', '0'],
    ];
    for (const argv of calls) {
      const run = await runCli(argv, { cwd: root });
      assert.equal(run.status, 2, argv.join(' '));
      assert.match(run.stderr, /^error: /, argv.join(' '));
      assert.equal(run.stdout, '');
    }
  });

  test('2 for a configuration file with an unknown key, naming the file and line', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.interleave]\nselect = ["IL1"]\nignores = ["IL103"]\n', 'main.py': SEED_RACE });
    const run = await runCli(['check'], { cwd: root });
    assert.equal(run.status, 2);
    assert.ok(run.stderr.startsWith(`error: ${join(root, 'pyproject.toml')}:3: unknown setting \`ignores\` (known: `), run.stderr);
    assert.equal(run.stdout, '');
  });

  test('2 for a bad severity value in the configuration', async () => {
    const root = makeProject({ 'interleave.toml': '[severity]\nIL101 = "fatal"\n', 'main.py': SEED_RACE });
    const run = await runCli(['check'], { cwd: root });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /interleave\.toml:2: severity of `IL101` must be one of "error", "warning", "info", "hint"/);
  });

  test('2 for an unknown selector, in the file or on the command line', async () => {
    const root = makeProject({ 'interleave.toml': 'ignore = ["IL999"]\n', 'main.py': SEED_RACE });
    const inFile = await runCli(['check'], { cwd: root });
    assert.equal(inFile.status, 2);
    assert.match(inFile.stderr, /interleave\.toml:1: unknown rule selector `IL999`/);
    const onCommandLine = await runCli(['check', '--config', 'interleave.toml', '--extend-select', 'await-rcae'], { cwd: makeProject({ 'interleave.toml': '' }) });
    assert.equal(onCommandLine.status, 2);
    assert.match(onCommandLine.stderr, /unknown rule selector `await-rcae` in --extend-select/);
  });
});

describe('interleave check: rule selection', () => {
  test('the command line overrides the configuration file, as in Ruff', async () => {
    const root = makeProject({ 'interleave.toml': 'select = ["IL103"]\nworkers = 2\n', 'main.py': SEED_RACE });
    const fromFile = await runCli(['check', '--format', 'json'], { cwd: root });
    assert.deepEqual(JSON.parse(fromFile.stdout).map((hazard: { code: string }) => hazard.code), ['IL103']);
    const overridden = await runCli(['check', '--format', 'json', '--select', 'IL101,IL103', '--ignore', 'per-process-state'], { cwd: root });
    assert.deepEqual(JSON.parse(overridden.stdout).map((hazard: { code: string }) => hazard.code), ['IL101']);
    const extended = await runCli(['check', '--format', 'json', '--extend-select', 'await-race'], { cwd: root });
    assert.deepEqual(JSON.parse(extended.stdout).map((hazard: { code: string }) => hazard.code), ['IL103', 'IL101']);
  });

  test('configured severity shows in the output', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.interleave.severity]\nawait-race = "error"\n', 'main.py': SEED_RACE });
    const run = await runCli(['check', '--format', 'json', '--select', 'IL101'], { cwd: root });
    assert.equal(JSON.parse(run.stdout)[0].severity, 'error');
  });
});

describe('interleave check: deployment', () => {
  const perProcessState = async (files: Record<string, string>, argv: string[] = ['check', 'service']) => {
    const run = await runCli([...argv, '--format', 'json', '--select', 'IL103'], { cwd: makeProject(files) });
    return JSON.parse(run.stdout) as { severity: string; message: string; explanation?: string }[];
  };

  test('a worker count in the checked project’s Dockerfile makes per-process state a warning that names it', async () => {
    const [hazard] = await perProcessState({
      'service/Dockerfile': 'FROM python:3.12\nCMD ["uvicorn", "app.main:app", "--workers", "4"]\n',
      'service/app/main.py': SEED_RACE,
    });
    assert.equal(hazard?.severity, 'warning');
    assert.match(hazard!.explanation ?? '', /Dockerfile:2/);
  });

  test('without deployment files it reports only in preview, as info; `workers = 1` in the configuration silences it', async () => {
    assert.deepEqual(await perProcessState({ 'service/app/main.py': SEED_RACE }), []);
    const [hazard] = await perProcessState({ 'service/app/main.py': SEED_RACE }, ['check', 'service', '--preview']);
    assert.equal(hazard?.severity, 'info');
    const silenced = await perProcessState({
      'interleave.toml': 'workers = 1\n',
      'service/Dockerfile': 'CMD ["uvicorn", "app.main:app", "--workers", "4"]\n',
      'service/app/main.py': SEED_RACE,
    });
    assert.deepEqual(silenced, []);
  });
});

describe('interleave check: the project root', () => {
  test('a path inside a repository reads the deployment files at the repository’s root, found by its marker', async () => {
    const root = makeProject({
      'pyproject.toml': '[project]\nname = "shop"\n',
      Dockerfile: 'FROM python:3.12\nCMD ["uvicorn", "app.main:app", "--workers", "3"]\n',
      'app/main.py': SEED_RACE,
    });
    const run = await runCli(['check', 'app', '--format', 'json', '--select', 'IL103'], { cwd: root });
    const [hazard] = JSON.parse(run.stdout) as { severity: string; message: string; explanation?: string }[];
    assert.equal(hazard?.severity, 'warning');
    assert.match(`${hazard!.message} ${hazard!.explanation}`, /Dockerfile:2 runs 3 workers/);
  });
});

describe('interleave check: module names', () => {
  test('a module file hidden by a package of the same name is never loaded: its code is not reported, and imports reach the package', async () => {
    const blockingHelper = 'import time\n\n\ndef load_plugins():\n    time.sleep(5)\n';
    const root = makeProject({
      'app/__init__.py': '',
      'app/plugins.py': `${blockingHelper}\n\nasync def refresh():\n    time.sleep(5)\n`,
      'app/plugins/__init__.py': 'def load_plugins():\n    return []\n',
      'app/main.py': 'from fastapi import FastAPI\n\nfrom app.plugins import load_plugins\n\napp = FastAPI()\n\n\n@app.get("/plugins")\nasync def plugins():\n    return load_plugins()\n',
    });
    const run = await runCli(['check', '--format', 'json', '--select', 'IL201,IL202'], { cwd: root });
    assert.deepEqual(JSON.parse(run.stdout), []);
  });
});

describe('interleave check: files', () => {
  test('honours .gitignore and skips virtualenvs and node_modules', async () => {
    const root = makeProject({
      '.gitignore': 'generated/\n',
      'generated/race.py': SEED_RACE,
      'venv/lib/python3.12/site-packages/lib.py': SEED_RACE,
      'node_modules/x/race.py': SEED_RACE,
      'app/main.py': CLEAN_MODULE,
    });
    const run = await runCli(['check', '--statistics'], { cwd: root });
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Checked 1 file \(5 lines\)/);
  });

  test('configured excludes are relative to the configuration file', async () => {
    const root = makeProject({ 'interleave.toml': 'extend-exclude = ["app/legacy"]\n', 'app/legacy/race.py': SEED_RACE, 'app/main.py': CLEAN_MODULE });
    const run = await runCli(['check', '.'], { cwd: join(root, 'app') });
    assert.equal(run.status, 0, run.stdout);
  });

  test('an explicitly named excluded file is checked unless --force-exclude', async () => {
    const root = makeProject({ 'venv/race.py': SEED_RACE });
    assert.equal((await runCli(['check', 'venv/race.py'], { cwd: root })).status, 1);
    assert.equal((await runCli(['check', '--force-exclude', 'venv/race.py'], { cwd: root })).status, 0);
  });

  test('reports unreadable files on stderr and goes on with the rest', { timeout: 60_000 }, async () => {
    const root = makeProject({
      'a_empty.py': '',
      'b_binary.py': Buffer.from('\0\x01\x02'),
      'c_latin1.py': Buffer.from('s = "\xe9t\xe9"\n', 'latin1'),
      'd_huge.py': `x = 1\n${'#'.repeat(DEFAULT_MAX_FILE_SIZE)}\n`,
      'e_syntax.py': 'def broken(:\n    return ]\n',
      'f_nested.py': `async def f():\n${Array.from({ length: 200 }, (_, depth) => `${'  '.repeat(depth + 1)}while x:\n`).join('')}${'  '.repeat(201)}pass\n`,
      'g_long.py': `async def f():\n${'    y = 2\n'.repeat(10_000)}`,
      'z_race.py': SEED_RACE,
    });
    symlinkSync(root, join(root, 'loop'));
    const run = await runCli(['check', '--select', 'IL101'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^z_race\.py:10:5: IL101/m);
    const warnings = run.stderr.trimEnd().split('\n');
    assert.deepEqual(
      warnings.map((line) => line.replace(/:.*/, '')),
      ['warning', 'warning', 'warning', 'error'],
      run.stderr,
    );
    assert.match(run.stderr, /skipped b_binary\.py: binary file/);
    assert.match(run.stderr, /error: c_latin1\.py: not analysed: not valid UTF-8/);
    assert.match(run.stderr, /skipped d_huge\.py: larger than the 2 MiB limit/);
    assert.match(run.stderr, /e_syntax\.py:1:\d+: syntax error/);
  });

  test('a named file of another type is passed over with a warning', async () => {
    const root = makeProject({ 'notes.txt': 'hello' });
    const run = await runCli(['check', 'notes.txt'], { cwd: root });
    assert.deepEqual(run, { status: 0, stdout: 'No hazards found.\n', stderr: 'warning: notes.txt: not a file type Interleave analyses; skipped\n' });
  });

  test('--max-file-size raises the limit', async () => {
    const root = makeProject({ 'big.py': `x = 1\n${'#'.repeat(3 * 1024 * 1024)}\n` });
    const run = await runCli(['check', '--max-file-size', '4MB'], { cwd: root });
    assert.equal(run.stderr, '');
  });
});

describe('interleave check: --statistics and --quiet', () => {
  test('counts hazards per rule, most frequent first, then throughput', async () => {
    const root = makeProject({ 'a.py': SEED_RACE, 'b.py': SEED_RACE.replaceAll('RequestCounter', 'Other'), 'c.py': CLEAN_MODULE });
    const run = await runCli(['check', '--statistics', '--select', 'IL101'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^2 {2}IL101 {2}await-race\nChecked 3 files \(27 lines\) in \d+\.\d\d s: [\d,]+ files\/s, [\d,]+ lines\/s\.\n$/);
  });

  test('--statistics --format json prints counts as JSON and throughput on stderr', async () => {
    const root = makeProject({ 'interleave.toml': 'workers = 2\nextend-select = ["IL103"]\n', 'a.py': SEED_RACE });
    const run = await runCli(['check', '--statistics', '--format', 'json'], { cwd: root });
    assert.deepEqual(JSON.parse(run.stdout), [
      { code: 'IL101', name: 'await-race', count: 1 },
      { code: 'IL103', name: 'per-process-state', count: 1 },
    ]);
    assert.match(run.stderr, /^Checked 1 file/);
  });

  test('--statistics with sarif is a usage error', async () => {
    const run = await runCli(['check', '--statistics', '--format', 'sarif'], { cwd: makeProject({}) });
    assert.equal(run.status, 2);
  });

  test('--quiet prints hazards without the summary', async () => {
    const root = makeProject({ 'a.py': SEED_RACE, 'b.py': CLEAN_MODULE });
    const run = await runCli(['check', '--quiet', '--select', 'IL101'], { cwd: root });
    assert.doesNotMatch(run.stdout, /Found/);
    assert.equal((await runCli(['check', '-q', 'b.py'], { cwd: root })).stdout, '');
  });

  test('shows progress only on a terminal, and never with --no-progress', async () => {
    const root = makeProject({ 'a.py': CLEAN_MODULE });
    const onTerminal = await runCli(['check'], { cwd: root, stderrIsTTY: true });
    assert.match(onTerminal.stderr, /Checking 1\/1 files/);
    assert.ok(onTerminal.stderr.endsWith('\r\x1b[2K'), 'the progress line is erased');
    assert.equal((await runCli(['check', '--no-progress'], { cwd: root, stderrIsTTY: true })).stderr, '');
    assert.equal((await runCli(['check'], { cwd: root })).stderr, '');
  });
});

describe('interleave check: deployment files', () => {
  const fastapiApp = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

  test('reports a Dockerfile line like a source line, in every format, and names it on the command line too', async () => {
    const root = makeProject({
      'app/main.py': fastapiApp,
      Dockerfile: 'FROM python:3.12-slim\nCOPY . /srv\nCMD ["uvicorn", "app.main:app", "--reload"]\n',
      Procfile: 'web: gunicorn app.main:app\n',
    });
    const run = await runCli(['check', '--select', 'IL601,IL602'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^Dockerfile:3:34: IL602 \[reload-in-production\] `--reload` in the image's start command/m);
    assert.match(run.stdout, /^Procfile:1:1: IL601 \[wsgi-worker-for-asgi\] gunicorn runs `app\.main:app`, a FastAPI app, with the `sync` worker$/m);
    assert.match(run.stdout, /^ {2}Gunicorn's own workers speak WSGI/m, 'the rest of the finding under the code frame');
    const json = JSON.parse((await runCli(['check', '--format', 'json', '--select', 'IL602'], { cwd: root })).stdout) as { filename: string; location: { row: number } }[];
    assert.deepEqual(json.map((hazard) => [hazard.filename, hazard.location.row]), [[join(root, 'Dockerfile'), 3]]);
    assert.match((await runCli(['check', 'Dockerfile', '--select', 'IL602'], { cwd: root })).stdout, /^Dockerfile:3:34: IL602/);
  });

  test('honours suppression comments in deployment files, and skips files for development', async () => {
    const root = makeProject({
      'app/main.py': fastapiApp,
      Dockerfile: 'FROM python:3.12-slim\n# interleave: ignore[IL602] -- demo image\nCMD uvicorn app.main:app --reload\n',
      'docker-compose.override.yml': 'services:\n  api:\n    command: uvicorn app.main:app --reload\n',
      'ci/config.yml': 'steps:\n  - run: uvicorn app.main:app --reload\n',
    });
    const run = await runCli(['check', '--select', 'IL602'], { cwd: root });
    assert.equal(run.stdout, 'No hazards found.\n');
    assert.equal(run.stderr, '');
  });
});

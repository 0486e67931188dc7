import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeText } from '../../test/support/analyze';
import { isDeploymentFile, projectDeployment, projectWorkers, readDeploymentFiles } from './deployment';

const roots: string[] = [];

/** A project directory with the given files, removed after the tests. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'interleave-deployment-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const SESSIONS_APP = `import secrets

from fastapi import FastAPI

app = FastAPI()
SESSIONS: dict[str, str] = {}


@app.post("/login")
async def login(user: str) -> dict:
    token = secrets.token_urlsafe()
    SESSIONS[token] = user
    return {"token": token}
`;

describe('deployment detection', () => {
  it('finds the worker count in gunicorn.conf.py with its line', () => {
    const root = project({
      'gunicorn.conf.py': 'import multiprocessing\n\nbind = "0.0.0.0:8000"\nworkers = 4\nworker_class = "uvicorn.workers.UvicornWorker"\n',
      'app/main.py': SESSIONS_APP,
    });
    const setting = projectWorkers(root).workers;
    assert.equal(setting?.count, 4);
    assert.equal(setting?.source?.path, join(root, 'gunicorn.conf.py'));
    assert.equal(setting?.source?.range.start.line, 3);
    assert.equal(setting?.source?.text, 'workers = 4');
  });

  it('reads the files beside the root before a large tree below it uses up the bound on entries', () => {
    // `app/` sorts before `gunicorn.conf.py`: read depth first, its entries used up the bound first.
    const modules = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`app/domains/d${index}/router.py`, 'x = 1\n']));
    const root = project({ ...modules, 'gunicorn.conf.py': 'workers = 4\n', 'app/domains/d0/Procfile': 'web: gunicorn app.main:app -w 2\n' });
    assert.deepEqual(
      readDeploymentFiles(root, 20).map((file) => file.path.slice(root.length + 1)),
      ['gunicorn.conf.py'],
    );
  });

  it('reads Dockerfiles, compose files, Procfiles, scripts, uvicorn.run and manifests, skipping development files', () => {
    const root = project({
      Dockerfile: 'FROM python:3.12\nCMD ["uvicorn", "app.main:app", "--workers", "2"]\n',
      'docker-compose.yml': 'services:\n  api:\n    build: .\n    command: gunicorn app.main:app -w 3\n',
      'docker-compose.override.yml': 'services:\n  api:\n    command: uvicorn app.main:app --reload --workers 12\n',
      Procfile: 'web: gunicorn app.main:app -w 2\n',
      'scripts/start.sh': '#!/bin/sh\nexec uvicorn app.main:app --workers 2\n',
      'scripts/dev.sh': '#!/bin/sh\nuvicorn app.main:app --workers 10\n',
      'run.py': 'import uvicorn\n\nuvicorn.run("app.main:app", workers=2)\n',
      'deploy/k8s/deployment.yaml': 'kind: Deployment\nspec:\n  replicas: 2\n',
      'node_modules/pkg/start.sh': 'gunicorn -w 64 app:app\n',
      'README.md': 'Run `gunicorn -w 32 app:app`.\n',
    });
    const files = readDeploymentFiles(root).map((file) => [file.path.slice(root.length + 1), file.development] as const);
    assert.deepEqual(
      files.sort(),
      [
        ['Dockerfile', false],
        ['Procfile', false],
        ['deploy/k8s/deployment.yaml', false],
        ['docker-compose.override.yml', true],
        ['docker-compose.yml', false],
        ['run.py', false],
        ['scripts/dev.sh', true],
        ['scripts/start.sh', false],
      ],
    );
    const setting = projectWorkers(root).workers;
    assert.equal(setting?.count, 3);
    assert.equal(setting?.source?.path, join(root, 'docker-compose.yml'));
    assert.equal(setting?.source?.range.start.line, 3);
  });

  it('says nothing for a project without deployment files, and lets the setting override', () => {
    const root = project({ 'app/main.py': SESSIONS_APP, 'gunicorn.conf.py': 'workers = 4\n' });
    assert.equal(projectWorkers(project({ 'app/main.py': SESSIONS_APP })).workers, undefined);
    assert.deepEqual(projectWorkers(root, 1), { workers: { count: 1 } });
    assert.equal(projectWorkers(root).workers?.count, 4);
  });

  it("counts each language's processes apart: a PM2 config says nothing of the Python service beside it", async () => {
    const root = project({
      'api/app/main.py': SESSIONS_APP,
      'api/gunicorn.conf.py': 'workers = 2\n',
      'web/ecosystem.config.cjs': "module.exports = { apps: [{ name: 'web', script: 'dist/server.js', instances: 6 }] };\n",
    });
    const counts = projectWorkers(root);
    assert.equal(counts.workers?.count, 6);
    assert.equal(counts.workersByLanguage?.python?.count, 2);
    assert.equal(counts.workersByLanguage?.typescript?.count, 6);
    const report = await analyzeText(SESSIONS_APP, { project: counts, settings: { select: ['IL103'] } });
    assert.match(report.hazards[0]?.message ?? '', /gunicorn\.conf\.py:1 runs 2 workers/);
    const pm2Only = projectWorkers(project({ 'app/main.py': SESSIONS_APP, 'ecosystem.config.cjs': 'module.exports = { apps: [{ instances: 4 }] };\n' }));
    const python = await analyzeText(SESSIONS_APP, { project: pm2Only, settings: { select: ['IL103'] } });
    assert.deepEqual(python.hazards, [], 'no count for Python processes: per-process state is a preview finding');
  });

  it('escalates per-process state (IL103) to a warning that names gunicorn.conf.py', async () => {
    const root = project({ 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 4\n' });
    const workers = projectWorkers(root).workers;
    const report = await analyzeText(SESSIONS_APP, { project: { workers }, settings: { select: ['IL103'] } });
    assert.equal(report.hazards.length, 1);
    const [hazard] = report.hazards;
    assert.equal(hazard?.severity, 'warning');
    assert.match(hazard?.message ?? '', /gunicorn\.conf\.py:2 runs 4 workers: each has its own `SESSIONS`/);
    assert.ok(hazard?.related.some((related) => related.path === join(root, 'gunicorn.conf.py') && related.range.start.line === 1));

    const quiet = await analyzeText(SESSIONS_APP, { project: projectWorkers(root, 1), settings: { select: ['IL103'] } });
    assert.deepEqual(quiet.hazards, []);
  });

  it('describes a CPU-scaled count in the IL103 message', async () => {
    const root = project({ 'gunicorn.conf.py': 'import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\n' });
    const report = await analyzeText(SESSIONS_APP, { project: { workers: projectWorkers(root).workers }, settings: { select: ['IL103'] } });
    assert.equal(report.hazards[0]?.severity, 'warning');
    assert.match(report.hazards[0]?.message ?? '', /runs `multiprocessing\.cpu_count\(\) \* 2 \+ 1` workers \(scales with the CPUs\): each has its own `SESSIONS`, so a change made on one worker is invisible to the others/);
  });

  it('tells the deployment files the CLI checks from other files, reading YAML only when its name does not say', () => {
    const root = project({
      Dockerfile: 'FROM python\n',
      'k8s/api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec: {}\n',
      '.github/workflows/ci.yml': 'on: push\n',
      'gunicorn.conf.py': 'workers = 2\n',
    });
    assert.deepEqual(
      ['Dockerfile', 'k8s/api.yaml', '.github/workflows/ci.yml', 'gunicorn.conf.py', 'missing.yaml'].map((path) => isDeploymentFile(join(root, path))),
      [true, true, false, false, false],
    );
  });

  it('reads the deployment files once for the worker count and the rules', () => {
    const root = project({ 'gunicorn.conf.py': 'workers = 3\n', Procfile: 'web: gunicorn app:app\n' });
    const { workers, deployment } = projectDeployment(root);
    assert.equal(workers?.count, 3);
    assert.deepEqual(deployment?.map((reading) => reading.path).sort(), [join(root, 'Procfile'), join(root, 'gunicorn.conf.py')]);
    assert.equal(projectDeployment(root, 1).workers?.count, 1);
  });

  it('reads whether gunicorn preloads the app even when the worker count is set', () => {
    const root = project({ 'gunicorn.conf.py': 'workers = 3\npreload_app = True\n' });
    for (const counts of [projectWorkers(root), projectWorkers(root, 1), projectDeployment(root, 1)]) {
      assert.deepEqual(
        counts.preload?.map(({ source, setting }) => [source.path, source.range.start.line, setting]),
        [[join(root, 'gunicorn.conf.py'), 1, 'preload_app = True']],
      );
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeProject, runCli } from '../../test/support/cli';

const PYTHON = `import time
from fastapi import FastAPI

app = FastAPI()


@app.get("/a")
async def a():
    time.sleep(1)
    return {}


@app.get("/b")
async def b():
    time.sleep(2)  # a note of the author's
    return {}
`;

const TYPESCRIPT = `import express from 'express';
import { execSync } from 'node:child_process';

const app = express();

app.get('/version', (req, res) => {
  res.send(execSync('git rev-parse HEAD').toString());
});
`;

const DOCKERFILE = `FROM python:3.12
CMD ["uvicorn", "app.main:app", "--reload"]
`;

describe('interleave check --add-ignore', () => {
  test('writes a comment the parser reads for every finding, in each language, and the next run is clean', async () => {
    const root = makeProject({ 'app/main.py': PYTHON, 'app/__init__.py': '', 'web/server.ts': TYPESCRIPT, Dockerfile: DOCKERFILE });
    const run = await runCli(['check', '--add-ignore'], { cwd: root });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /^Added 4 suppression comments to 3 files\.\n$/);
    assert.equal(
      readFileSync(join(root, 'app/main.py'), 'utf8'),
      PYTHON.replace('    time.sleep(1)\n', '    time.sleep(1)  # interleave: ignore[IL201]\n').replace(
        '    time.sleep(2)  # a note',
        '    # interleave: ignore[IL201]\n    time.sleep(2)  # a note',
      ),
    );
    assert.match(readFileSync(join(root, 'web/server.ts'), 'utf8'), /res\.send\(execSync\('git rev-parse HEAD'\)\.toString\(\)\); \/\/ interleave-ignore IL201\n/);
    assert.equal(readFileSync(join(root, 'Dockerfile'), 'utf8'), 'FROM python:3.12\n# interleave: ignore[IL602]\nCMD ["uvicorn", "app.main:app", "--reload"]\n');
    assert.equal((await runCli(['check'], { cwd: root })).stdout, 'No hazards found.\n');
  });

  test('puts every code of a line in one comment, keeps CRLF, and is not combined with --fix', async () => {
    const twice = 'import time\n\n\nasync def a(items):\n    time.sleep(len(items)); open("f").read()\n'.replace(/\n/g, '\r\n');
    const root = makeProject({ 'app.py': twice });
    const run = await runCli(['check', '--add-ignore'], { cwd: root });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(readFileSync(join(root, 'app.py'), 'utf8'), twice.replace('.read()\r\n', '.read()  # interleave: ignore[IL201]\r\n'));
    const both = await runCli(['check', '--add-ignore', '--fix'], { cwd: root });
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--fix and --add-ignore cannot be used together/);
  });
});

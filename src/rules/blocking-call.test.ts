import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyTextEdits } from '../core/text-edits';
import { analyzeText } from '../../test/support/analyze';
import { blockingCall } from './blocking-call';

const rules = [blockingCall];

const ADMIN_CLEANUP = `import os
import shutil

from fastapi import FastAPI

app = FastAPI()


@app.delete("/admin/uploads/{name}")
async def purge(name: str):
    path = os.path.join("uploads", name)
    if os.path.exists(path):
        if os.path.isdir(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    return {"removed": os.listdir("uploads")}
`;

describe('IL201 blocking-call', () => {
  it('reports a run of blocking calls once per function, with every call as related information', async () => {
    const report = await analyzeText(ADMIN_CLEANUP, { rules });
    assert.equal(report.hazards.length, 1);
    const [finding] = report.hazards;
    assert.equal(finding!.range.start.line, 11);
    assert.equal(finding!.severity, 'warning');
    assert.deepEqual(
      finding!.related.map((note) => note.range.start.line + 1),
      [13, 14, 16, 17],
    );
    assert.match(finding!.message, /`os\.path\.exists\(\)` in `async def purge` .*, and so do `os\.path\.isdir\(\)` \(line 13\), `shutil\.rmtree\(\)` \(line 14\), `os\.unlink\(\)` \(line 16\) and `os\.listdir\(\)` \(line 17\)/);
  });

  it('offers the fix that fits the whole function, and its message says what that fix does', async () => {
    const report = await analyzeText(ADMIN_CLEANUP, { rules });
    const [finding] = report.hazards;
    assert.equal(finding!.fix?.message, 'Make `purge` a plain `def`: FastAPI runs it in its threadpool');
    assert.match(finding!.message, /make `purge` a plain `def`, which FastAPI runs in its threadpool — the quick fix does that/);
    const fixed = applyTextEdits(ADMIN_CLEANUP, finding!.fix!.edits);
    assert.match(fixed, /^def purge\(name: str\):$/m);
    assert.deepEqual((await analyzeText(fixed, { rules })).hazards, []);
  });

  it('replaces every sleep of a function in one safe fix, importing asyncio once', async () => {
    const source = ['import time', '', '', 'async def poll(job):', '    time.sleep(1)', '    job.refresh()', '    time.sleep(2)', ''].join('\n');
    const [finding] = (await analyzeText(source, { rules })).hazards;
    assert.equal(finding!.fix?.applicability, 'safe');
    const fixed = applyTextEdits(source, finding!.fix!.edits);
    assert.equal(fixed.match(/^import asyncio$/gm)?.length, 1);
    assert.match(fixed, /await asyncio\.sleep\(1\)[\s\S]*await asyncio\.sleep\(2\)/);
  });

  it('reports a function whose only blocking calls ask for file metadata only in preview, as information', async () => {
    const source = [
      'from pathlib import Path',
      '',
      'from fastapi import FastAPI',
      '',
      'app = FastAPI()',
      '',
      '',
      '@app.get("/static/{name}")',
      'async def static(name: str):',
      '    path = Path("static") / name',
      '    if not path.resolve().is_file():',
      '        return None',
      '    return str(path)',
      '',
    ].join('\n');
    assert.deepEqual((await analyzeText(source, { rules })).hazards, []);
    const [finding] = (await analyzeText(source, { rules, settings: { preview: true } })).hazards;
    assert.equal(finding!.severity, 'info');
    assert.match(finding!.message, /usually answers from its cache/);
  });

  it('reports a Node handler that only checks whether a file exists only in preview, as information, and one that also reads it as a warning', async () => {
    const source = [
      "import express from 'express';",
      "import fs from 'node:fs';",
      '',
      'const app = express();',
      "app.get('/exists', (req, res) => res.json({ ok: fs.existsSync(String(req.query.path)) }));",
      "app.get('/read', (req, res) => res.send(fs.existsSync('a.txt') ? fs.readFileSync('a.txt', 'utf8') : ''));",
      '',
    ].join('\n');
    const lines = async (preview: boolean) =>
      (await analyzeText(source, { rules, path: '/project/src/app.ts', moduleName: 'src.app', settings: { preview } })).hazards.map((finding) => [finding.range.start.line + 1, finding.severity]);
    assert.deepEqual(await lines(false), [[6, 'warning']]);
    assert.deepEqual(await lines(true), [
      [5, 'info'],
      [6, 'warning'],
    ]);
  });

  it('reports a lifespan, in preview, once for its startup and once for its shutdown', async () => {
    const source = [
      'import shutil',
      'from contextlib import asynccontextmanager',
      '',
      'from fastapi import FastAPI',
      '',
      '',
      '@asynccontextmanager',
      'async def lifespan(app):',
      '    shutil.copytree("seed", "data")',
      '    yield',
      '    shutil.rmtree("data")',
      '',
      '',
      'app = FastAPI(lifespan=lifespan)',
      '',
    ].join('\n');
    assert.deepEqual((await analyzeText(source, { rules })).hazards, [], 'startup and shutdown only in preview');
    const findings = (await analyzeText(source, { rules, settings: { preview: true } })).hazards;
    assert.deepEqual(
      findings.map((finding) => [finding.range.start.line + 1, finding.severity, /holds up the (\w+)/.exec(finding.message)?.[1]]),
      [
        [9, 'info', 'startup'],
        [11, 'info', 'shutdown'],
      ],
    );
  });
});

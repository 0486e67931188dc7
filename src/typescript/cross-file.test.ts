import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeProject, runCli } from '../../test/support/cli';

/** `file:line code` for each hazard the CLI reports on a project, sorted. */
async function hazards(files: Record<string, string>, options: readonly string[] = []): Promise<string[]> {
  const root = makeProject(files);
  const run = await runCli(['check', '.', '--format', 'json', '--exit-zero', ...options], { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  const found = JSON.parse(run.stdout) as { code: string; filename: string; location: { row: number } }[];
  return found.map((hazard) => `${hazard.filename.slice(root.length + 1)}:${hazard.location.row} ${hazard.code}`).sort();
}

// Without a tsconfig.json, relative imports join the modules of a project: IL202 follows sync
// helpers and instances into other files, IL403 knows other files' async functions, and IL301
// counts a close in another file (clients made when a module loads are IL301's preview part).
describe('TypeScript across files, from syntax alone', () => {
  it('follows imports for blocking chains, floating promises and closes', async () => {
    const found = await hazards({
      'package.json': '{ "name": "shop" }',
      'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
      'src/cache.ts': "import Redis from 'ioredis';\nexport const redis = new Redis();\n",
      'src/services/templates.ts': "import { readFileSync } from 'node:fs';\nexport function render(name: string): string {\n  return readFileSync(`t/${name}`, 'utf8');\n}\n",
      'src/services/mail.ts':
        "import { execFileSync } from 'node:child_process';\nexport async function sendMail(to: string): Promise<void> {\n  await fetch('https://mail.example.com/send', { method: 'POST', body: to });\n}\nclass Archive {\n  store(id: string): void {\n    execFileSync('tar', [id]);\n  }\n}\nexport const archive = new Archive();\n",
      'src/services/index.ts': "export { render } from './templates';\n",
      'src/routes/orders.ts': [
        "import express from 'express';",
        "import { render } from '../services';",
        "import { archive, sendMail } from '../services/mail.js';",
        "import { pool } from '../db';",
        'export const orders = express.Router();',
        "orders.post('/:id', async (req, res) => {",
        '  sendMail(req.body.email);',
        '  archive.store(req.params.id);',
        "  await pool.query('select 1');",
        "  res.send(render('receipt'));",
        '});',
      ].join('\n'),
      'src/server.ts': "import { pool } from './db';\nprocess.on('SIGTERM', async () => {\n  await pool.end();\n});\n",
    }, ['--preview']);
    assert.deepEqual(found, ['src/cache.ts:2 IL301', 'src/routes/orders.ts:10 IL202', 'src/routes/orders.ts:7 IL403', 'src/routes/orders.ts:8 IL202']);
  });

  it('follows CommonJS helpers defined as `exports.name = function`', async () => {
    const found = await hazards({
      'package.json': '{ "name": "monitor" }',
      'server/password-hash.js': "const bcrypt = require('bcryptjs');\nexports.verify = function (password, hash) {\n  return bcrypt.compareSync(password, hash);\n};\n",
      'server/auth.js': [
        "const express = require('express');",
        "const passwordHash = require('./password-hash');",
        'const app = express();',
        "app.post('/login', async (req, res) => {",
        '  res.json({ ok: passwordHash.verify(req.body.password, req.body.hash) });',
        '});',
        'app.listen(3001);',
      ].join('\n'),
    });
    assert.deepEqual(found, ['server/auth.js:5 IL203']);
  });
});

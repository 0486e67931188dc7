import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeProject, assertAnnotatedPackage } from '../../test/support/analyze-project';
import { makeProject, runCli } from '../../test/support/cli';
import { FIXTURES_ROOT } from '../../test/support/fixture-expectations';
import { missingCleanup } from './missing-cleanup';
import { perRequestClient } from './per-request-client';

const PACKAGE = join(FIXTURES_ROOT, 'projects', 'lifespan-resources');
const rules = [missingCleanup, perRequestClient];
// What is opened at import or once per process is IL301's preview part, and most of this package.
const PREVIEW = { preview: true };

describe('IL301 and IL302 across a package', () => {
  it('reports exactly the annotated lines of every module, in two passes', async () => {
    await assertAnnotatedPackage(PACKAGE, rules, PREVIEW);
  });

  it('names the chain from the request to the builder, and the builder where the client is made', async () => {
    const reports = await analyzeProject(PACKAGE, { rules });
    const invoices = reports.get(join(PACKAGE, 'app', 'invoices.py'))!;
    const storage = invoices.hazards.find((hazard) => hazard.message.startsWith('`Storage("invoices")`'))!;
    assert.match(storage.message, /builds a new boto3 client each time \(`boto3\.client` at storage\.py:5, through `get_client`\)/);
    assert.match(storage.message, /`POST \/invoices\/\{key\}`|`GET \/invoices\/\{key\}`/);
    assert.equal(storage.severity, 'warning');
    assert.deepEqual(
      storage.related.map((location) => `${relative(PACKAGE, location.path)}:${location.range.start.line + 1}`),
      ['app/storage.py:5'],
    );
  });

  it('says why a singleton opened once per process is never closed', async () => {
    const reports = await analyzeProject(PACKAGE, { rules, settings: PREVIEW });
    const clients = reports.get(join(PACKAGE, 'app', 'clients.py'))!;
    assert.match(clients.hazards[0]!.message, /opened in `Server\.__init__`, which runs once per process \(import of `app\.main` → `Server\(\)`\), kept in `self\.http`, and never closed.*Give `Server` a method that calls `await self\.http\.aclose\(\)`/);
    const cache = reports.get(join(PACKAGE, 'app', 'cache.py'))!;
    assert.match(cache.hazards[0]!.message, /opened the first time `get_cache` runs \(later calls find it set\), kept in `_cache`/);
    const db = reports.get(join(PACKAGE, 'app', 'db.py'))!;
    assert.match(db.hazards[0]!.message, /opened at import time, kept in `engine`, and never closed/);
  });
});

describe('IL302 across TypeScript files', () => {
  it('reports a builder of another module where a route calls it, not where it makes the client', async () => {
    const root = makeProject({
      'package.json': '{ "name": "assets" }',
      'src/storage/s3.ts': [
        "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';",
        'export function buildS3Storage(bucket: string) {',
        "  const client = new S3Client({ region: 'eu-west-1' });",
        '  const upload = async (key: string, body: Buffer) => {',
        '    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));',
        '  };',
        '  return { upload };',
        '}',
      ].join('\n'),
      'src/storage/index.ts': [
        "import { buildS3Storage } from './s3';",
        'export const buildUpload = (bucket: string) => {',
        '  const storage = buildS3Storage(bucket);',
        '  return storage.upload;',
        '};',
      ].join('\n'),
      'src/routes.ts': [
        "import express from 'express';",
        "import { buildUpload } from './storage';",
        'export const router = express.Router();',
        "const uploadStatic = buildUpload('static');",
        "router.post('/avatars/:key', async (req, res) => {",
        "  const upload = buildUpload('avatars');",
        '  await upload(req.params.key, req.body);',
        '  res.sendStatus(204);',
        '});',
        "router.post('/static/:key', async (req, res) => {",
        '  await uploadStatic(req.params.key, req.body);',
        '  res.sendStatus(204);',
        '});',
      ].join('\n'),
    });
    const run = await runCli(['check', '.', '--select', 'IL302', '--format', 'json', '--exit-zero'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    const found = JSON.parse(run.stdout) as { filename: string; location: { row: number }; message: string; explanation?: string }[];
    assert.deepEqual(
      found.map((hazard) => `${hazard.filename.slice(root.length + 1)}:${hazard.location.row}`),
      ['src/routes.ts:6'],
    );
    assert.match(`${found[0]!.message} ${found[0]!.explanation}`, /`buildUpload\('avatars'\)` builds a new AWS SDK client each time .*Details: `S3Client` at s3\.ts:3, through `buildS3Storage`/);
  });
});

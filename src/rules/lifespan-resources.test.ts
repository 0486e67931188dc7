import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeProject } from '../../test/support/analyze-project';
import { FIXTURES_ROOT, parseExpectations, readFixture } from '../../test/support/fixture-expectations';
import { missingCleanup } from './missing-cleanup';
import { perRequestClient } from './per-request-client';

const PACKAGE = join(FIXTURES_ROOT, 'projects', 'lifespan-resources');
const rules = [missingCleanup, perRequestClient];

describe('IL301 and IL302 across a package', () => {
  it('reports exactly the annotated lines of every module, in two passes', async () => {
    const reports = await analyzeProject(PACKAGE, { rules });
    let positives = 0;
    let negatives = 0;
    for (const [path, report] of reports) {
      const { expected, negatives: ok } = parseExpectations(readFixture(path));
      positives += expected.size;
      negatives += ok.size;
      assert.deepEqual(report.problems, []);
      const actual = report.hazards.map((hazard) => `${hazard.range.start.line + 1}: ${hazard.code}`);
      const wanted = [...expected].flatMap(([line, codes]) => codes.map((code) => `${line + 1}: ${code}`));
      assert.deepEqual(actual.sort(), wanted.sort(), relative(PACKAGE, path));
    }
    assert.ok(negatives >= positives, `${negatives} negatives < ${positives} positives`);
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
    const reports = await analyzeProject(PACKAGE, { rules });
    const clients = reports.get(join(PACKAGE, 'app', 'clients.py'))!;
    assert.match(clients.hazards[0]!.message, /opened in `Server\.__init__`, which runs once per process \(`import of app\.main` → `Server\(\)`\), kept in `self\.http`, and never closed.*Give `Server` a method that calls `await self\.http\.aclose\(\)`/);
    const cache = reports.get(join(PACKAGE, 'app', 'cache.py'))!;
    assert.match(cache.hazards[0]!.message, /opened the first time `get_cache` runs \(later calls find it set\), kept in `_cache`/);
    const db = reports.get(join(PACKAGE, 'app', 'db.py'))!;
    assert.match(db.hazards[0]!.message, /opened at import time, kept in `engine`, and never closed/);
  });
});

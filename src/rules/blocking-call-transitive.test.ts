import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../core/config';
import { checkModule, projectFacts, summarizeModule } from '../core/engine';
import { analyzePython, loadPythonParser } from '../python/frontend';
import { analyzeProject, assertAnnotatedPackage } from '../../test/support/analyze-project';
import { analyzeText } from '../../test/support/analyze';
import { FIXTURES_ROOT } from '../../test/support/fixture-expectations';
import { blockingCallTransitive } from './blocking-call-transitive';

const PACKAGE = join(FIXTURES_ROOT, 'projects', 'blocking-chain');
const rules = [blockingCallTransitive];

describe('IL202 blocking-call-transitive across a package', () => {
  it('reports exactly the annotated calls of every module, in two passes', async () => {
    assert.ok((await assertAnnotatedPackage(PACKAGE, rules)) >= 10);
  });

  it('shows the chain, five functions deep across three modules, ending at the call that blocks', async () => {
    const reports = await analyzeProject(PACKAGE, { rules });
    const main = reports.get(join(PACKAGE, 'app', 'main.py'))!;
    const placeOrder = main.hazards.find((hazard) => hazard.message.startsWith('`place_order()`'))!;
    assert.match(placeOrder.message, /`place_order` → `_validate` → `reserve` → `_persist` → `Repository.save` → `sqlite3.connect\(\)` \(db.py:9\)/);
    assert.deepEqual(
      placeOrder.related.map((location) => `${basename(location.path)}:${location.range.start.line + 1} ${location.message}`),
      [
        'orders.py:6 `place_order` calls `_validate()` here',
        'orders.py:13 `_validate` calls `inventory.reserve()` here',
        'inventory.py:5 `reserve` calls `_persist()` here',
        'inventory.py:9 `_persist` calls `repository.save()` here',
        'db.py:9 may block: `sqlite3.connect()` queries SQLite with the blocking `sqlite3` driver',
      ],
    );
    const http = main.hazards.find((hazard) => hazard.message.startsWith('`http.get()`'))!;
    assert.match(http.message, /`http` is the `requests.Session\(\)` created at clients.py:3/);
  });

  it('keeps summaries JSON-serialisable and uses a fresh summary of the module it checks', async () => {
    await loadPythonParser();
    const helperPath = '/project/app/helpers.py';
    const blocking = analyzePython('import time\n\ndef wait():\n    time.sleep(1)\n', helperPath, 'app.helpers');
    const edited = analyzePython('def wait():\n    return None\n', helperPath, 'app.helpers');
    const caller = analyzePython('from app.helpers import wait\n\nasync def handler():\n    wait()\n', '/project/app/main.py', 'app.main');
    const summaries = [blocking, caller].map((module) => summarizeModule(module, rules));
    assert.deepEqual(JSON.parse(JSON.stringify(summaries)), summaries);
    const config = resolveConfig([], rules.map((rule) => rule.meta));
    const project = projectFacts(summaries);
    assert.equal(checkModule(caller, { rules, config, project }).hazards.length, 1);
    const afterEdit = projectFacts([edited, caller].map((module) => summarizeModule(module, rules)));
    assert.equal(checkModule(caller, { rules, config, project: afterEdit }).hazards.length, 0);
  });

  it('follows calls the user lists in `blocking-calls` and stops at their `offload-wrappers`', async () => {
    const source = [
      'from legacy import sdk',
      'from app.threads import offload',
      '',
      'def sync_export(rows):',
      '    return sdk.upload(rows)',
      '',
      '@offload',
      'def offloaded_export(rows):',
      '    return sdk.upload(rows)',
      '',
      'async def handler(rows):',
      '    sync_export(rows)',
      '    offloaded_export(rows)',
      '',
    ].join('\n');
    const without = await analyzeText(source, { rules });
    assert.deepEqual(without.hazards, []);
    const settings = { blockingCalls: [{ pattern: 'legacy.sdk.upload', suggestion: 'use `legacy.aio.upload`' }], offloadWrappers: ['app.threads.offload'] };
    const withSettings = await analyzeText(source, { rules, settings });
    assert.deepEqual(withSettings.hazards.map((hazard) => hazard.range.start.line + 1), [12]);
    assert.match(withSettings.hazards[0]!.message, /use `legacy.aio.upload`/);
  });
});

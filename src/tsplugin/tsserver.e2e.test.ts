/**
 * The plugin in a real tsserver: `node_modules/typescript/lib/tsserver.js` forked with the plugin
 * as a global plugin, found through the stub package the build writes (dist/tsserver-plugin), on
 * a copy of examples/express-shop. Needs `npm run build` first (npm test's pretest does it).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as ts from 'typescript';
import { HEADLINE_LENGTH } from '../core/headline';
import { TsServerClient } from '../../test/support/tsserver-client';
import {
  CODE_FIXES_REQUEST,
  FIX_ALL_FIX_ID,
  FIX_ALL_REQUEST,
  INTERLEAVE_ERROR_CODE,
  TSSERVER_PLUGIN_NAME,
  type CodeFixesResponse,
  type FixAllResponse,
  type PluginTextChange,
} from './protocol';

type Diagnostic = ts.server.protocol.Diagnostic;
type CodeFixAction = ts.server.protocol.CodeFixAction;
type Location = ts.server.protocol.Location;
type CodeEdit = ts.server.protocol.CodeEdit;

const repository = join(__dirname, '..', '..');
const probeLocation = join(repository, 'dist', 'tsserver-plugin');

/** A route reaching a blocking call through two other modules. */
const CHAIN_PROJECT: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'chain', type: 'module' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src'] }),
  'src/server.ts': "import express from 'express';\nimport { helper } from './helper.js';\n\nconst app = express();\napp.get('/config', async (req, res) => {\n  res.json(helper());\n});\napp.listen(3000);\n",
  'src/helper.ts': "import { readConfig } from './config.js';\nexport function helper() {\n  return readConfig();\n}\n",
  'src/config.ts': "import { execSync } from 'node:child_process';\nexport function readConfig() {\n  return execSync('git config --list', { encoding: 'utf8' });\n}\n",
};

const interleave = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.code === INTERLEAVE_ERROR_CODE);

/** The 1-based location of the first occurrence of `needle` in a file's text. */
function locate(text: string, needle: string): Location {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${needle} is in the file`);
  return { line: index + 1, offset: lines[index]!.indexOf(needle) + 1 };
}

/** Applies tsserver edits (1-based line and offset) to a text. */
function applyEdits(text: string, edits: readonly (CodeEdit | PluginTextChange)[]): string {
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((match) => match.index + 1)];
  const offsetOf = (location: Location) => lineStarts[location.line - 1]! + location.offset - 1;
  return [...edits]
    .sort((a, b) => offsetOf(b.start) - offsetOf(a.start))
    .reduce((result, edit) => result.slice(0, offsetOf(edit.start)) + edit.newText + result.slice(offsetOf(edit.end)), text);
}

function parses(text: string, fileName = 'fixed.ts'): boolean {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true) as ts.SourceFile & { parseDiagnostics: readonly ts.Diagnostic[] };
  return sourceFile.parseDiagnostics.length === 0;
}

describe('the tsserver plugin in a real tsserver', { timeout: 120_000 }, () => {
  let scratch: string;
  let shop: string;
  let logFile: string;
  let server: TsServerClient;
  const file = (relative: string) => join(shop, relative);
  const text = (relative: string) => readFileSync(file(relative), 'utf8');

  const open = (relative: string, fileContent?: string) =>
    server.request('updateOpen', { openFiles: [{ file: file(relative), projectRootPath: shop, ...(fileContent !== undefined && { fileContent }) }] });
  const semanticDiagnostics = (relative: string) => server.request<Diagnostic[]>('semanticDiagnosticsSync', { file: file(relative) });
  const codeFixesAt = (relative: string, at: Location) =>
    server.request<CodeFixAction[]>('getCodeFixes', {
      file: file(relative),
      startLine: at.line,
      startOffset: at.offset,
      endLine: at.line,
      endOffset: at.offset + 1,
      errorCodes: [INTERLEAVE_ERROR_CODE],
    });

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'interleave-tsserver-'));
    shop = join(scratch, 'express-shop');
    cpSync(join(repository, 'examples', 'express-shop'), shop, { recursive: true });
    logFile = join(scratch, 'tsserver.log');
    server = new TsServerClient({ globalPlugins: [TSSERVER_PLUGIN_NAME], pluginProbeLocations: [probeLocation], logFile });
  });

  after(async () => {
    await server?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('reports await races and blocking calls as semantic diagnostics, next to TypeScript’s own', async () => {
    await open('src/routes/admin.ts');
    const diagnostics = await semanticDiagnostics('src/routes/admin.ts');
    const ours = interleave(diagnostics);
    const race = ours.find((diagnostic) => diagnostic.text.startsWith('IL101 await-race: '));
    assert.ok(race, `IL101 among ${JSON.stringify(ours.map((diagnostic) => diagnostic.text.slice(0, 30)))}`);
    assert.deepEqual(race.start, locate(text('src/routes/admin.ts'), 'Metrics.dashboardViews = views + 1'));
    assert.equal(race.category, 'warning');
    assert.equal(race.source, 'interleave');
    assert.match(race.text, /`Metrics\.dashboardViews` is read at line 17/);
    assert.ok(race.text.length <= 'IL101 await-race: '.length + HEADLINE_LENGTH, `a headline: ${race.text}`);
    assert.ok(race.relatedInformation?.some((related) => related.message.includes('read here')));
    const blocking = ours.find((diagnostic) => diagnostic.text.startsWith('IL201 blocking-call: '));
    assert.deepEqual(blocking?.start, locate(text('src/routes/admin.ts'), "execSync('git"));
    // The project has no node_modules: TypeScript's own "cannot find module" errors stay.
    assert.ok(diagnostics.some((diagnostic) => diagnostic.code === 2307), 'TypeScript’s own diagnostics are kept');
  });

  test('uses the type checker and the other files of the Program: floating promises, blocking helpers in other modules', async () => {
    await open('src/routes/orders.ts');
    const ours = interleave(await semanticDiagnostics('src/routes/orders.ts'));
    const orders = text('src/routes/orders.ts');
    assert.deepEqual(ours.find((diagnostic) => diagnostic.text.startsWith('IL403 '))?.start, locate(orders, 'sendReceipt(order.email, order.id); // expect'));
    assert.deepEqual(ours.find((diagnostic) => diagnostic.text.startsWith('IL202 '))?.start, locate(orders, 'renderInvoice(order.id'));
    assert.ok(ours.find((diagnostic) => diagnostic.text.startsWith('IL302 ')));
  });

  test('offers the rule’s fix and suppression comments as code fixes, each leaving code that parses', async () => {
    const orders = text('src/routes/orders.ts');
    const at = locate(orders, 'sendReceipt(order.email, order.id); // expect');
    const fixes = await codeFixesAt('src/routes/orders.ts', at);
    assert.deepEqual(
      fixes.map((fix) => fix.description.replace(/: .*/, '')),
      ['Interleave (IL403)', 'Disable IL403 for this line', 'Disable IL403 for this file'],
    );
    for (const fix of fixes) assert.ok(parses(applyEdits(orders, fix.changes[0]!.textChanges)), `${fix.description} leaves code that parses`);
    const awaited = applyEdits(orders, fixes[0]!.changes[0]!.textChanges);
    assert.match(awaited, /await sendReceipt\(order\.email, order\.id\);/);
    assert.equal(fixes[0]!.fixId, FIX_ALL_FIX_ID);
    const disabled = applyEdits(orders, fixes[1]!.changes[0]!.textChanges);
    assert.match(disabled, /sendReceipt\(order\.email, order\.id\); \/\/ interleave-ignore IL403\n|\/\/ interleave-ignore IL403\n\s*sendReceipt/);

    // The suppression comment works: the finding is gone once the text has it.
    await open('src/routes/orders.ts', disabled);
    assert.ok(!interleave(await semanticDiagnostics('src/routes/orders.ts')).some((diagnostic) => diagnostic.text.startsWith('IL403 ')));
    await open('src/routes/orders.ts', orders);
  });

  test('lists its error code among the supported code fixes, and applies every safe fix at once', async () => {
    const supported = await server.request<string[]>('getSupportedCodeFixes', { file: file('src/routes/orders.ts') });
    assert.ok(supported.includes(String(INTERLEAVE_ERROR_CODE)));
    const combined = await server.request<{ changes: ts.server.protocol.FileCodeEdits[] }>('getCombinedCodeFix', {
      scope: { type: 'file', args: { file: file('src/routes/orders.ts') } },
      fixId: FIX_ALL_FIX_ID,
    });
    const fixed = applyEdits(text('src/routes/orders.ts'), combined.changes[0]!.textChanges);
    assert.match(fixed, /await sendReceipt\(order\.email, order\.id\);/);
    assert.ok(parses(fixed));
  });

  test('answers the extension’s own fix requests with what getCodeFixes and getCombinedCodeFix give', async () => {
    const orders = text('src/routes/orders.ts');
    const at = locate(orders, 'sendReceipt(order.email, order.id); // expect');
    const { fixes } = await server.request<CodeFixesResponse>(CODE_FIXES_REQUEST, {
      file: file('src/routes/orders.ts'),
      startLine: at.line,
      startOffset: at.offset,
      endLine: at.line,
      endOffset: at.offset + 1,
    });
    assert.equal(fixes[0]?.title.startsWith('Interleave (IL403)'), true);
    assert.equal(fixes[0]?.isPreferred, true);
    assert.match(applyEdits(orders, fixes[0]!.changes), /await sendReceipt\(order\.email, order\.id\);/);
    const { changes } = await server.request<FixAllResponse>(FIX_ALL_REQUEST, { file: file('src/routes/orders.ts') });
    assert.match(applyEdits(orders, changes), /await sendReceipt\(order\.email, order\.id\);/);
  });

  test('explains a finding in the hover, after what TypeScript says about the symbol', async () => {
    const admin = text('src/routes/admin.ts');
    const write = locate(admin, 'Metrics.dashboardViews = views + 1');
    const info = await server.request<ts.server.protocol.QuickInfoResponseBody>('quickinfo', { file: file('src/routes/admin.ts'), ...write });
    assert.match(info.displayString, /Metrics/);
    const documentation = typeof info.documentation === 'string' ? info.documentation : info.documentation.map((part) => part.text).join('');
    assert.match(documentation, /\*\*IL101 await-race\*\*\n\n1\. Request A reads `Metrics\.dashboardViews`/);
    assert.match(documentation, /IL101 documentation\]\(https:/);
    assert.match(documentation, /a concurrent request's update in between is lost/, 'what the headline cut is in the hover');
  });

  test('takes its settings from configurePlugin: ignored rules go, and `enable: false` silences it', async () => {
    await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: { ignore: ['blocking-call'] } });
    let ours = interleave(await semanticDiagnostics('src/routes/admin.ts'));
    assert.ok(ours.some((diagnostic) => diagnostic.text.startsWith('IL101 ')));
    assert.ok(!ours.some((diagnostic) => diagnostic.text.startsWith('IL201 ')));
    await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: { enable: false } });
    ours = interleave(await semanticDiagnostics('src/routes/admin.ts'));
    assert.deepEqual(ours, []);
    await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: {} });
    assert.ok(interleave(await semanticDiagnostics('src/routes/admin.ts')).length > 0);
  });

  test('leaves out what interleave-suppressions.json records, as the CLI does', async () => {
    execFileSync(process.execPath, [join(repository, 'dist', 'cli.js'), 'check', '--suppress-all', '--select', 'IL101'], { cwd: shop, stdio: 'pipe' });
    try {
      // A new setting makes the plugin read the project's files again at once.
      await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: { exclude: [] } });
      const ours = interleave(await semanticDiagnostics('src/routes/admin.ts'));
      assert.ok(!ours.some((diagnostic) => diagnostic.text.startsWith('IL101 ')), 'the recorded race is left out');
      assert.ok(ours.some((diagnostic) => diagnostic.text.startsWith('IL201 ')), 'what is not recorded is still reported');
    } finally {
      rmSync(file('interleave-suppressions.json'));
      await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: {} });
    }
    assert.ok(interleave(await semanticDiagnostics('src/routes/admin.ts')).some((diagnostic) => diagnostic.text.startsWith('IL101 ')));
  });

  test('leaves tsserver’s own answers alone on a file with syntax errors and under a broken configuration', async () => {
    const broken = 'export async function handler() {\n  const x: number = "text";\n  await fetch(\n}\nfunction f( {\n';
    writeFileSync(file('src/broken.ts'), broken);
    await open('src/broken.ts');
    const syntactic = await server.request<Diagnostic[]>('syntacticDiagnosticsSync', { file: file('src/broken.ts') });
    assert.ok(syntactic.length > 0);
    assert.ok((await semanticDiagnostics('src/broken.ts')).some((diagnostic) => diagnostic.code === 2322));

    const manifest = JSON.parse(text('package.json')) as { interleave: Record<string, unknown> };
    manifest.interleave = { select: ['NO-SUCH-RULE'] };
    writeFileSync(file('package.json'), JSON.stringify(manifest));
    // A new setting makes the plugin read the configuration files again at once.
    await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: { exclude: [] } });
    const diagnostics = await semanticDiagnostics('src/routes/admin.ts');
    assert.ok(diagnostics.some((diagnostic) => diagnostic.code === 2307), 'TypeScript’s own diagnostics are kept');
    assert.ok(interleave(diagnostics).some((diagnostic) => diagnostic.text.startsWith('IL101 ')), 'the previous configuration stays in force');
    assert.ok(server.running);
    assert.match(readFileSync(logFile, 'utf8'), /\[interleave\] configuration: .*NO-SUCH-RULE/);
  });

  test('answers from the open file and its imports at once, then from what they import once it is summarised between requests, and asks the editor to fetch diagnostics again', async () => {
    const project = join(scratch, 'chain');
    for (const [path, content] of Object.entries(CHAIN_PROJECT)) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), content);
    }
    const server = join(project, 'src', 'server.ts');
    const other = new TsServerClient({ globalPlugins: [TSSERVER_PLUGIN_NAME], pluginProbeLocations: [probeLocation] });
    try {
      const transitive = async () => interleave(await other.request<Diagnostic[]>('semanticDiagnosticsSync', { file: server })).filter((diagnostic) => diagnostic.text.startsWith('IL202 '));
      await other.request('updateOpen', { openFiles: [{ file: server, projectRootPath: project }] });
      const refreshed = other.nextEvent('projectsUpdatedInBackground', 60_000);
      assert.deepEqual(await transitive(), [], 'the blocking call is two imports away, in a file the request did not read');
      await refreshed;
      assert.deepEqual(
        (await transitive()).map((diagnostic) => diagnostic.start),
        [locate(CHAIN_PROJECT['src/server.ts']!, 'helper()')],
      );
    } finally {
      await other.close();
    }
  });

  test('loads from a tsconfig.json `plugins` entry, with its settings, for editors other than VS Code', async () => {
    const project = join(scratch, 'tsconfig-plugin');
    cpSync(shop, project, { recursive: true });
    const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.plugins = [{ name: TSSERVER_PLUGIN_NAME, ignore: ['IL101'] }];
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'p', interleave: {} }));
    const other = new TsServerClient({ pluginProbeLocations: [probeLocation] });
    try {
      const admin = join(project, 'src', 'routes', 'admin.ts');
      await other.request('updateOpen', { openFiles: [{ file: admin, projectRootPath: project }] });
      const ours = interleave(await other.request<Diagnostic[]>('semanticDiagnosticsSync', { file: admin }));
      assert.ok(ours.some((diagnostic) => diagnostic.text.startsWith('IL201 ')));
      assert.ok(!ours.some((diagnostic) => diagnostic.text.startsWith('IL101 ')));
    } finally {
      await other.close();
    }
  });
});

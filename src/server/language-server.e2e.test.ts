import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidSaveTextDocumentNotification,
  FileChangeType,
  HoverRequest,
  MessageType,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { HEADLINE_LENGTH } from '../core/headline';
import { loadPythonParser, parsePython } from '../python/parser';
import { makeProject, SEED_RACE } from '../../test/support/cli';
import { TestLanguageClient, uriOf } from '../../test/support/lsp-client';
import {
  ANALYZE_WORKSPACE_REQUEST,
  EXPLAIN_REQUEST,
  STATUS_NOTIFICATION,
  type AnalyzeWorkspaceResult,
  type ExplainResult,
  type HazardReference,
  type StatusParams,
} from './protocol';

const repository = join(__dirname, '..', '..');
const serverBundle = join(repository, 'dist', 'server.js');
const cliBundle = join(repository, 'dist', 'cli.js');

/** The seed race exactly as users first meet it: IL101 on line 10 (index 9), the write. */
const SEED = SEED_RACE.replace('   # IL101 here', '');

/** An unawaited coroutine (IL403, safe fix) above the seed race (IL101, unsafe fix). */
const UNAWAITED_AND_RACE = `import asyncio
from fastapi import FastAPI
app = FastAPI()
class RequestCounter:
    count = 0
async def record_visit():
    return None
@app.get("/count")
async def handle_request():
    record_visit()
    current_count = RequestCounter.count
    await asyncio.sleep(0.001)
    RequestCounter.count = current_count + 1
    return {"count": RequestCounter.count}
`;

/** An app that connects to MongoDB at import time: IL603 once gunicorn preloads it. */
const IMPORT_TIME_CLIENT = `from fastapi import FastAPI
from pymongo import MongoClient

app = FastAPI()
client = MongoClient("mongodb://mongo:27017")
`;

const COROUTINE_MODULE = `async def notify():
    return None
`;

const CALLER_MODULE = `from fastapi import FastAPI
from a import notify
app = FastAPI()
@app.post("/signup")
async def signup():
    notify()
    return {"ok": True}
`;

/** How the seed race's diagnostic message starts: the editor shows it above the hover. */
const SEED_RACE_MESSAGE_START = '`RequestCounter.count` is read at line 8';

const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((diagnostic) => diagnostic.code);

async function parses(text: string): Promise<boolean> {
  await loadPythonParser();
  const tree = parsePython(text);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

function codeActions(client: TestLanguageClient, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only ? { only } : {}) },
  }) as Promise<CodeAction[]>;
}

describe('the language server over stdio (dist/server.js)', () => {
  let client: TestLanguageClient;
  // Two workers and preview on, so that per-process state (IL103) and the client opened at import (IL301) are reported beside the races.
  const root = makeProject({ 'interleave.toml': 'workers = 2\npreview = true\n', 'a.py': COROUTINE_MODULE, 'b.py': CALLER_MODULE, 'app/closed.py': SEED, 'app/__init__.py': '', 'app/mongo.py': IMPORT_TIME_CLIENT });
  const file = (name: string) => uriOf(join(root, name));

  before(async () => {
    // The bundle under test is the current source (the build replaces files atomically, so other test files can run bundles meanwhile).
    execFileSync(process.execPath, [join(repository, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    client = new TestLanguageClient({ args: [serverBundle, '--stdio'] });
    await client.initialize([root]);
  });

  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  test('publishes the seed race as IL101 at the write, with what an editor shows around it', async () => {
    const uri = file('app/race.py');
    client.open(uri, SEED);
    const race = (await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'))).find((diagnostic) => diagnostic.code === 'IL101')!;
    assert.deepEqual(race.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 44 } });
    assert.equal(race.source, 'interleave');
    assert.equal(race.severity, 2);
    assert.match(race.codeDescription!.href, /docs\/rules\/IL101\.md$/);
    assert.deepEqual(
      race.relatedInformation!.map((related) => [related.location.uri, related.location.range.start.line, related.message]),
      [
        [uri, 7, '`RequestCounter.count` read here'],
        [uri, 8, 'suspends here: other requests run'],
      ],
    );
    client.close(uri);
  });

  test('follows incremental edits: the race goes when the write re-reads, and comes back; stale versions are never published', async () => {
    const uri = file('app/typing.py');
    client.open(uri, SEED);
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    const before = client.publications.length;
    // Typed one keystroke at a time: `current_count` → `RequestCounter.count`.
    client.change(uri, [{ range: { start: { line: 9, character: 27 }, end: { line: 9, character: 40 } }, text: '' }]);
    for (const [index, char] of [...'RequestCounter.count'].entries()) {
      client.change(uri, [{ range: { start: { line: 9, character: 27 + index }, end: { line: 9, character: 27 + index } }, text: char }]);
    }
    assert.equal(client.text(uri).split('\n')[9], '    RequestCounter.count = RequestCounter.count + 1');
    const fixed = await client.diagnosticsFor(uri);
    assert.ok(!codes(fixed).includes('IL101'), JSON.stringify(fixed));
    // A file this small is analysed on every keystroke the server has read when the last analysis
    // ends; versions typed meanwhile are skipped, and none is published once a newer one arrived.
    const versions = client.publications.slice(before).filter((published) => published.uri === uri).map((published) => published.version!);
    assert.equal(versions.at(-1), 22, 'the last version typed is analysed');
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'versions are published in order');
    assert.ok(versions.length < 22, `the burst is not analysed keystroke by keystroke: ${versions.join(', ')}`);

    client.change(uri, [{ range: { start: { line: 9, character: 27 }, end: { line: 9, character: 47 } }, text: 'current_count' }]);
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    client.close(uri);
  });

  test('offers the lock fix, explain and both suppressions; the applied fix parses and the race is gone', async () => {
    const uri = file('app/fix.py');
    client.open(uri, SEED);
    const race = (await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'))).find((diagnostic) => diagnostic.code === 'IL101')!;
    const actions = await codeActions(client, uri, [race]);
    assert.deepEqual(
      actions.map((action) => action.title),
      [
        'Interleave (IL101): Hold `request_counter_lock` (`async with request_counter_lock:`) from the read to the write',
        'Explain IL101',
        'Disable IL101 for this line',
        'Disable IL101 for this file',
      ],
    );
    assert.equal(actions[0]!.kind, 'quickfix');
    assert.equal(actions[0]!.isPreferred, false, 'the lock fix is unsafe, so not preferred');
    const reference: HazardReference = { uri, range: race.range, code: 'IL101' };
    assert.deepEqual(actions[1]!.command, { title: 'Explain IL101', command: 'interleave.explain', arguments: [reference] });

    client.applyEdit(actions[0]!.edit!);
    assert.ok(await parses(client.text(uri)), client.text(uri));
    assert.match(client.text(uri), /async with request_counter_lock:\n {8}current_count = RequestCounter.count/);
    const after = await client.diagnosticsFor(uri);
    assert.ok(!codes(after).includes('IL101'), JSON.stringify(after));
    client.close(uri);
  });

  test('disables a rule for the line and for the file with suppression comments the engine honours', async () => {
    const uri = file('app/suppress.py');
    client.open(uri, SEED);
    const race = (await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'))).find((diagnostic) => diagnostic.code === 'IL101')!;
    const [, , line, wholeFile] = await codeActions(client, uri, [race]);
    client.applyEdit(line!.edit!);
    assert.equal(client.text(uri).split('\n')[9], '    RequestCounter.count = current_count + 1  # interleave: ignore[IL101]');
    assert.ok(!codes(await client.diagnosticsFor(uri)).includes('IL101'));

    client.change(uri, [{ range: { start: { line: 9, character: 44 }, end: { line: 9, character: 73 } }, text: '' }]);
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    client.applyEdit(wholeFile!.edit!);
    assert.equal(client.text(uri).split('\n')[0], '# interleave: ignore-file[IL101]');
    assert.ok(!codes(await client.diagnosticsFor(uri)).includes('IL101'));
    assert.ok(await parses(client.text(uri)));
    client.close(uri);
  });

  test('fix-all applies only safe fixes, and a second run has nothing left to do', async () => {
    const uri = file('app/fix_all.py');
    client.open(uri, UNAWAITED_AND_RACE);
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL403') && codes(found).includes('IL101'));
    const [fixAll, ...more] = await codeActions(client, uri, [], ['source.fixAll.interleave']);
    assert.equal(more.length, 0);
    assert.equal(fixAll!.kind, 'source.fixAll.interleave');
    client.applyEdit(fixAll!.edit!);
    assert.equal(client.text(uri).split('\n')[9], '    await record_visit()');
    const after = await client.diagnosticsFor(uri);
    assert.ok(!codes(after).includes('IL403') && codes(after).includes('IL101'), JSON.stringify(codes(after)));
    assert.deepEqual(await codeActions(client, uri, [], ['source.fixAll']), []);
    client.close(uri);
  });

  test('hovers with what the diagnostic lacks: the interleaving in the user’s names, why it matters, the fix and links', async () => {
    const uri = file('app/hover.py');
    client.open(uri, SEED);
    const diagnostics = await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    const message = String(diagnostics.find((diagnostic) => diagnostic.code === 'IL101')!.message);
    assert.ok(message.startsWith(SEED_RACE_MESSAGE_START) && message.length <= HEADLINE_LENGTH, message);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 9, character: 10 } });
    const { value } = hover!.contents as MarkupContent;
    assert.match(value, /^\*\*IL101 await-race\*\*\n\n1\. Request A reads `RequestCounter\.count`: `current_count = RequestCounter\.count` \(line 8\)\.\n2\. It waits at `await asyncio\.sleep\(0\.001\)` \(line 9\)/);
    assert.ok(!value.includes(message), 'the diagnostic’s message is not repeated');
    assert.match(value, /read: a concurrent request's update in between is lost/, 'what the cut message lacks is there');
    assert.match(value, /\*\*Fix\*\* \(unsafe\): Hold `request_counter_lock`/);
    assert.match(value, /\[Show the interleaving\]\(command:interleave\.explain\?%5B%7B%22uri%22/);
    assert.match(value, /\[IL101 documentation\]\(https:\/\/\S+\/docs\/rules\/IL101\.md\)/);
    assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    client.close(uri);
  });

  test('interleave/explain returns the story, the docs and the code before and after the fix', async () => {
    const uri = file('app/explain.py');
    client.open(uri, SEED);
    const race = (await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'))).find((diagnostic) => diagnostic.code === 'IL101')!;
    const result: ExplainResult = await client.connection.sendRequest(EXPLAIN_REQUEST, { uri, range: race.range, code: 'IL101' });
    assert.equal(result.name, 'await-race');
    assert.equal(result.story?.kind, 'lost-update');
    assert.match(result.docs.whyIsThisBad, /\S/);
    assert.match(result.excerpt.before, /current_count = RequestCounter\.count\n {4}await asyncio\.sleep/);
    assert.match(result.excerpt.after!, /async with request_counter_lock:/);
    assert.deepEqual(result.fix?.applicability, 'unsafe');
    client.close(uri);
  });

  test('a settings change that ignores IL101 takes effect, and undoing it brings the finding back', async () => {
    const uri = file('app/settings.py');
    client.open(uri, SEED);
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    client.settings = { ignore: ['IL101'] };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.diagnosticsFor(uri, (found) => !codes(found).includes('IL101') && codes(found).includes('IL103'));
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    client.close(uri);
  });

  test('with `run: onSave` a document is analysed when opened and saved, not while typing', async () => {
    const uri = file('app/on_save.py');
    client.open(uri, SEED);
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    const published = client.publications.length;
    client.settings = { run: 'onSave' };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    // A settings change re-checks open documents: once that is published, the new settings are in force.
    await client.until(() => client.publications.slice(published).some((publication) => publication.uri === uri), 'the re-check');
    client.change(uri, [{ range: { start: { line: 9, character: 27 }, end: { line: 9, character: 40 } }, text: 'RequestCounter.count' }]);
    await new Promise((resolve) => setTimeout(resolve, 3 * 150));
    assert.notEqual(client.diagnostics.get(uri)!.version, 2, 'nothing is published while typing');
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
    await client.diagnosticsFor(uri, (found) => !codes(found).includes('IL101'));
    const restored = client.publications.length;
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.until(() => client.publications.slice(restored).some((publication) => publication.uri === uri), 'the re-check');
    client.close(uri);
  });

  test('a broken configuration file is shown with its line, and the previous configuration keeps working', async () => {
    const uri = file('app/config.py');
    client.open(uri, SEED);
    await client.diagnosticsFor(uri, (found) => codes(found).includes('IL101'));
    const configPath = join(root, 'interleave.toml');
    const configUri = uriOf(configPath);
    writeFileSync(configPath, '# rules\nselect = ["IL999"]\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Created }] });
    await client.until(() => client.messages.some((message) => message.type === MessageType.Warning && message.message.includes(`${configPath}:2`)), 'the warning');
    const [problem] = await client.diagnosticsFor(configUri, (found) => found.length > 0);
    assert.equal(problem!.range.start.line, 1);
    assert.match(JSON.stringify(problem!.message), /IL999/);
    // Re-checked under the configuration that still stands.
    client.change(uri, [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: '    # touched\n' }]);
    assert.ok(codes(await client.diagnosticsFor(uri)).includes('IL101'));

    rmSync(configPath);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Deleted }] });
    await client.diagnosticsFor(configUri, (found) => found.length === 0);
    client.close(uri);
  });

  test('a connection opened at import (IL603) is reported once gunicorn.conf.py turns on preload_app, and not after it is gone', async () => {
    const uri = file('app/mongo.py');
    client.open(uri, IMPORT_TIME_CLIENT);
    assert.ok(!codes(await client.diagnosticsFor(uri)).includes('IL603'));
    const configPath = join(root, 'gunicorn.conf.py');
    writeFileSync(configPath, 'workers = 1\npreload_app = True\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(configPath), type: FileChangeType.Created }] });
    const shared = (await client.diagnosticsFor(uri, (found) => codes(found).includes('IL603'))).find((diagnostic) => diagnostic.code === 'IL603')!;
    assert.equal(shared.range.start.line, 4);
    assert.deepEqual(
      shared.relatedInformation!.map((related) => [related.location.uri, related.location.range.start.line]),
      [[uriOf(configPath), 1]],
    );
    rmSync(configPath);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(configPath), type: FileChangeType.Deleted }] });
    await client.diagnosticsFor(uri, (found) => !codes(found).includes('IL603'));
    client.close(uri);
  });

  test('a cross-file finding (IL403) follows the other module, on disk and in the editor', async () => {
    const caller = file('b.py');
    client.open(caller, CALLER_MODULE);
    const [unawaited] = await client.diagnosticsFor(caller, (found) => codes(found).includes('IL403'));
    assert.equal(unawaited!.range.start.line, 5);

    writeFileSync(join(root, 'a.py'), COROUTINE_MODULE.replace('async def', 'def'));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: file('a.py'), type: FileChangeType.Changed }] });
    await client.diagnosticsFor(caller, (found) => !codes(found).includes('IL403'));

    client.open(file('a.py'), COROUTINE_MODULE.replace('async def', 'def'));
    client.change(file('a.py'), [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'async ' }]);
    await client.diagnosticsFor(caller, (found) => codes(found).includes('IL403'));
    client.close(file('a.py'));
    client.close(caller);
  });

  test('interleave/analyzeWorkspace reports closed files too and ends with a status', async () => {
    const result: AnalyzeWorkspaceResult = await client.connection.sendRequest(ANALYZE_WORKSPACE_REQUEST, {});
    assert.ok(result.files >= 4 && result.hazards >= 1, JSON.stringify(result));
    assert.ok(codes(await client.diagnosticsFor(file('app/closed.py'))).includes('IL101'));
    const statuses = client.notifications.filter((notification) => notification.method === STATUS_NOTIFICATION).map((notification) => notification.params as StatusParams);
    const last = statuses[statuses.length - 1]!;
    assert.equal(last.analyzing, false);
    assert.ok(last.hazards >= 1 && last.lastAnalysis !== undefined, JSON.stringify(last));
    const withoutParams: AnalyzeWorkspaceResult = await client.connection.sendRequest(ANALYZE_WORKSPACE_REQUEST);
    assert.equal(withoutParams.files, result.files, 'a request without params is answered too');
  });

  test('survives malformed requests and messages, and unknown documents', async () => {
    await assert.rejects(client.connection.sendRequest(EXPLAIN_REQUEST, { uri: 42 }), { code: -32602 });
    await assert.rejects(client.connection.sendRequest(EXPLAIN_REQUEST, { uri: file('missing.py'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, code: 'IL101' }), {
      code: -32803,
    });
    await assert.rejects(client.connection.sendRequest('interleave/noSuchRequest', {}), { code: -32601 });
    assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: file('never-opened.py') }, position: { line: 0, character: 0 } }), null);
    client.writeRaw('Content-Length: 10\r\n\r\n{not json}');
    client.writeRaw('Content-Length: 2\r\n\r\n[]');
    const uri = file('app/after_garbage.py');
    client.open(uri, SEED);
    assert.ok(codes(await client.diagnosticsFor(uri, (found) => found.length > 0)).includes('IL101'));
    assert.equal(client.exited, false);
    client.close(uri);
  });

  test('a 5 MB document is skipped with a log line, binary text too, and the server keeps serving', async () => {
    const large = file('app/large.py');
    const text = 'value = 1\n'.repeat(500_000);
    client.open(large, text);
    assert.deepEqual(await client.diagnosticsFor(large), []);
    await client.until(() => client.logs.some((log) => log.message.includes('large.py') && log.message.includes('limit')), 'the skip log line');
    client.change(large, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import asyncio\n' }]);
    assert.deepEqual(await client.diagnosticsFor(large), []);
    const binary = file('app/binary.py');
    client.open(binary, 'import asyncio\0\0\0\n');
    assert.deepEqual(await client.diagnosticsFor(binary), []);
    const broken = file('app/broken.py');
    client.open(broken, 'async def handler(:\n    await (\n');
    assert.deepEqual(await client.diagnosticsFor(broken), []);
    const uri = file('app/after_large.py');
    client.open(uri, SEED);
    assert.ok(codes(await client.diagnosticsFor(uri, (found) => found.length > 0)).includes('IL101'));
    for (const opened of [large, binary, broken, uri]) client.close(opened);
  });
});

describe('`interleave lsp` with two workspace folders', () => {
  // The quiet folder still has a finding (IL103, selected by its code) once IL101 is ignored.
  const quiet = makeProject({ 'interleave.toml': 'ignore = ["IL101"]\nextend-select = ["IL103"]\nworkers = 2\n', 'main.py': SEED });
  const loud = makeProject({ 'main.py': SEED });

  test('serves over stdio, each folder with its own configuration', async () => {
    const client = new TestLanguageClient({ args: [cliBundle, 'lsp', '--stdio'] });
    try {
      await client.initialize([quiet, loud]);
      client.open(uriOf(join(quiet, 'main.py')), SEED);
      client.open(uriOf(join(loud, 'main.py')), SEED);
      assert.ok(!codes(await client.diagnosticsFor(uriOf(join(quiet, 'main.py')), (found) => found.length > 0)).includes('IL101'));
      assert.ok(codes(await client.diagnosticsFor(uriOf(join(loud, 'main.py')), (found) => found.length > 0)).includes('IL101'));
    } finally {
      assert.equal(await client.shutdown(), 0);
    }
  });
});

/** An Express handler with a lost update (IL101) and an unawaited call (IL403, safe fix); `hits` is per-process state (IL103). */
const EXPRESS_RACE = `import express from 'express';

const app = express();
let hits = 0;

async function audit(): Promise<void> {
  await fetch('https://audit.example.com/hits', { method: 'POST' });
}

app.get('/hit', async (req, res) => {
  const seen = hits;
  await audit();
  hits = seen + 1;
  audit();
  res.json({ hits });
});
`;

describe('the language server on TypeScript files', () => {
  const root = makeProject({ 'package.json': '{"name": "shop"}', 'src/closed.ts': EXPRESS_RACE });
  const file = (name: string) => uriOf(join(root, name));

  test('reports them when it covers TypeScript: findings, `//` suppression comments and fix-all', async () => {
    const client = new TestLanguageClient({ args: [serverBundle, '--stdio'] });
    await client.initialize([root]);
    try {
      const uri = file('src/open.ts');
      client.open(uri, EXPRESS_RACE, 'typescript');
      const found = await client.diagnosticsFor(uri, (diagnostics) => codes(diagnostics).includes('IL101'));
      const race = found.find((diagnostic) => diagnostic.code === 'IL101')!;
      assert.equal(race.range.start.line, 12);
      const [line] = (await codeActions(client, uri, [race])).filter((action) => action.title === 'Disable IL101 for this line');
      client.applyEdit(line!.edit!);
      assert.equal(client.text(uri).split('\n')[12], '  hits = seen + 1; // interleave-ignore IL101');
      assert.ok(!codes(await client.diagnosticsFor(uri)).includes('IL101'));
      const [fixAll] = await codeActions(client, uri, [], ['source.fixAll.interleave']);
      client.applyEdit(fixAll!.edit!);
      assert.equal(client.text(uri).split('\n')[13], '  await audit();');
    } finally {
      assert.equal(await client.shutdown(), 0);
    }
  });

  test('leaves them to the tsserver plugin when the client runs it, in open files and in a workspace analysis, but explains them', async () => {
    const client = new TestLanguageClient({ args: [serverBundle, '--stdio'] });
    await client.initialize([root], { typescript: 'plugin' });
    try {
      const python = file('app/race.py');
      client.open(python, SEED);
      await client.diagnosticsFor(python, (diagnostics) => codes(diagnostics).includes('IL101'));
      const typescript = file('src/open.ts');
      client.open(typescript, EXPRESS_RACE, 'typescript');
      const result = await client.connection.sendRequest<AnalyzeWorkspaceResult>(ANALYZE_WORKSPACE_REQUEST, {});
      assert.equal(result.files, 0, 'no Python or TypeScript file on disk is the server’s to analyse');
      assert.ok(!client.publications.some((published) => published.uri.endsWith('.ts') && published.diagnostics.length > 0));
      assert.deepEqual(await codeActions(client, typescript, [], ['source.fixAll.interleave']), []);
      // The plugin's findings are explained by the server all the same, from the file on disk.
      const reference: HazardReference = { uri: file('src/closed.ts'), range: { start: { line: 12, character: 2 }, end: { line: 12, character: 2 } }, code: 'IL101' };
      const explained = await client.connection.sendRequest<ExplainResult>(EXPLAIN_REQUEST, reference);
      assert.equal(explained.code, 'IL101');
      assert.match(explained.message, /`hits` is read at line 11/);
    } finally {
      assert.equal(await client.shutdown(), 0);
    }
  });
});

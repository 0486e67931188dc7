import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { BLOCKING_HANDLERS as HANDLERS, makeProject, NEW_BLOCKING_HANDLER as NEW_HANDLER } from '../../test/support/cli';
import { TestLanguageClient, uriOf } from '../../test/support/lsp-client';

const repository = join(__dirname, '..', '..');

const blocking = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.code === 'IL201');

describe('the language server and interleave-suppressions.json', () => {
  let client: TestLanguageClient;
  const root = makeProject({ 'app/main.py': HANDLERS });
  const uri = uriOf(join(root, 'app/main.py'));

  before(async () => {
    execFileSync(process.execPath, [join(repository, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    // Recorded by the CLI, as a team adopting Interleave would.
    execFileSync(process.execPath, [join(repository, 'dist', 'cli.js'), 'check', '--suppress-all'], { cwd: root, stdio: 'pipe' });
    client = new TestLanguageClient({ args: [join(repository, 'dist', 'server.js'), '--stdio'] });
    await client.initialize([root]);
  });

  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  test('hides what the file records and shows what is new', async () => {
    client.open(uri, `${HANDLERS}${NEW_HANDLER}`);
    const shown = blocking(await client.diagnosticsFor(uri, (found) => blocking(found).length > 0));
    assert.deepEqual(shown.map((diagnostic) => diagnostic.range.start.line), [14]);
  });

  test('shows recorded findings as hints when asked to', async () => {
    client.settings = { suppressedFindings: 'hint' };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const shown = blocking(await client.diagnosticsFor(uri, (found) => blocking(found).length === 2));
    const hint = shown.find((diagnostic) => diagnostic.range.start.line === 8)!;
    assert.equal(hint.severity, 4);
    assert.match(String(hint.message), /\(recorded in interleave-suppressions\.json\)$/);
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.diagnosticsFor(uri, (found) => blocking(found).length === 1);
  });

  test('reads the file again when it changes; a malformed one is reported and suppresses nothing', async () => {
    writeFileSync(join(root, 'interleave-suppressions.json'), '{ not json');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uriOf(join(root, 'interleave-suppressions.json')), type: FileChangeType.Changed }],
    });
    await client.diagnosticsFor(uri, (found) => blocking(found).length === 2);
    await client.until(() => client.messages.some((message) => /interleave-suppressions\.json is not valid JSON/.test(message.message)), 'the warning');
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { makeProject, SEED_RACE } from '../../test/support/cli';
import { TestLanguageClient, uriOf } from '../../test/support/lsp-client';

const repository = join(__dirname, '..', '..');
const serverBundle = join(repository, 'dist', 'server.js');

/** 550 nested `if` blocks, one space deeper each: the file that once froze the server. */
const NESTED_550 = `async def handler():\n${Array.from({ length: 550 }, (_, depth) => `${' '.repeat(depth + 1)}if x${depth}:\n`).join('')}${' '.repeat(551)}pass\n`;
/** A 20,000-branch `elif` chain. */
const ELIF_20000 = `async def handler(x):\n    if x == 0:\n        y = 0\n${Array.from({ length: 19_999 }, (_, index) => `    elif x == ${index + 1}:\n        y = ${index + 1}\n`).join('')}`;

describe('the language server with hostile input', () => {
  before(() => execFileSync(process.execPath, [join(repository, 'scripts', 'build.mjs')], { stdio: 'inherit' }));

  describe('before initialize', () => {
    let client: TestLanguageClient;
    before(() => {
      client = new TestLanguageClient({ args: [serverBundle, '--stdio'] });
    });
    after(() => client.shutdown());

    test('answers a request with -32002, and serves once initialized', async () => {
      const root = makeProject({ 'main.py': SEED_RACE });
      const hover = { textDocument: { uri: uriOf(join(root, 'main.py')) }, position: { line: 0, character: 0 } };
      await assert.rejects(client.connection.sendRequest(HoverRequest.type, hover), { code: -32002 });
      await assert.rejects(client.connection.sendRequest('interleave/noSuchRequest', {}), { code: -32002 });
      await client.initialize([root]);
      assert.equal(await client.connection.sendRequest(HoverRequest.type, hover), null);
      await assert.rejects(client.connection.sendRequest('interleave/noSuchRequest', {}), { code: -32601 });
    });
  });

  describe('with pathological documents open', () => {
    let client: TestLanguageClient;
    const root = makeProject({ 'nested.py': NESTED_550, 'chain.py': ELIF_20000, 'race.py': SEED_RACE });
    const file = (name: string) => uriOf(join(root, name));
    before(async () => {
      client = new TestLanguageClient({ args: [serverBundle, '--stdio'] });
      await client.initialize([root]);
    });
    after(() => client.shutdown());

    test('answers a hover on another file while they are analysed', async () => {
      client.open(file('race.py'), SEED_RACE);
      const race = await client.diagnosticsFor(file('race.py'), (found) => found.some((diagnostic) => diagnostic.code === 'IL101'));
      const write = race.find((diagnostic) => diagnostic.code === 'IL101')!;
      client.open(file('nested.py'), NESTED_550);
      client.open(file('chain.py'), ELIF_20000);
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: file('race.py') }, position: write.range.start });
      assert.match(JSON.stringify(hover), /IL101/);
      // Both are analysed to the end (or reported as not analysed), never left hanging.
      for (const name of ['nested.py', 'chain.py']) await client.until(() => client.diagnostics.has(file(name)), `diagnostics for ${name}`, 120_000);
      assert.equal(client.exited, false);
    });
  });

  describe('after a framing error', () => {
    test('exits with status 1 and says why on stderr, so the client restarts it', async () => {
      for (const frame of ['Content-Length: 99999999999999\r\n\r\n', 'Content-Length: -5\r\n\r\n{}', 'Content-Type: x\r\n\r\n{}', 'garbage\r\n\r\n']) {
        const client = new TestLanguageClient({ args: [serverBundle, '--stdio'] });
        await client.initialize([makeProject({ 'main.py': SEED_RACE })]);
        client.writeRaw(frame);
        await client.until(() => client.exited, `the server to exit after ${JSON.stringify(frame)}`);
        assert.match(client.stderr.join(''), /cannot read the client's messages: .+; exiting so the client can restart the server/);
        assert.equal(await client.shutdown(), 1);
      }
    });
  });
});

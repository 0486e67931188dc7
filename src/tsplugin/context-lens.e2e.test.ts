/**
 * Where code runs, from the plugin in a real tsserver on a copy of examples/express-shop: the
 * section of the quick info, and the lens and the answer the VS Code extension asks for. Needs
 * `npm run build` first (npm test's pretest does it).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as ts from 'typescript';
import { TsServerClient } from '../../test/support/tsserver-client';
import { pathToUri } from '../server/document-uri';
import { CONTEXT_LENSES_REQUEST, CONTEXTS_AT_REQUEST, TSSERVER_PLUGIN_NAME, type ContextLensesResponse, type ContextsAtResponse } from './protocol';

const repository = join(__dirname, '..', '..');

/** The 1-based line and offset of the first occurrence of `needle`. */
function locate(text: string, needle: string): { line: number; offset: number } {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, needle);
  return { line: index + 1, offset: lines[index]!.indexOf(needle) + 1 };
}

describe('where code runs, from the tsserver plugin', { timeout: 120_000 }, () => {
  let scratch: string;
  let shop: string;
  let server: TsServerClient;
  const file = (relative: string) => join(shop, relative);
  const text = (relative: string) => readFileSync(file(relative), 'utf8');
  const documentation = async (relative: string, needle: string): Promise<string> => {
    const info = await server.request<ts.server.protocol.QuickInfoResponseBody | undefined>('quickinfo', { file: file(relative), ...locate(text(relative), needle) });
    const parts = info?.documentation ?? '';
    return typeof parts === 'string' ? parts : parts.map((part) => part.text).join('');
  };

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'interleave-tsserver-lens-'));
    shop = join(scratch, 'express-shop');
    cpSync(join(repository, 'examples', 'express-shop'), shop, { recursive: true });
    server = new TsServerClient({ globalPlugins: [TSSERVER_PLUGIN_NAME], pluginProbeLocations: [join(repository, 'dist', 'tsserver-plugin')] });
    await server.request('updateOpen', { openFiles: [file('src/routes/cart.ts'), file('src/db.ts')].map((path) => ({ file: path, projectRootPath: shop })) });
  });

  after(async () => {
    await server?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('the quick info on module state says each PM2 worker has its own copy, after what TypeScript says', async () => {
    const markdown = await documentation('src/routes/cart.ts', 'carts = new Map');
    assert.match(markdown, /\*\*Where `carts` runs\*\* · Interleave/);
    assert.ok(markdown.indexOf('Carts by id') >= 0 && markdown.indexOf('Carts by id') < markdown.indexOf('Where'), 'the symbol’s own documentation first');
    assert.match(markdown, /once per worker × 4 PM2 instances · ecosystem\.config\.cjs:8/);
    assert.match(markdown, /Each worker process \(\[ecosystem\.config\.cjs:8\]\(file:\/\/.*ecosystem\.config\.cjs#L8\)\) runs it once/);
    assert.ok(!markdown.includes('command:'), 'no command link: the TypeScript extension’s hover cannot run it');
  });

  test('gives the extension a lens per handler and per piece of mutated module state', async () => {
    const { lenses } = await server.request<ContextLensesResponse>(CONTEXT_LENSES_REQUEST, { file: file('src/routes/cart.ts'), setting: 'handlers' });
    const cart = text('src/routes/cart.ts');
    const at = (needle: string) => lenses.filter((lens) => lens.range.start.line === locate(cart, needle).line - 1).map((lens) => lens.command.title);
    assert.deepEqual(at('const carts'), ['once per worker × 4 PM2 instances · ecosystem.config.cjs:8']);
    assert.deepEqual(at("cart.post('/:cartId/items',"), ['per request · event loop · POST /:cartId/items']);
    assert.ok(lenses.every((lens) => lens.command.command === 'interleave.whereDoesThisRun'));
    assert.deepEqual((await server.request<ContextLensesResponse>(CONTEXT_LENSES_REQUEST, { file: file('src/routes/cart.ts'), setting: 'off' })).lenses, []);
  });

  test('answers where a helper in another module runs, with the chain from each route', async () => {
    const { contexts } = await server.request<ContextsAtResponse>(CONTEXTS_AT_REQUEST, { file: file('src/db.ts'), ...locate(text('src/db.ts'), 'const { rows } = await pool.query<Product>') });
    assert.equal(contexts?.subject, '`findProduct`');
    const [first] = contexts!.contexts;
    assert.equal(first?.line, 'per request · event loop · POST /:cartId/items');
    assert.deepEqual(
      first?.chain.map((link) => [link.label, link.uri]),
      [
        ['POST /:cartId/items', pathToUri(file('src/routes/cart.ts'))],
        ['findProduct()', pathToUri(file('src/routes/cart.ts'))],
      ],
    );
  });

  test('follows contextLens from configurePlugin: off leaves the quick info as TypeScript gives it', async () => {
    await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: { contextLens: 'off' } });
    assert.ok(!(await documentation('src/routes/cart.ts', 'carts = new Map')).includes('Interleave'));
    await server.request('configurePlugin', { pluginName: TSSERVER_PLUGIN_NAME, configuration: {} });
    assert.match(await documentation('src/routes/cart.ts', 'carts = new Map'), /Where `carts` runs/);
  });
});

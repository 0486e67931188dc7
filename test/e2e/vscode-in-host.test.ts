/**
 * Runs test/e2e/in-host/suite.ts inside code-server's extension host with VS Code's
 * extension-test runner, as @vscode/test-web does: the workbench URL's `payload` names this
 * repository as the development extension and the bundled suite as the tests; the workbench
 * reports the suite's output and exit code through `codeAutomationLog` / `codeAutomationExit`.
 * Needs `npm run build` first (npm test's pretest does it), Chromium and code-server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { assertEndToEndTools, copyExampleApp, REPOSITORY, startCodeServer, type CodeServer } from './code-server';
import { launchBrowser } from './workbench';

describe('Interleave through the VS Code API, inside the extension host', { timeout: 240_000 }, () => {
  let server: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  let scratch: string;
  let suite: string;
  let workspace: string;

  before(async () => {
    assertEndToEndTools();
    scratch = mkdtempSync(join(tmpdir(), 'interleave-in-host-'));
    suite = join(scratch, 'suite.js');
    await build({
      entryPoints: [join(import.meta.dirname, 'in-host', 'suite.ts')],
      outfile: suite,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      logLevel: 'warning',
    });
    workspace = copyExampleApp(scratch);
    server = await startCodeServer({ workspace });
    browser = await launchBrowser(scratch);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  });

  it('passes every in-host check', async () => {
    assert.ok(server && browser);
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server?.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPOSITORY)],
      ['extensionTestsPath', remote(suite)],
    ];
    const page = browser.pages()[0] ?? (await browser.newPage());
    const output: string[] = [];
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      output.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    });
    await page.goto(`${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the in-host suite did not finish within 180 s')), 180_000).unref());
    let code: number;
    try {
      code = await Promise.race([exitCode, timeout]);
    } finally {
      console.log(output.join('\n'));
    }
    assert.equal(code, 0, `the in-host suite failed:\n${output.join('\n')}\n${server.log()}`);
    assert.match(output.join('\n'), /in-host: (\d+) of \1 checks passed/);
  });
});

/**
 * Where code runs, in a real VS Code as a person sees it: the .vsix installed into code-server,
 * the example app open (with a Typer command added and the Express example beside it), Chromium
 * reading the lenses, hovering, clicking and running the command. Screenshots of each kind of lens
 * land in test-results/vscode/. Needs what vscode-ui.test.ts needs (see test/e2e/vscode/install.sh).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { assertEndToEndTools, copyExampleApp, REPOSITORY, startCodeServer, type CodeServer } from './code-server';
import { explainerFrame, goTo, launchBrowser, openFile, openWorkbench, runCommand, screenshot } from './workbench';

/** A command-line entry point next to the app: not served. */
const MANAGE = `"""Operator commands: run by hand, never by the server."""
import typer

cli = typer.Typer()


@cli.command()
def seed() -> None:
    """Fill an empty database with demo products."""
    print("seeded")
`;

describe('Where code runs in VS Code: the lens, its hover and the explainer (code-server + Chromium)', { timeout: 300_000 }, () => {
  let server: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let scratch: string;
  let workspace: string;

  /** The lens whose text matches, in the active editor. */
  const lens = (text: string): Locator => page.locator('.editor-group-container.active .codelens-decoration a', { hasText: text }).first();

  /** Opens a file, brings a line into view and waits for its lens. */
  async function lensOn(file: string, needle: string, text: string): Promise<Locator> {
    await openFile(page, file);
    const line = readFileSync(join(workspace, file), 'utf8').split('\n').findIndex((candidate) => candidate.includes(needle)) + 1;
    assert.ok(line > 0, `${needle} is in ${file}`);
    await goTo(page, line, 1);
    const found = lens(text);
    await found.waitFor({ timeout: 60_000 });
    return found;
  }

  before(async () => {
    assertEndToEndTools();
    scratch = mkdtempSync(join(tmpdir(), 'interleave-lens-'));
    const vsix = join(scratch, 'interleave.vsix');
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'package-vsix.mjs'), '--out', vsix], { stdio: 'pipe' });
    workspace = copyExampleApp(scratch);
    writeFileSync(join(workspace, 'app', 'manage.py'), MANAGE);
    cpSync(join(REPOSITORY, 'examples', 'express-shop'), join(workspace, 'express-shop'), { recursive: true });
    server = await startCodeServer({ workspace, vsix });
    browser = await launchBrowser(scratch);
    page = browser.pages()[0] ?? (await browser.newPage());
    await openWorkbench(page, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  });

  it('puts a lens above a route handler: per request, on the event loop, and which route', async () => {
    await lensOn('app/routers/admin.py', '@router.get("/dashboard")', 'per request · event loop · GET /dashboard');
    await screenshot(page, '20-lens-handler');
  });

  it('puts a lens above module state: once per worker, times the workers the deployment file sets', async () => {
    await lensOn('app/routers/cart.py', 'CARTS', 'once per worker × 4 · gunicorn.conf.py:4');
    await screenshot(page, '21-lens-module-state');
  });

  it('puts a lens above the lifespan: startup and shutdown', async () => {
    await lensOn('app/main.py', 'async def lifespan', 'startup and shutdown · lifespan `lifespan`');
    await screenshot(page, '22-lens-startup');
  });

  it('puts a lens above a sync handler: per request, in the threadpool of 40 threads', async () => {
    await lensOn('app/routers/admin.py', 'def export_orders', 'per request · threadpool (40 threads) · GET /exports/orders.csv');
    await screenshot(page, '23-lens-threadpool');
  });

  it('puts a lens above a command-line entry point: not served', async () => {
    await lensOn('app/manage.py', '@cli.command()', 'not served · Typer command `seed`');
    await screenshot(page, '24-lens-not-served');
  });

  it('hovering a lensed name shows the chain from its entry point, each step a link', async () => {
    await lensOn('app/config.py', '@lru_cache', 'once per worker (`@lru_cache`) × 4 · gunicorn.conf.py:4');
    const name = readFileSync(join(workspace, 'app/config.py'), 'utf8').split('\n').findIndex((line) => line.startsWith('def get_settings')) + 1;
    await goTo(page, name, 6);
    await runCommand(page, 'Show or Focus Hover');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'runs · Interleave' }).first();
    await hover.waitFor({ timeout: 30_000 });
    assert.match((await hover.textContent()) ?? '', /Where get_settings runs · Interleave/);
    // Each step is a link to where it is: the import that calls it, and the call.
    assert.ok((await hover.locator('a', { hasText: 'get_settings()' }).count()) > 0, 'the call is a link');
    assert.ok((await hover.locator('a', { hasText: 'gunicorn.conf.py:4' }).count()) > 0, 'the worker count links its file');
    await screenshot(page, '25-lens-hover-chain');
    await hover.locator('a', { hasText: 'Show in the explainer' }).click();
    await explainerFrame(page).locator('h1', { hasText: 'Where get_settings runs' }).waitFor({ timeout: 30_000 });
  });

  it('clicking a lens opens the explainer: the seeds’ picture, what sharing memory means, and the chain', async () => {
    await runCommand(page, 'View: Close Primary Side Bar');
    await (await lensOn('app/routers/admin.py', '@router.get("/dashboard")', 'per request · event loop · GET /dashboard')).click();
    const panel = explainerFrame(page);
    await panel.locator('h1', { hasText: 'Where dashboard runs' }).waitFor({ timeout: 30_000 });
    assert.ok((await panel.locator('svg.story-drawing text', { hasText: 'Workers 3–4' }).count()) > 0, 'four workers, drawn');
    const notes = await panel.locator('.notes li').allTextContents();
    assert.match(notes.join('\n'), /Tasks on one event loop share memory/);
    assert.match(notes.join('\n'), /Threads of the pool share memory/);
    assert.match(notes.join('\n'), /Worker processes each have their own copy/);
    assert.match((await panel.locator('.notes li.applies').first().textContent()) ?? '', /Tasks on one event loop/);
    await screenshot(page, '26-where-does-this-run');
  });

  it('Where Does This Run? on any function: a helper reached from two routes, each step opening its place', async () => {
    await openFile(page, 'app/services/inventory.py');
    const line = readFileSync(join(workspace, 'app/services/inventory.py'), 'utf8').split('\n').findIndex((candidate) => candidate.includes('def warehouse_stock')) + 2;
    await goTo(page, line, 5);
    await runCommand(page, 'Interleave: Where Does This Run?');
    const panel = explainerFrame(page);
    await panel.locator('h1', { hasText: 'Where warehouse_stock runs' }).waitFor({ timeout: 30_000 });
    const headings = await panel.locator('.chains h3').allTextContents();
    assert.ok(headings.some((heading) => heading.startsWith('per request · event loop')), headings.join(' | '));
    assert.ok(headings.some((heading) => heading.startsWith('per request · threadpool (40 threads)')), headings.join(' | '));
    await panel.locator('.chains').scrollIntoViewIfNeeded();
    await screenshot(page, '27-where-does-this-run-helper');
    await panel.locator('.chain button', { hasText: 'warehouse_stock()' }).first().click();
    await page.locator('.tab.active', { hasText: 'catalog.py' }).waitFor({ timeout: 30_000 });
  });

  it('puts the lens on TypeScript through the tsserver plugin, with the PM2 worker count', async () => {
    await page.keyboard.press('Control+1');
    await runCommand(page, 'View: Close Editors in Other Groups');
    await lensOn('express-shop/src/routes/cart.ts', 'const carts', 'once per worker × 4 PM2 instances · ecosystem.config.cjs');
    await lens('per request · event loop · POST /:cartId/items').waitFor({ timeout: 60_000 });
    await screenshot(page, '28-lens-typescript');
  });

  it('follows interleave.contextLens live: off takes the lenses away, handlers brings them back', async () => {
    await openFile(page, 'app/routers/admin.py');
    await lens('per request · event loop').waitFor({ timeout: 60_000 });
    const settings = join(workspace, '.vscode', 'settings.json');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(settings, JSON.stringify({ 'interleave.contextLens': 'off' }));
    try {
      await lens('per request · event loop').waitFor({ state: 'detached', timeout: 30_000 });
    } finally {
      rmSync(settings);
    }
    await lens('per request · event loop').waitFor({ timeout: 30_000 });
  });
});

/**
 * The extension in a real VS Code, used as a person would: the .vsix installed into code-server,
 * the example app open, Chromium pressing the keys. Screenshots land in test-results/vscode/.
 * Needs `npm run build` first (npm test's pretest does it), Chromium and code-server (see
 * test/e2e/vscode/install.sh); without them the suite fails and says what to install.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { assertEndToEndTools, copyExampleApp, REPOSITORY, startCodeServer, type CodeServer } from './code-server';
import {
  chooseAction,
  explainerFrame,
  goTo,
  launchBrowser,
  openFile,
  openWorkbench,
  runCommand,
  screenshot,
} from './workbench';

const XSS_PROBE = '</script><img src=x onerror=alert(1)>';

/** An await race whose code carries markup: the explainer must show it as text, never run it. */
const PROBE_MODULE = `from fastapi import APIRouter

router = APIRouter()
hits = {"count": 0}


async def audit(note: str) -> None:
    print(note)


@router.post("/probe")
async def probe() -> None:
    seen = hits["count"]  # ${XSS_PROBE}
    await audit("${XSS_PROBE}")
    hits["count"] = seen + 1


RETRIES = 3  # interleave: ignore[IL103] -- highlighted as a directive
`;

/** The 1-based line and column where `text` first occurs in a workspace file. */
function locate(workspace: string, file: string, text: string): { line: number; column: number } {
  const lines = readFileSync(join(workspace, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `${text} is in ${file}`);
  return { line: index + 1, column: lines[index].indexOf(text) + 1 };
}

describe('Interleave in VS Code (code-server + Chromium)', { timeout: 300_000 }, () => {
  let server: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let scratch: string;
  let workspace: string;
  const dialogs: string[] = [];

  before(async () => {
    assertEndToEndTools();
    scratch = mkdtempSync(join(tmpdir(), 'interleave-ui-'));
    const vsix = join(scratch, 'interleave.vsix');
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'package-vsix.mjs'), '--out', vsix], { stdio: 'pipe' });
    workspace = copyExampleApp(scratch);
    writeFileSync(join(workspace, 'app', 'probe.py'), PROBE_MODULE);
    cpSync(join(REPOSITORY, 'examples', 'express-shop'), join(workspace, 'express-shop'), { recursive: true });
    server = await startCodeServer({ workspace, vsix });
    browser = await launchBrowser(scratch);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openWorkbench(page, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  });

  it('underlines the await race in admin.py and lists it in Problems', async () => {
    await openFile(page, 'app/routers/admin.py');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'IL101' }).first();
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /RequestCounter\.count/);
    await screenshot(page, '01-squiggle-and-problems');
  });

  it('shows the hazard count and the last analysis in the language status', async () => {
    await page.locator('#status\\.languageStatus').click();
    const status = page.locator('.monaco-hover', { hasText: 'Interleave:' }).last();
    await status.waitFor();
    assert.match((await status.textContent()) ?? '', /Interleave: \d+ hazards?.*last analysis/);
    await screenshot(page, '02-language-status');
    await page.keyboard.press('Escape');
  });

  it('explains the finding in the hover, whose link opens the explainer', async () => {
    const write = locate(workspace, 'app/routers/admin.py', 'RequestCounter.count = current + 1');
    await goTo(page, write.line, write.column + 2);
    await runCommand(page, 'Show or Focus Hover');
    // The problem's own hover part comes first; the server's explanation follows it.
    const hover = page.locator('.monaco-hover:visible', { hasText: 'Show the interleaving' }).first();
    await hover.waitFor();
    const text = (await hover.textContent()) ?? '';
    assert.match(text, /IL101/);
    assert.match(text, /Request A reads RequestCounter\.count/);
    // The problem's message shows once, above; the hover adds what it lacks.
    assert.equal(text.split('is read at line').length - 1, 1, 'the message is not repeated');
    await screenshot(page, '03-hover');
    // The hover's command link opens the explainer for this finding.
    await hover.locator('a', { hasText: 'Show the interleaving' }).click();
    await explainerFrame(page).locator('h1', { hasText: 'IL101' }).waitFor({ timeout: 30_000 });
  });

  it('applies the quick fix for time.sleep and the warning goes away', async () => {
    await openFile(page, 'app/services/payments.py');
    const sleep = locate(workspace, 'app/services/payments.py', 'time.sleep(');
    await goTo(page, sleep.line, sleep.column + 1);
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row', { hasText: 'Interleave (IL201)' }).first().waitFor();
    await screenshot(page, '04-quick-fix-menu');
    await chooseAction(page, 'Interleave (IL201)');
    await page.locator('.action-widget .monaco-list-row').first().waitFor({ state: 'detached' });
    await goTo(page, sleep.line, 1);
    // Monaco renders spaces as non-breaking ones.
    await page.locator('.monaco-editor .view-line', { hasText: /await\sasyncio\.sleep\(/ }).first().waitFor();
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'time.sleep()' });
    await problem.first().waitFor({ state: 'detached' });
    assert.equal(await problem.count(), 0);
    await screenshot(page, '05-quick-fix-applied');
  });

  it('opens the explainer and steps two requests into a lost update', async () => {
    // Room for the panel, as someone reading it would make.
    await runCommand(page, 'View: Hide Panel');
    await runCommand(page, 'View: Close Primary Side Bar');
    await openFile(page, 'app/routers/admin.py');
    const write = locate(workspace, 'app/routers/admin.py', 'RequestCounter.count = current + 1');
    await goTo(page, write.line, write.column + 2);
    await runCommand(page, 'Interleave: Explain Finding');
    const panel = explainerFrame(page);
    await panel.locator('svg.story-drawing').waitFor({ timeout: 30_000 });
    assert.match((await panel.locator('h1').textContent()) ?? '', /IL101/);
    assert.ok((await panel.locator('svg.story-drawing text', { hasText: 'Request A' }).count()) > 0);
    await screenshot(page, '06-explainer-start');
    const next = panel.getByRole('button', { name: 'Next step' });
    while (await next.isEnabled()) await next.click();
    assert.match((await panel.locator('#story-caption').textContent()) ?? '', /one update lost/);
    assert.match((await panel.locator('.shared').textContent()) ?? '', /6/);
    await screenshot(page, '07-explainer-lost-update');
    await panel.locator('.comparison').scrollIntoViewIfNeeded();
    await screenshot(page, '08-explainer-code-and-fix');
  });

  it('draws the other stories: worker processes, the blocked event loop, the lifespan', async () => {
    const stories: { file: string; flagged: string; code: string; drawn: string; screenshot: string }[] = [
      { file: 'app/routers/ws.py', flagged: 'manager = ConnectionManager()', code: 'IL103', drawn: 'Worker 4', screenshot: '09-explainer-workers' },
      { file: 'app/routers/catalog.py', flagged: 'inventory.warehouse_stock(', code: 'IL202', drawn: 'event loop', screenshot: '10-explainer-event-loop' },
      { file: 'app/main.py', flagged: 'Redis.from_url(', code: 'IL301', drawn: 'no close()', screenshot: '11-explainer-lifespan' },
    ];
    for (const { file, flagged, code, drawn, screenshot: name } of stories) {
      await openFile(page, file);
      const at = locate(workspace, file, flagged);
      await goTo(page, at.line, at.column + 1);
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'Interleave: Explain Finding');
      const panel = explainerFrame(page);
      await panel.locator('h1', { hasText: code }).waitFor({ timeout: 30_000 });
      const next = panel.getByRole('button', { name: 'Next step' });
      while (await next.isEnabled()) await next.click();
      assert.ok((await panel.locator('svg.story-drawing text', { hasText: drawn }).count()) > 0, `${code} draws ${drawn}`);
      await screenshot(page, name);
    }
  });

  it('shows source text carrying markup as text, in the hover and the explainer', async () => {
    await openFile(page, 'app/probe.py');
    const write = locate(workspace, 'app/probe.py', 'hits["count"] = seen + 1');
    await goTo(page, write.line, write.column + 2);
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Interleave: Explain Finding');
    const panel = explainerFrame(page);
    await panel.locator('h1', { hasText: 'IL101' }).waitFor({ timeout: 30_000 });
    await panel.locator('.message', { hasText: 'hits["count"]' }).waitFor();
    const body = (await panel.locator('body').textContent()) ?? '';
    assert.ok(body.includes(XSS_PROBE), 'the probe is shown as text');
    assert.equal(await panel.locator('img').count(), 0, 'no element was made from the probe');
    await panel.locator('.comparison').scrollIntoViewIfNeeded();
    await screenshot(page, '12-xss-probe-as-text');
    assert.deepEqual(dialogs, [], 'no script from the probe ran');
  });

  it('highlights suppression comments apart from the rest of the comment', async () => {
    await openFile(page, 'app/probe.py');
    const line = page.locator('.monaco-editor .view-line', { hasText: 'interleave: ignore' }).first();
    await line.waitFor();
    const classOf = async (text: string): Promise<string> =>
      (await line.locator('span span', { hasText: new RegExp(`^${text}$`) }).first().getAttribute('class')) ?? '';
    const comment = await classOf('#\\s');
    assert.notEqual(await classOf('interleave'), comment);
    assert.notEqual(await classOf('IL103'), comment);
    await line.scrollIntoViewIfNeeded();
    await screenshot(page, '13-suppression-comment');
  });

  it('reports TypeScript through VS Code’s TypeScript support: one squiggle per finding, the hover and the quick fixes', async () => {
    const file = 'express-shop/src/routes/admin.ts';
    // The explainer of the tests before takes half the window (the Python files have unsaved fixes: they stay).
    await page.keyboard.press('Control+1');
    await runCommand(page, 'View: Close Editors in Other Groups');
    await openFile(page, file);
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 90_000 });
    await page.keyboard.press('Control+Shift+M');
    // The example has no node_modules: TypeScript's own "cannot find module" errors fill the list.
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await filter.fill('Metrics.dashboardViews');
    // The tsserver plugin's finding: source "interleave", TypeScript's numeric code, the rule first in the text.
    const rows = page.locator('.markers-panel .monaco-list-row', { hasText: '`Metrics.dashboardViews` is read at line 17' });
    await rows.first().waitFor({ timeout: 30_000 });
    const row = (await rows.first().textContent()) ?? '';
    assert.match(row, /IL101 await-race: /);
    // The Problems row shows `interleave(990001)`, the parentheses drawn by CSS.
    assert.match(row, /interleave990001\[Ln 19, Col 3\]$/);
    // Never a second copy from the language server (its diagnostics carry the code `IL101`).
    await page.waitForTimeout(1500);
    assert.equal(await rows.count(), 1, 'one Problems entry for the finding');
    await screenshot(page, '15-typescript-squiggle');
    await filter.fill('');

    // The language status counts the plugin's findings with the server's.
    await page.locator('#status\\.languageStatus').click();
    const status = page.locator('.monaco-hover', { hasText: 'Interleave:' }).last();
    await status.waitFor();
    assert.match((await status.textContent()) ?? '', /Interleave: \d+ hazards.*\d+ from the language server, [1-9]\d* from the tsserver plugin/);
    await page.keyboard.press('Escape');

    const write = locate(workspace, file, 'Metrics.dashboardViews = views + 1');
    await goTo(page, write.line, write.column + 2);
    await runCommand(page, 'Show or Focus Hover');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'Request A reads' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const text = (await hover.textContent()) ?? '';
    assert.match(text, /IL101/);
    assert.match(text, /Metrics\.dashboardViews/);
    assert.equal(text.split('Request A reads').length - 1, 1, 'the explanation shows once');
    assert.equal(text.split('is read at line 17').length - 1, 1, 'the message is not repeated');
    // The problem and TypeScript's own hover come first: scroll to Interleave's part.
    await hover.hover();
    await page.mouse.wheel(0, 400);
    await screenshot(page, '16-typescript-hover');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row', { hasText: 'Disable IL101 for this line' }).first().waitFor({ timeout: 30_000 });
    const titles = await page.locator('.action-widget .monaco-list-row').allTextContents();
    // Asked of the plugin in tsserver: VS Code's TypeScript extension never asks plugins for fixes of their own codes.
    assert.ok(titles.includes('Disable IL101 for this file') && titles.includes('Explain IL101'), titles.join(' | '));
    await screenshot(page, '17-typescript-quick-fix-menu');
    await chooseAction(page, 'Disable IL101 for this line');
    await page.locator('.monaco-editor .view-line', { hasText: /interleave-ignore\sIL101/ }).first().waitFor();
    await rows.first().waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('hands TypeScript to the language server when VS Code stops validating it, still one entry per finding', async () => {
    const settings = join(workspace, '.vscode', 'settings.json');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(settings, JSON.stringify({ 'typescript.validate.enable': false, 'javascript.validate.enable': false }));
    try {
      await page.keyboard.press('Control+Shift+M');
      const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
      await filter.fill('execSync()');
      const rows = page.locator('.markers-panel .monaco-list-row', { hasText: '`execSync()` in the Express GET handler' });
      // The server's diagnostic has the rule as its code (`interleave(IL201)`), the plugin's has 990001.
      await page.locator('.markers-panel .monaco-list-row', { hasText: /interleave\W*IL201/ }).first().waitFor({ timeout: 60_000 });
      await page.locator('.markers-panel .monaco-list-row', { hasText: /interleave\W*990001/ }).first().waitFor({ state: 'detached', timeout: 30_000 });
      await page.waitForTimeout(1500);
      assert.equal(await rows.count(), 1, 'one Problems entry for the finding');
      await screenshot(page, '18-typescript-from-the-server');
      await filter.fill('');
    } finally {
      rmSync(settings);
    }
  });

  it('walks a new user through opening a copy of the example app', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Interleave' }).first().click();
    const open = page.getByRole('button', { name: 'Open the example app' }).last();
    await open.waitFor();
    await screenshot(page, '14-walkthrough');
    const opened = browser?.waitForEvent('page');
    await open.click();
    const example = await opened;
    assert.ok(example);
    // A copy in the extension's storage, never the installed extension's own files.
    assert.match(decodeURIComponent(example.url()), /globalStorage\/interleave-dev\.interleave\/fastapi-shop$/);
    await example.locator('.explorer-folders-view', { hasText: 'gunicorn.conf.py' }).waitFor({ timeout: 60_000 });
    await example.close();
  });
});

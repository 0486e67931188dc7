/**
 * Driving code-server's workbench from Debian's Chromium as a person would: keyboard shortcuts,
 * the command palette, and what is on screen.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { CHROMIUM, REPOSITORY } from './code-server';

export const SCREENSHOTS = join(REPOSITORY, 'test-results', 'vscode');

/** Chromium with a fresh profile in `scratch` (deleted with it, once the browser has closed). */
export async function launchBrowser(scratch: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(scratch, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer shows the folder once the workbench has restored its layout.
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Runs a command by its palette title, e.g. `Interleave: Explain Finding`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  // Into the first editor group, not beside the explainer when it has focus.
  await page.keyboard.press('Control+1');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relativePath);
  // The list shows recently opened files until the search answers: wait for this one.
  const name = relativePath.split('/').pop() ?? relativePath;
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor();
  await row.click();
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/**
 * Applies the code action whose title starts with `title` from the open quick-fix menu, with the
 * keyboard: the menu blocks pointer events until it has settled.
 */
export async function chooseAction(page: Page, title: string): Promise<void> {
  const rows = page.locator('.action-widget .monaco-list-row');
  for (let moves = 0; moves <= (await rows.count()); moves++) {
    const focused = (await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label')) ?? '';
    if (focused.startsWith(title)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no code action "${title}" in the menu`);
}

/** Moves the cursor to a 1-based line and column with Go to Line. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  // Go to Line opens Quick Open with a ":" prefix, which `fill` would replace.
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** The explainer's document: the webview sits two iframes deep in the workbench. */
export function explainerFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

#!/usr/bin/env node
// Renders media/icon.svg to the 128×128 media/icon.png the marketplace requires (it takes no SVG
// icons), with the headless Chromium the end-to-end tests use. Run it after editing the SVG.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const media = join(import.meta.dirname, '..', 'media');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<body style="margin:0;background:transparent">${readFileSync(join(media, 'icon.svg'), 'utf8')}</body>`);
  await page.locator('svg').screenshot({ path: join(media, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}

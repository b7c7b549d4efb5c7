/** The review HTML opened from disk in a real headless Chromium, offline: groups and TODO list. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReview, renderReviewHtml } from '../../scripts/review/index.js';
import { chromiumSkipReason, launchChromium, SCREENSHOT_DIR } from '../helpers/chromium.js';
import { git, makeReviewRepo, type ReviewFixture } from './fixture.js';

const skip = chromiumSkipReason();

describe.skipIf(skip !== undefined)('review HTML in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let fx: ReviewFixture;
  let dir: string;
  const requests: string[] = [];

  beforeAll(async () => {
    fx = makeReviewRepo();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-review-html-'));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Offline: any request that is not the file itself fails the test below.
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (fx) rmSync(fx.repo, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(ref: string): Promise<string> {
    const file = path.join(dir, `${ref}.html`);
    writeFileSync(file, renderReviewHtml(await buildReview(fx.repo, ref)));
    await page.goto(pathToFileURL(file).href);
    return file;
  }

  it('shows the groups with their counts, rendered diffs, and approval per group', async () => {
    await open('rewrite-imports');
    const counts = await page.locator('.group').evaluateAll((els) => els.map((e) => Number((e as unknown as { dataset: { count: string } }).dataset.count)));
    expect(counts).toEqual([5, 1, 1]);
    expect(await page.locator('.group').first().locator('details li').count()).toBe(5);
    expect(await page.locator('.group').first().locator('pre.shape').textContent()).toContain('UnifiedWebSocketManager');
    // diff2html rendered the example and the full diff (its CSS inlined: rows are coloured).
    expect(await page.locator('.group .d2h-file-wrapper').count()).toBe(3);
    const insColour = await page.locator('.d2h-ins').first().evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
    expect(insColour).not.toBe('rgba(0, 0, 0, 0)');
    expect(await page.locator('#files tbody tr').count()).toBe(7);
    expect(await page.locator('#files tr[data-file="src/legacy/obsolete.ts"] td').first().textContent()).toBe('deleted');
    await page.locator('.group').first().locator('input.approve').check();
    expect(await page.locator('#progress-text').textContent()).toBe('1 of 3 group(s) approved, covering 5 of 7 hunk(s)');
    expect(requests).toEqual([]);
  });

  it('lists TODO(ssot) markers and needs-review items first, then the figures', async () => {
    await open('remove-adapters');
    const todos = await page.locator('#todos li').allTextContents();
    expect(todos).toHaveLength(2);
    expect(todos[0]).toMatch(/^src\/agent\.ts:2 \/\/ TODO\(ssot\): no UserExecutionContext/);
    expect(todos[1]).toMatch(/^src\/agent\.ts:7 /);
    expect(await page.locator('#needs-review li').count()).toBe(2);
    const attentionTop = await page.locator('#attention').evaluate((e) => (e as unknown as { offsetTop: number }).offsetTop);
    const groupsTop = await page.locator('#groups').evaluate((e) => (e as unknown as { offsetTop: number }).offsetTop);
    expect(attentionTop).toBeLessThan(groupsTop);
    expect(await page.locator('[data-figure="compliance"] b').textContent()).toBe('87.5% → 100.0%');
    expect(await page.locator('#verified').textContent()).toContain('typecheck 0 -> 0');
    // Show the rendered example diff in the screenshot.
    await page.locator('.group details').evaluateAll((els) => els.forEach((e) => ((e as unknown as { open: boolean }).open = true)));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const png = await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'review.png'), fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(requests).toEqual([]);
    expect(git(fx.repo, 'status', '--porcelain')).toBe('');
  });
});

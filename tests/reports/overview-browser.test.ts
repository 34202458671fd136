import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMarts } from '../../jobs/reports/build-marts.ts';
import { writeOverview } from '../../jobs/reports/html/write-overview.ts';
import { memoryWarehouse, tempDir } from '../helpers/warehouse.ts';
import {
  contractWarehouse,
  seedSynthetic,
  SYNTHETIC_RUN_ID,
  SYNTHETIC_SOURCE_TABLES,
} from './fixture/synthetic.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACT = path.resolve('tests/artifacts/overview.png');
const PHONE_ARTIFACT = path.resolve('tests/artifacts/overview-390.png');

/** Debian's chromium drives this test; without it the test is skipped visibly — except in CI, where that fails. */
function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `${CHROMIUM} is not installed (apt-get install -y chromium, or bash .ci/installs.sh)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI requires it`);
  console.warn(`SKIP: ${msg}`);
  return false;
}

interface PageReport {
  errors: string[];
  external: string[];
  charts: { label: string; width: number; height: number; shapes: number }[];
  sections: string[];
  /** how far the page is wider than the window (0: no sideways scrolling) */
  overflow: number;
  /** cards that stick out of the window */
  cardsOutside: number;
  smallestFontPx: number;
}

async function open(
  browser: Browser,
  file: string,
  screenshot?: string,
  width = 1400,
): Promise<PageReport> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!/^(file|data|about):/.test(r.url())) external.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const charts = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const shapes = [...svg.querySelectorAll('rect, polyline, circle')].filter((s) => {
        const b = (s as unknown as { getBBox(): { width: number; height: number } }).getBBox();
        return b.width > 0 && b.height > 0;
      }).length;
      return {
        label: svg.getAttribute('aria-label') ?? '',
        width: box.width,
        height: box.height,
        shapes,
      };
    }),
  );
  const sections = await page.$$eval('section[id]', (s) => s.map((x) => x.id));
  // runs in the page (the test's TypeScript has no DOM library): the window's globals
  interface PageGlobals {
    document: { documentElement: { scrollWidth: number; clientWidth: number } };
    getComputedStyle(e: unknown): { fontSize: string };
  }
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as PageGlobals).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  const cardsOutside = await page.$$eval(
    '.card, .kpi',
    (cards) =>
      cards.filter((c) => {
        const b = c.getBoundingClientRect();
        const root = (globalThis as unknown as PageGlobals).document.documentElement;
        return b.left < 0 || b.right > root.clientWidth + 0.5;
      }).length,
  );
  const smallestFontPx = await page.$$eval('p, td, th, h2, h3, .kpi .v', (els) =>
    Math.min(
      ...els.map((e) =>
        parseFloat((globalThis as unknown as PageGlobals).getComputedStyle(e).fontSize),
      ),
    ),
  );
  if (screenshot) {
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  await page.close();
  return { errors, external, charts, sections, overflow, cardsOutside, smallestFontPx };
}

describe.runIf(chromiumAvailable())('the HTML overview in headless Chromium', () => {
  let browser: Browser;
  const tmp = tempDir('cdw-overview-');
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    tmp.cleanup();
  });

  it('loads without console errors or network requests, renders every chart, and is saved as a screenshot', async () => {
    const wh = await contractWarehouse();
    const now = new Date();
    try {
      await seedSynthetic(wh, 3000, now);
      const segments = [
        {
          name: 'loyal_high_value',
          description: 'top and high value, still buying',
          where: "value_tier IN ('top', 'high') AND lifecycle_stage IN ('active', 'won_back')",
        },
        {
          name: 'win_back',
          description: 'at risk: last bought 6–12 months ago',
          where: "lifecycle_stage = 'at_risk'",
        },
        {
          name: 'car_without_home',
          description: 'car insurance, no home insurance',
          where:
            "list_contains(products, 'car_insurance') AND NOT list_contains(products, 'home_insurance')",
        },
      ];
      // three nights, one business date each: the trend has three points
      for (const [i, runId] of ['r-night-1', 'r-night-2', SYNTHETIC_RUN_ID].entries()) {
        await buildMarts(wh, {
          runId,
          asOf: new Date(now.getTime() - (2 - i) * 86_400_000),
          complaintDays: 30,
          segments,
          sourceTables: SYNTHETIC_SOURCE_TABLES,
        });
      }
      const file = path.join(tmp.dir, 'overview.html');
      await writeOverview(wh, file, now);
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i); // self-contained, nothing to fetch
      expect(html).not.toMatch(/@example\.com|\+1415\d{7}/); // aggregates only, no customer data

      const page = await open(browser, file, ARTIFACT);
      expect(page.errors).toEqual([]);
      expect(page.external).toEqual([]);
      expect(page.sections).toEqual([
        'trends',
        'customers',
        'segments',
        'campaigns',
        'cross-sell',
        'service',
        'quality',
      ]);
      expect(page.charts.length).toBeGreaterThanOrEqual(14);
      // colours live in overview.css, not in the markup
      expect(html).not.toMatch(/(fill|stroke)="#|rgba\(|style="background/);
      expect(html).toMatch(/Customers per business date/);
      const trend = page.charts.find((c) => c.label === 'Customers per business date');
      expect(trend?.shapes).toBeGreaterThanOrEqual(3); // a point per business date
      expect(html).toMatch(/<table class="reasons">[\s\S]*loyal_high_value/);
      expect(page.overflow).toBe(0);
      for (const c of page.charts) {
        expect(c.width, c.label).toBeGreaterThan(100);
        expect(c.height, c.label).toBeGreaterThan(50);
        expect(c.shapes, `${c.label} draws something`).toBeGreaterThan(0);
      }
      expect(existsSync(ARTIFACT)).toBe(true);

      const phone = await open(browser, file, PHONE_ARTIFACT, 390);
      expect(phone.errors).toEqual([]);
      expect(phone.overflow, 'the page scrolls sideways at 390 px').toBe(0);
      expect(phone.cardsOutside).toBe(0);
      expect(phone.smallestFontPx).toBeGreaterThanOrEqual(11);
      for (const c of phone.charts) expect(c.width, c.label).toBeLessThanOrEqual(390);
    } finally {
      wh.close();
    }
  });

  it('renders on a warehouse whose marts are not built yet, saying so', async () => {
    const wh = await memoryWarehouse();
    try {
      const file = path.join(tmp.dir, 'empty.html');
      await writeOverview(wh, file);
      expect(readFileSync(file, 'utf8')).toMatch(/Not built yet: marts\.customer_360/);
      const page = await open(browser, file);
      expect(page.errors).toEqual([]);
      expect(page.charts.every((c) => c.width > 0 && c.height > 0)).toBe(true);
    } finally {
      wh.close();
    }
  });
});

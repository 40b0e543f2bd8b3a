import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

// What the functions run inside the page use (this program has Node's types, not the DOM's).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

/** Debian's chromium, installed by scripts/test-env/ensure-tools.sh. */
export const CHROMIUM = process.env.OPENMATES_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** A phone's viewport (CSS pixels). */
export const PHONE = { width: 390, height: 844 };
/** Screenshots of each step: test artefacts, gitignored. */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'web');

export interface PhoneBrowser {
  browser: Browser;
  page: Page;
  /** Where the browser saves downloads. */
  downloads: string;
  /** What the page reported as an error (uncaught exceptions, console errors such as a CSP violation). */
  errors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Headless chromium with its own profile (IndexedDB lives there), one page at 390×844. */
export async function openPhoneBrowser(prefix: string): Promise<PhoneBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: run \`bash scripts/test-env/ensure-tools.sh\` (as root; it installs Debian's chromium), or set OPENMATES_TEST_CHROMIUM.`);
  const profile = await mkdtemp(join(tmpdir(), 'omt-chromium-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  // This run's screenshots only: the last run's of the same test go.
  for (const name of await readdir(SCREENSHOTS)) if (name.startsWith(`${prefix}-`)) await rm(join(SCREENSHOTS, name), { force: true });
  const downloads = join(profile, 'downloads');
  await mkdir(downloads);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    downloadBehavior: { policy: 'allow', downloadPath: downloads },
    headless: true,
    userDataDir: profile,
    // As root (the test machine), chromium's sandbox cannot start; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--no-first-run', '--disable-gpu'],
  });
  const page = await browser.newPage();
  await page.setViewport({ ...PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error instanceof Error ? error.message : String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  let step = 0;
  return {
    browser,
    page,
    downloads,
    errors,
    async screenshot(name) {
      step++;
      await page.screenshot({ path: join(SCREENSHOTS, `${prefix}-${String(step).padStart(2, '0')}-${name}.png`) as `${string}.png` });
    },
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the element matching `selector` has text matching `pattern`; returns that text. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  await page.waitForFunction(
    (sel: string, source: string, flags: string) => {
      const element = document.querySelector(sel);
      return element !== null && new RegExp(source, flags).test(element.textContent ?? '');
    },
    { timeout: timeoutMs, polling: 100 },
    selector,
    pattern.source,
    pattern.flags,
  );
  return page.$eval(selector, (element) => element.textContent ?? '');
}

/** Types `text` at the end of the open file's editor (the keys a person would press). */
export async function appendInEditor(page: Page, text: string): Promise<void> {
  await page.click('#edit');
  await page.waitForSelector('#editor');
  await page.focus('#editor');
  await page.keyboard.down('Control');
  await page.keyboard.press('End');
  await page.keyboard.up('Control');
  await page.keyboard.type(text);
}

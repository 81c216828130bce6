import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results', 'screens');
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here (they then report as skipped), or null. */
export function e2eSkipReason(): string | null {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`;
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) return 'renderer not built (run npm run build)';
  return null;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Served {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the real `kassebro serve` on a free port and waits for the URL it prints. */
export function startServe(databaseFile: string): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'kassebro.mjs'), '--db', databaseFile, 'serve', '--port', '0'],
    { cwd: ROOT, env: { ...process.env, KASSEBRO_LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kassebro serve did not start: ${errors}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`kassebro serve exited with ${code}: ${errors}`)));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Kassebro UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A register PC's screen. */
export const VIEWPORT = { width: 1024, height: 768 };

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export interface ScrollFigures {
  readonly frames: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly scrolledPx: number;
}

/**
 * Runs in the page: scrolls an element by `step` pixels every animation frame for `durationMs`
 * and records the time between frames, which is what a user dragging through the list feels.
 * Kept as source text because tsx (esbuild) wraps named functions in a helper the page lacks.
 */
const SCROLL_PROBE = `({ selector, durationMs, step }) => new Promise((resolve, reject) => {
  const element = document.querySelector(selector);
  if (!element) return reject(new Error('no ' + selector));
  const deltas = [];
  let start = 0;
  let last = 0;
  function frame(now) {
    deltas.push(now - last);
    last = now;
    element.scrollTop += step;
    if (now - start < durationMs) return requestAnimationFrame(frame);
    const sorted = deltas.sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    resolve({
      frames: sorted.length,
      medianMs: Number(at(0.5).toFixed(2)),
      p95Ms: Number(at(0.95).toFixed(2)),
      maxMs: Number((sorted.at(-1) ?? 0).toFixed(2)),
      scrolledPx: element.scrollTop,
    });
  }
  requestAnimationFrame((now) => {
    start = last = now;
    requestAnimationFrame(frame);
  });
})`;

export async function measureScroll(
  page: Page,
  selector: string,
  durationMs: number,
  step: number,
): Promise<ScrollFigures> {
  return (await page.evaluate(`(${SCROLL_PROBE})(${JSON.stringify({ selector, durationMs, step })})`)) as ScrollFigures;
}

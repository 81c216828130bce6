import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The Electron binary, found the way the electron package finds it, but without requiring the
 * package: its index.js downloads the binary when it is missing, and tests never download.
 */
function electronBinary(): string | null {
  const packageDir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(packageDir, 'dist');
  const binary = join(dist, relative);
  return existsSync(binary) ? binary : null;
}

function skipReason(): string | null {
  if (!electronBinary()) return 'no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return 'no display (run under xvfb-run)';
  }
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) return 'app not built (run npm run build)';
  return null;
}

const reason = skipReason();
if (reason) console.warn(`Electron launch test skipped: ${reason}`);

describe.skipIf(reason)('the desktop app (Playwright _electron)', () => {
  it('starts the engine process, shows the overview and exposes only named API functions', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kassebro-electron-'));
    const app = await electron.launch({
      executablePath: electronBinary() ?? '',
      args: [join(ROOT, 'out', 'main', 'index.js')],
      env: { ...process.env, KASSEBRO_HOME: home },
    });
    try {
      const window = await app.firstWindow();
      await window.getByRole('heading', { name: 'Oversikt' }).waitFor();
      const exposed = await window.evaluate(() => {
        const api = (globalThis as unknown as { kassebro: Record<string, unknown> }).kassebro;
        return {
          names: Object.keys(api).sort(),
          hasRequire: typeof (globalThis as { require?: unknown }).require !== 'undefined',
        };
      });
      expect(exposed.names).toContain('status');
      expect(exposed.names).not.toContain('invoke');
      expect(exposed.hasRequire).toBe(false);
      const status = await window.evaluate(() =>
        (globalThis as unknown as { kassebro: { status(): Promise<unknown> } }).kassebro.status(),
      );
      expect(status).toMatchObject({ activeTarget: null, homeKind: null });
      // The permission check handler answers every check: Electron's own default grants notifications.
      const states = await window.evaluate(() => {
        type Permissions = { query(descriptor: { name: string }): Promise<{ state: string }> };
        const { permissions } = (globalThis as unknown as { navigator: { permissions: Permissions } }).navigator;
        return Promise.all(
          ['notifications', 'geolocation', 'camera'].map(async (name) => (await permissions.query({ name })).state),
        );
      });
      expect(states).toEqual(['denied', 'denied', 'denied']);
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});

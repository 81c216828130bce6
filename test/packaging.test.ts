import { join } from 'node:path';
import type { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
// electron-builder's own loader and validator: what `npm run package` reads, checked against its schema.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';

const ROOT = join(import.meta.dirname, '..');
const quietDebugLog = { isEnabled: false, add: () => undefined } as unknown as DebugLogger;

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration that flips the hardening fuses', async () => {
    const config = await getConfig(ROOT, null, null);
    await expect(validateConfiguration(config, quietDebugLog)).resolves.toBeUndefined();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
    expect(config.asar).toBe(true);
  });
});

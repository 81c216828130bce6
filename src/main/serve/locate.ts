import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from this module until `relative` exists: works from the source tree and from a bundle. */
function findUp(relative: string): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The built renderer: KASSEBRO_RENDERER_DIR, else out/renderer of this checkout; null when not built. */
export function rendererDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const given = env['KASSEBRO_RENDERER_DIR'];
  if (given) return existsSync(join(given, 'index.html')) ? resolve(given) : null;
  const index = findUp(join('out', 'renderer', 'index.html'));
  return index ? dirname(index) : null;
}

export function packageVersion(): string {
  const file = findUp('package.json');
  if (!file) return '0.0.0';
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
}

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The real CLI bundled into one file (test/sigkill/sync-child.ts runs `main`), so a child process
 * starts in ~0.2 s without tsx. Bundled inside the repo so the child resolves better-sqlite3 & co.
 * from node_modules. `name` keeps the bundles of test files running side by side apart; the old
 * bundle is removed first: esbuild writes in place, and a hard-linked copy of node_modules (git
 * worktrees) would otherwise hand this run another checkout's child.
 */
export async function bundleCliChild(name: string): Promise<string> {
  const folder = join(process.cwd(), 'node_modules', '.cache', `kassebro-${name}`);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'cli-child.mjs');
  rmSync(file, { force: true });
  await build({
    entryPoints: [join(process.cwd(), 'test', 'sigkill', 'sync-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: file,
    logLevel: 'error',
  });
  return file;
}

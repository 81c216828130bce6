#!/usr/bin/env node
// Runs the CLI bundle that `npm run build` (and `prepare`, on `npm ci`) writes to out/cli/; falls
// back to the TypeScript sources through tsx (a dev dependency) when the bundle is missing or older
// than the sources, so an edit is never run stale. See bin/cli-entry.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleIsFresh } from './cli-entry.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `kassebro vouchers | head`: the reader closing the pipe is the normal end, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
let entry;
if (bundleIsFresh(root)) {
  // Stack traces point at the TypeScript sources through the bundle's source maps. Loading the
  // maps costs a short command a third of its start, so only where stacks are printed or logged:
  // with --verbose and in the long-running agent and serve.
  const args = process.argv.slice(2);
  if (args.includes('--verbose') || args.includes('agent') || args.includes('serve'))
    process.setSourceMapsEnabled(true);
  entry = join(root, 'out', 'cli', 'main.js');
} else {
  const { register } = await import('tsx/esm/api').catch(() => {
    process.stderr.write('kassebro: the CLI is not built; run "npm run build:cli" (or "npm ci")\n');
    process.exit(1);
  });
  register();
  entry = join(root, 'src', 'main', 'cli', 'main.ts');
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));

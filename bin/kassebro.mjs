#!/usr/bin/env node
// Runs the TypeScript CLI straight from source through tsx, so `npx kassebro` works right after
// `npm ci` with no build step. The desktop app bundles the same modules with electron-vite.
import { register } from 'tsx/esm/api';

register();
// `kassebro vouchers | head`: the reader closing the pipe is the normal end, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import('../src/main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

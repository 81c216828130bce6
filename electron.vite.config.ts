import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// Three bundles, as electron-vite lays them out: the Electron main process (src/main/app plus the
// engine it imports), the sandboxed preload (CommonJS, as a sandboxed preload must be) and the
// Svelte renderer. Native modules stay external and are loaded from node_modules at run time.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/app/index.ts'),
          // The engine's utilityProcess entry (see src/main/app/engine-host.ts).
          engine: resolve(__dirname, 'src/main/engine/utility-process.ts'),
          // The import's parse worker thread, found beside the engine at run time (src/main/sources/parse-in-worker.ts).
          'parse-worker': resolve(__dirname, 'src/main/sources/parse-worker.ts'),
        },
        external: ['better-sqlite3', 'serialport'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else (zod) into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.js') })],
  },
});

// Bundles the CLI (and the agent and `serve`, which are CLI commands) to out/cli/ with esbuild, so
// `kassebro` starts as plain JavaScript instead of transpiling TypeScript on every run. Runs in
// `npm run build` and as `prepare` (so `npm ci` leaves a working `kassebro`); needs only esbuild,
// not Electron. Kept as .mjs so it runs with bare node before anything is built.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'out', 'cli');

/** One line per entry point: out/cli/<name>.js. Each command's code is split into lazily loaded chunks. */
const ENTRY_POINTS = {
  main: 'src/main/cli/main.ts',
  // The engine and the watch folder read files in this worker (src/main/sources/parse-in-worker.ts finds it beside its chunk).
  'parse-worker': 'src/main/sources/parse-worker.ts',
};

// Native addons load from node_modules at run time. soap and ws stay there too: they require()
// optional or dynamic modules that a bundler cannot see, and both load only in the commands using them.
const EXTERNAL = ['better-sqlite3', 'serialport', '@napi-rs/keyring', 'soap', 'ws', 'electron', 'electron-log'];

// Bundled CommonJS dependencies (iconv-lite, commander…) call require() for Node built-ins;
// an ES module has no require of its own.
const REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

export async function buildCli() {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: REQUIRE_BANNER },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(OUT_DIR, 'metafile.json'), JSON.stringify(result.metafile));
  // The source files the bundle was built from: bin/kassebro.mjs compares their times with the bundle's.
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules'));
  writeFileSync(
    join(OUT_DIR, 'sources.json'),
    JSON.stringify(sources.map((input) => relative(ROOT, join(ROOT, input)))),
  );
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();

/**
 * CPU time (user + system) of a CLI start, against a bare `node -e 0`: `kassebro --help` and
 * `kassebro settlements --json` on a demo home, median of several runs, with the ratio to the goal
 * of 3×. Figures only, no assertions. Run with `npm run bench:cli` after `npm run build` (the bench
 * says when bin/kassebro.mjs would run the TypeScript sources instead of the bundle).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleIsFresh } from '../bin/cli-entry.mjs';
import { runDemo } from '../src/main/demo/run-demo';
import { openDatabase } from '../src/main/store/database';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 7;
const GOAL = 3;

const work = mkdtempSync(join(tmpdir(), 'kassebro-bench-cli-'));
// A CommonJS preload (no ES module loader, so it adds next to nothing) that writes the process's
// own CPU time to a file when it exits: portable, unlike /usr/bin/time.
const preload = join(work, 'cpu-at-exit.cjs');
writeFileSync(
  preload,
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.CPU_FILE, JSON.stringify(process.cpuUsage())));\n",
);

function cpuMs(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const cpuFile = join(work, 'cpu.json');
  const child = spawnSync(process.execPath, ['--require', preload, ...args], {
    cwd: ROOT,
    env: { ...env, CPU_FILE: cpuFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${child.status}`);
  const usage = JSON.parse(readFileSync(cpuFile, 'utf8')) as NodeJS.CpuUsage;
  return (usage.user + usage.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function medianCpuMs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  return median(Array.from({ length: RUNS }, () => cpuMs(args, env)));
}

try {
  const home = join(work, 'home');
  const databaseFile = join(home, 'kassebro.sqlite');
  const db = openDatabase(databaseFile);
  runDemo(db, databaseFile);
  db.close();

  const build = bundleIsFresh(ROOT)
    ? 'the out/cli bundle'
    : 'the TypeScript sources through tsx (bundle missing or stale)';
  console.log(`CLI start, CPU time (user + system), median of ${RUNS} runs; kassebro runs ${build}:`);
  const bare = medianCpuMs(['-e', '0']);
  console.log(`  node -e 0                     ${bare.toFixed(0).padStart(5)} ms`);
  const env = { ...process.env, KASSEBRO_HOME: home };
  for (const command of [['--help'], ['settlements', '--json']]) {
    const ms = medianCpuMs(['bin/kassebro.mjs', ...command], env);
    const ratio = ms / bare;
    console.log(
      `  kassebro ${command.join(' ').padEnd(20)} ${ms.toFixed(0).padStart(5)} ms = ${ratio.toFixed(1)}× node (goal ≤ ${GOAL}×: ${ratio <= GOAL ? 'met' : 'missed'})`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleIsFresh } from '../bin/cli-entry.mjs';
import { useTempHome } from './helpers/temp-home';

const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'out', 'cli', 'main.js');
const newHome = useTempHome();

interface Metafile {
  readonly outputs: Record<
    string,
    {
      readonly entryPoint?: string;
      readonly inputs: Record<string, unknown>;
      readonly imports: readonly { path: string; kind: string; external?: boolean }[];
    }
  >;
}

const meta = (): Metafile => JSON.parse(readFileSync(join(ROOT, 'out', 'cli', 'metafile.json'), 'utf8')) as Metafile;

/** The output file the bundle loads for a source module (an entry point or a dynamically imported one). */
function outputOf(metafile: Metafile, source: string): string {
  const found = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint === source);
  if (!found) throw new Error(`${source} is not an entry of the bundle`);
  return found[0];
}

/** What loading one output file loads before anything runs: its static imports, transitively. */
function loadedWith(metafile: Metafile, file: string): { inputs: string[]; packages: string[] } {
  const inputs = new Set<string>();
  const packages = new Set<string>();
  const visit = (output: string, seen: Set<string>): void => {
    if (seen.has(output)) return;
    seen.add(output);
    const { inputs: sources, imports } = metafile.outputs[output]!;
    for (const input of Object.keys(sources)) inputs.add(input);
    for (const imported of imports) {
      if (imported.kind !== 'import-statement') continue; // dynamic imports load in an action
      if (imported.external) packages.add(imported.path);
      else visit(imported.path, seen);
    }
  };
  visit(file, new Set());
  return { inputs: [...inputs], packages: [...packages] };
}

/** Runs the bundle itself (not bin/kassebro.mjs, which may pick the sources while a developer edits). */
function runBundle(args: readonly string[], home: string) {
  const script = `const { main } = await import(${JSON.stringify(BUNDLE)}); process.exitCode = await main(process.argv.slice(1));`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', ...args], {
    encoding: 'utf8',
    env: { ...process.env, KASSEBRO_HOME: home },
  });
}

describe('the CLI bundle (out/cli)', () => {
  it('exists', () => {
    expect(existsSync(BUNDLE), 'run "npm run build" (or "npm run build:cli") first; npm test does').toBe(true);
  });

  it('starts with only commander and the command declarations: SQLite, SOAP, serial ports, zod and the sandboxes load in actions', () => {
    const { inputs, packages } = loadedWith(meta(), outputOf(meta(), 'src/main/cli/main.ts'));
    expect(packages.filter((name) => !name.startsWith('node:'))).toEqual([]);
    const heavy = inputs.filter((input) =>
      /node_modules\/(zod|soap|serialport|ws|better-sqlite3)\/|src\/main\/(sandboxes|connectors|engine|sync)\/|src\/main\/store\/database\.ts/.test(
        input,
      ),
    );
    expect(heavy).toEqual([]);
    expect(inputs).toContain('src/main/cli/main.ts');
  });

  it('loads the sandboxes only to start one: not with the connectors the sync commands use', () => {
    const { inputs } = loadedWith(meta(), outputOf(meta(), 'src/main/cli/commands/sync.ts'));
    expect(inputs).toContain('src/main/connectors/registry.ts');
    expect(inputs.filter((input) => input.startsWith('src/main/sandboxes/'))).toEqual([]);
  });

  it('runs --help, the demo (posting to its sandbox) and settlements on a temp home', () => {
    const home = newHome();
    const help = runBundle(['--help'], home);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: kassebro');
    for (const command of ['demo', 'settlements', 'sync', 'terminal', 'invoices', 'export', 'agent', 'serve'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));

    const demo = runBundle(['demo', '--json'], home);
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ allBalanced: true });

    const settlements = runBundle(['settlements', '--json'], home);
    expect(settlements.status).toBe(0);
    const listed = JSON.parse(settlements.stdout) as { kind: string }[];
    expect(listed.filter((settlement) => settlement.kind === 'Z').length).toBe(
      JSON.parse(demo.stdout).settlements.z as number,
    );
  });
});

describe('bin/kassebro.mjs runs the bundle only while it is fresh', () => {
  /** A checkout with one source file (changed at time 1000 s) and a bundle built from it at time `builtAt`. */
  function checkout(builtAt: number): string {
    const root = newHome();
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'out', 'cli'), { recursive: true });
    writeFileSync(join(root, 'src', 'a.ts'), 'export {};\n');
    utimesSync(join(root, 'src', 'a.ts'), 1_000, 1_000);
    writeFileSync(join(root, 'out', 'cli', 'sources.json'), JSON.stringify(['src/a.ts']));
    writeFileSync(join(root, 'out', 'cli', 'main.js'), '');
    utimesSync(join(root, 'out', 'cli', 'main.js'), builtAt, builtAt);
    return root;
  }

  it('takes a bundle built after its last source change', () => {
    expect(bundleIsFresh(checkout(2_000))).toBe(true);
  });

  it('falls back to the sources when one was edited after the build, or removed', () => {
    expect(bundleIsFresh(checkout(500))).toBe(false);
    const root = checkout(2_000);
    rmSync(join(root, 'src', 'a.ts'));
    expect(bundleIsFresh(root)).toBe(false);
  });

  it('falls back to the sources when nothing is built', () => {
    const root = checkout(2_000);
    rmSync(join(root, 'out'), { recursive: true });
    expect(bundleIsFresh(root)).toBe(false);
  });
});

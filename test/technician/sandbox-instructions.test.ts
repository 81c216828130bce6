import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TARGETS } from '../../src/shared/targets';
import { API_TARGETS } from '../../src/main/connectors/registry';
import { openDatabase } from '../../src/main/store/database';
import { importZReports } from '../helpers/sync-home';
import { useTempHome } from '../helpers/temp-home';

/**
 * A technician at a shop's PC, following `kassebro sandbox KIND` to the letter: every command it
 * prints is pasted into a shell as printed (a `kassebro` on PATH, as after installation), the
 * browser step of an OAuth connect is what a browser does, and a Z-report then reaches the
 * sandbox with `sync --once`. Nothing here knows a target's settings: they come from the printout.
 */

const REPO = resolve(__dirname, '../..');
const newHome = useTempHome();
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGTERM');
});

interface LogRow {
  readonly module: string;
  readonly status: string;
  readonly code: string | null;
}

interface Printed {
  readonly setups: { title: string; commands: string[] }[];
}

/** A shell environment with `kassebro` on PATH and its own home. */
function shellFor(home: string): NodeJS.ProcessEnv {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'kassebro'), `#!/bin/sh\nexec node "${join(REPO, 'bin/kassebro.mjs')}" "$@"\n`);
  chmodSync(join(bin, 'kassebro'), 0o755);
  return { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, KASSEBRO_HOME: home };
}

/** Starts a process and collects its output; `until` resolves when the output matches. */
function start(command: string, env: NodeJS.ProcessEnv) {
  const child = spawn('bash', ['-c', command], { env, cwd: REPO });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number>((done) => child.on('exit', (code) => done(code ?? -1)));
  return {
    exit,
    output: () => ({ stdout, stderr }),
    until: async (pattern: RegExp): Promise<RegExpExecArray> => {
      await expect
        .poll(() => pattern.exec(stdout) ?? (child.exitCode !== null ? 'exited' : null), {
          timeout: 120_000,
          interval: 50,
        })
        .toBeTruthy();
      const found = pattern.exec(stdout);
      if (!found) throw new Error(`${command} ended before printing ${pattern}:\n${stdout}\n${stderr}`);
      return found;
    },
  };
}

async function runCommand(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  const process = start(command, env);
  const code = await process.exit;
  const { stdout, stderr } = process.output();
  expect(code, `${command}\n${stdout}\n${stderr}`).toBe(0);
  return stdout;
}

/** `kassebro sandbox KIND` as a technician starts it, read until it says how to stop it. */
async function startSandbox(kind: string, env: NodeJS.ProcessEnv): Promise<Printed> {
  const sandbox = start(`kassebro sandbox ${kind}`, env);
  await sandbox.until(/Ctrl\+C stops the sandbox\.\n/);
  const setups: Printed['setups'] = [];
  for (const line of sandbox.output().stdout.split('\n')) {
    const title = /^(.+) \(copy each line as it stands\):$/.exec(line);
    if (title?.[1]) setups.push({ title: title[1], commands: [] });
    else if (line.startsWith('  ') && setups.length > 0) setups.at(-1)?.commands.push(line.trim());
  }
  return { setups };
}

/** `target connect` waits for the browser; the browser opens the address and follows the redirects. */
async function connect(command: string, env: NodeJS.ProcessEnv): Promise<void> {
  const connecting = start(command, env);
  const [address] = await connecting.until(/https?:\/\/\S+/);
  const page = await fetch(address);
  expect(page.status).toBe(200);
  expect(await connecting.exit).toBe(0);
}

describe.each(API_TARGETS.map((api) => api.kind))('a technician follows `kassebro sandbox %s`', (kind) => {
  it(
    'every printed way of setting up logs in and sends a Z-report with sync --once',
    { timeout: 300_000 },
    async () => {
      const printed = await startSandbox(kind, shellFor(newHome()));
      expect(printed.setups.length).toBeGreaterThan(0);
      for (const setup of printed.setups) {
        const home = newHome();
        const env = shellFor(home);
        expect(setup.commands[0], setup.title).toMatch(new RegExp(`kassebro target add ${kind} --kind ${kind}`));
        for (const command of setup.commands) {
          // Each command is a whole line: nothing of the sentence around it is glued on.
          expect(command).not.toMatch(/[.,;]$/);
          if (command.includes('target connect')) await connect(command, env);
          else await runCommand(command, env);
        }
        const db = openDatabase(join(home, 'kassebro.sqlite'));
        importZReports(db, 1, 1, TARGETS[kind].country);
        db.close();
        await runCommand(`kassebro sync --once --target ${kind}`, env);
        const log = JSON.parse(await runCommand(`kassebro log --json --target ${kind}`, env)) as LogRow[];
        const sent = (module: string) => log.filter((row) => row.module === module && row.status === 'transferred');
        // The login and the chart from `target test`, then the voucher posted (not found): once.
        expect(sent('login'), setup.title).toHaveLength(1);
        expect(sent('chart'), setup.title).toHaveLength(1);
        expect(
          sent('voucher').map((row) => row.code),
          setup.title,
        ).toEqual(['posted']);
      }
    },
  );
});

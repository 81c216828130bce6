import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

export const SOCAT = process.env['SOCAT_PATH'] ?? '/usr/bin/socat';

/** True when socat can run here; pty tests skip themselves (reported as skipped) otherwise. */
export function socatAvailable(): boolean {
  return existsSync(SOCAT) && spawnSync(SOCAT, ['-V'], { stdio: 'ignore' }).status === 0;
}

export interface PtyPair {
  readonly a: string;
  readonly b: string;
  /** Kills this socat by its pid: both ends disappear, like an unplugged adapter. */
  stop(): Promise<void>;
}

/** Starts `socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and waits until both links exist. */
export async function startPtyPair(dir: string, names: [string, string] = ['ttyA', 'ttyB']): Promise<PtyPair> {
  const a = join(dir, names[0]);
  const b = join(dir, names[1]);
  const child: ChildProcess = spawn(SOCAT, ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`socat exited with ${child.exitCode}`);
        return existsSync(a) && existsSync(b);
      },
      'socat',
      5000,
    );
  } catch (error) {
    child.kill();
    throw new Error(`socat did not create ${a} and ${b} (${(error as Error).message}): ${stderr}`);
  }
  return {
    a,
    b,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}

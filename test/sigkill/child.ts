import { spawn } from 'node:child_process';
import type { SandboxControl } from '../../src/main/sandboxes/server';
import type { Db } from '../../src/main/store/database';

export interface ChildRun {
  readonly killed: boolean;
  readonly midRequest: boolean;
  readonly code: number | null;
  readonly stdout: string;
}

/** When to SIGKILL the child: `afterMs` after `due()` first held (polled every millisecond). */
export interface KillPlan {
  readonly due: () => boolean;
  readonly afterMs: number;
}

/** Due once the child's `count`-th request reached the sandbox: counting requests keeps kills inside the work. */
export function afterRequests(sandbox: SandboxControl, count: number): () => boolean {
  const before = sandbox.requestCount();
  return () => sandbox.requestCount() - before >= count;
}

/**
 * Due once the child committed a send (markSending counts an attempt just before the request
 * leaves). Requests still pending at the target from children killed before do not count.
 */
export function afterMarkedSending(db: Db): () => boolean {
  const attempts = db.prepare('SELECT COALESCE(SUM(attempts), 0) AS n FROM vouchers');
  const before = (attempts.get() as { n: number }).n;
  return () => (attempts.get() as { n: number }).n > before;
}

/** Runs `kassebro sync --once` (plus `extra`), SIGKILLed as `kill` says unless it is null. */
export function runChild(
  child: string,
  db: string,
  kill: KillPlan | null,
  sandbox: SandboxControl,
  extra: string[] = [],
): Promise<ChildRun> {
  return new Promise<ChildRun>((resolve, reject) => {
    const proc = spawn(process.execPath, [child, '--db', db, 'sync', '--once', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KASSEBRO_LOG_LEVEL: 'error' },
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let killed = false;
    let midRequest = false;
    let killTimer: NodeJS.Timeout | undefined;
    const watch =
      kill === null
        ? undefined
        : setInterval(() => {
            if (!kill.due()) return;
            clearInterval(watch);
            killTimer = setTimeout(() => {
              if (proc.exitCode !== null) return;
              midRequest = sandbox.inFlight() > 0;
              killed = proc.kill('SIGKILL');
            }, kill.afterMs);
          }, 1);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearInterval(watch);
      clearTimeout(killTimer);
      if (!killed && code !== 0 && code !== 1) reject(new Error(`sync child exited ${code}: ${stderr}`));
      else resolve({ killed, midRequest, code, stdout });
    });
  });
}

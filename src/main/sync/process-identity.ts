import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a sync lease: enough to tell, on the same host, whether that very process still runs. */
export interface ProcessIdentity {
  readonly pid: number;
  /** When the OS started the process (null where it cannot be read); a reused pid has another. */
  readonly startedAt: string | null;
  readonly host: string;
}

/**
 * The OS's start time of a process, or null when it is gone or the platform does not tell:
 * Linux reads /proc (boot id + clock ticks since boot, exact), other Unixes ask `ps` (to the
 * second), Windows is not read (the lease's expiry decides there).
 */
export function processStartTime(pid: number, platform: NodeJS.Platform = process.platform): string | null {
  try {
    if (platform === 'win32') return null;
    if (platform === 'linux') return linuxStartTime(pid);
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return started === '' ? null : started;
  } catch {
    return null;
  }
}

function linuxStartTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 22 (starttime); counted after the ")" that ends the command name, which may hold spaces.
  const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `${bootId}/${startTicks}`;
}

let own: ProcessIdentity | undefined;

/** This process, read once. */
export function ownIdentity(): ProcessIdentity {
  own ??= { pid: process.pid, startedAt: processStartTime(process.pid), host: hostname() };
  return own;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process a lease names still runs: 'running' (same pid, same start time), 'gone'
 * (no such pid, or the pid now belongs to another process), or 'unknown' (another host, or a
 * start time that cannot be read).
 */
export function holderState(holder: ProcessIdentity): 'running' | 'gone' | 'unknown' {
  if (holder.host !== hostname()) return 'unknown';
  if (!processAlive(holder.pid)) return 'gone';
  const startedAt = holder.startedAt === null ? null : processStartTime(holder.pid);
  if (startedAt === null) return 'unknown';
  return startedAt === holder.startedAt ? 'running' : 'gone';
}

import { dirname } from 'node:path';
import type { CliContext } from '../cli/context';
import { CliError, EXIT, type Output } from '../cli/output';
import { homeSecretStore } from '../secrets/secret-store';
import { runAgent } from './agent';

/** `kassebro agent`: runs until SIGINT/SIGTERM. */
export async function agentCommand(context: CliContext, out: Output, options: { poll?: string }): Promise<number> {
  const pollSeconds = Number(options.poll ?? 30);
  if (!Number.isFinite(pollSeconds) || pollSeconds <= 0) throw new CliError('--poll must be a number of seconds');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runAgent(context.db, {
      secrets: homeSecretStore(dirname(context.databaseFile)),
      signal: controller.signal,
      pollMs: pollSeconds * 1000,
      onLine: (line) => out.line(`${new Date().toISOString()} ${line}`),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return EXIT.ok;
}

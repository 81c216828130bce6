import { ConnectorError } from '../../connectors/errors';
import { ConnectError, finishPendingConnect, startOAuthConnect } from '../../connectors/oauth-connect';
import { getTarget } from '../../store/targets';
import type { CliContext } from '../context';
import { CliError, EXIT, type Output } from '../output';
import { secretsOf } from './sync';

export interface ConnectOptions {
  code?: string;
  timeout?: string;
}

/**
 * `kassebro target connect NAME`: OAuth for a target that connects through the browser. Headless,
 * it prints the address to open and waits for the browser to come back to 127.0.0.1; where the
 * browser is on another machine, the code (or the whole address it ends on) is given with --code.
 */
export async function connectCommand(
  context: CliContext,
  out: Output,
  name: string,
  options: ConnectOptions,
): Promise<number> {
  const target = getTarget(context.db, name);
  if (!target) throw new CliError(`No target called "${name}" is set up`);
  const connect = { target, secrets: secretsOf(context) };
  try {
    if (options.code) {
      await finishPendingConnect(connect, options.code);
    } else {
      const timeoutMs = Number(options.timeout ?? 600) * 1000;
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError('--timeout must be a number of seconds');
      const attempt = await startOAuthConnect({ ...connect, timeoutMs });
      if (out.json) out.data({ url: attempt.url, redirectUri: attempt.redirectUri });
      else {
        out.line(`Open this address in a browser and approve Kassebro:`);
        out.line(`  ${attempt.url}`);
        out.line(
          `Waiting for the browser to come back to ${attempt.redirectUri}. If it cannot (another machine), ` +
            `run "kassebro target connect ${name} --code <code or the address it ended on>".`,
        );
      }
      const stop = () => void attempt.close();
      process.once('SIGINT', stop);
      try {
        await attempt.done;
      } finally {
        process.off('SIGINT', stop);
      }
    }
  } catch (error) {
    if (error instanceof ConnectError) throw new CliError(error.message, EXIT.problems);
    if (error instanceof ConnectorError)
      throw new CliError(`The token exchange failed: ${error.targetMessage}`, EXIT.problems);
    throw error;
  }
  if (out.json) out.data({ connected: name });
  else out.line(`Connected: the tokens of "${name}" are stored. Next: "kassebro target test ${name}".`);
  return EXIT.ok;
}

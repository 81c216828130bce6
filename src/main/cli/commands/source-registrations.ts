import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isSettlementKey, type SettlementKey } from '../../../shared/settlement-keys';
import { loadPosProfile } from '../../sources/pos-db/read-pos-db';
import { loadSourceOverrides, setSaftPaymentKey, setSie4AccountKey } from '../../sources/overrides';
import { listRegistrations, removeRegistration, saveRegistration } from '../../sources/registrations';
import { runSources } from '../../sources/run-sources';
import type { CliContext } from '../context';
import { CliError, EXIT, type Output } from '../output';
import { formatArgument, intervalOption, printPoll, printWatch, stopSignal, type Run } from './source-common';

export function sourcesList(context: CliContext, out: Output): number {
  const registrations = listRegistrations(context.db);
  if (out.json) {
    out.data(registrations);
    return EXIT.ok;
  }
  for (const registration of registrations) {
    const where =
      registration.kind === 'pos-db'
        ? `${registration.settings.posDatabase} (profile ${registration.settings.profile})`
        : `${registration.settings.dir} (${registration.settings.format})`;
    out.line(`${registration.id}  ${registration.kind}  ${where}`);
  }
  out.line(`${registrations.length} sources`);
  return EXIT.ok;
}

export async function sourcesRun(context: CliContext, out: Output, once: boolean): Promise<number> {
  let failed = false;
  await runSources(
    context.db,
    {
      onPoll: (id, outcome) => printPoll(out, outcome, id),
      onFile: (id, event) => {
        failed ||= event.status === 'failed';
        printWatch(out, event, id);
      },
      onError: (id, error) => {
        failed = true;
        out.line(`[${id}] failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    },
    once ? { once } : { signal: stopSignal() },
  );
  return failed && once ? EXIT.usage : EXIT.ok;
}

function settlementKeyArgument(key: string): SettlementKey {
  if (!isSettlementKey(key)) throw new CliError(`"${key}" is not a settlement key; see docs/sources.md`);
  return key;
}

/** `kassebro sources …`: what the engine reads by itself, and the shop's code tables. */
export function registerSourcesGroup(program: Command, run: Run): void {
  const sources = program.command('sources').description('the POS databases and folders the engine reads by itself');
  sources.command('list').description('list registered sources').action(run(sourcesList));
  sources
    .command('add-pos-db <id>')
    .description('poll a POS database through a profile')
    .requiredOption('--profile <file>', 'the POS profile (JSON)')
    .requiredOption('--pos-db <file>', "the POS's database file")
    .option('--every <seconds>', 'poll interval (default: setting sources.posPollSeconds, else 60)')
    .action((id: string, options: { profile: string; posDb: string; every?: string }) =>
      run((ctx, out) => {
        loadPosProfile(options.profile); // refuse a bad profile now, not at the first poll
        saveRegistration(ctx.db, {
          id,
          kind: 'pos-db',
          settings: {
            posDatabase: resolve(options.posDb),
            profile: resolve(options.profile),
            ...(options.every ? { pollSeconds: intervalOption(ctx, options.every) } : {}),
          },
        });
        out.line(`source ${id} saved`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('add-folder <id> <dir>')
    .description('watch a folder for SAF-T, SIE4 and CSV files')
    .option('--format <format>', 'saft, sie4, csv or auto', 'auto')
    .option('--every <seconds>', 'scan interval', '5')
    .action((id: string, dir: string, options: { format: string; every: string }) =>
      run((ctx, out) => {
        saveRegistration(ctx.db, {
          id,
          kind: 'watch-folder',
          settings: {
            dir: resolve(dir),
            format: formatArgument(options.format),
            scanSeconds: intervalOption(ctx, options.every),
          },
        });
        out.line(`source ${id} saved`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('remove <id>')
    .description('forget a source (its imported reports stay)')
    .action((id: string) =>
      run((ctx, out) => {
        if (!removeRegistration(ctx.db, id)) throw new CliError(`No source called "${id}"`);
        out.line(`source ${id} removed`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('map-payment <code> <key>')
    .description("SAF-T: book the POS's payment code (or a 12xxx code) on a settlement key")
    .action((code: string, key: string) =>
      run((ctx, out) => {
        setSaftPaymentKey(ctx.db, code, settlementKeyArgument(key));
        out.line(`SAF-T payment code ${code} → ${key}`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('map-account <account> <key>')
    .description('SIE4: what kind of money a POS account holds (a settlement key; --vat for its output VAT)')
    .option('--vat', "the account holds the output VAT of the key's sales")
    .action((account: string, key: string, options: { vat?: boolean }) =>
      run((ctx, out) => {
        setSie4AccountKey(ctx.db, account, settlementKeyArgument(key), Boolean(options.vat));
        out.line(`SIE4 account ${account} → ${key}${options.vat ? ' (VAT)' : ''}`);
        return EXIT.ok;
      })(),
    );
  sources
    .command('codes')
    .description("this shop's additions to the SAF-T payment and SIE4 account tables")
    .action(
      run((ctx, out) => {
        const overrides = loadSourceOverrides(ctx.db);
        if (out.json) out.data(overrides);
        else {
          for (const [code, key] of Object.entries(overrides.saftPaymentKeys))
            out.line(`SAF-T payment ${code} → ${key}`);
          for (const [account, { key, part }] of Object.entries(overrides.sie4AccountKeys)) {
            out.line(`SIE4 account ${account} → ${key}${part ? ' (VAT)' : ''}`);
          }
        }
        return EXIT.ok;
      }),
    );
  sources
    .command('run')
    .description('run every registered source until stopped')
    .option('--once', 'poll each POS database once and scan each folder, then exit')
    .action((options: { once?: boolean }) => run((ctx, out) => sourcesRun(ctx, out, Boolean(options.once)))());
}

import { resolve } from 'node:path';
import { isSettlementKey, type SettlementKey } from '../../../shared/settlement-keys';
import { loadPosProfile } from '../../sources/pos-db/read-pos-db';
import { loadSourceOverrides, setSaftPaymentKey, setSie4AccountKey } from '../../sources/overrides';
import { listRegistrations, removeRegistration, saveRegistration } from '../../sources/registrations';
import { runSources } from '../../sources/run-sources';
import type { CliContext } from '../context';
import { CliError, EXIT, type Output } from '../output';
import { formatArgument, intervalOption, printPoll, printWatch, stopSignal } from './source-common';

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

export interface PosDbSourceOptions {
  profile: string;
  posDb: string;
  every?: string;
}

export function sourcesAddPosDb(context: CliContext, out: Output, id: string, options: PosDbSourceOptions): number {
  loadPosProfile(options.profile); // refuse a bad profile now, not at the first poll
  saveRegistration(context.db, {
    id,
    kind: 'pos-db',
    settings: {
      posDatabase: resolve(options.posDb),
      profile: resolve(options.profile),
      ...(options.every ? { pollSeconds: intervalOption(context, options.every) } : {}),
    },
  });
  out.line(`source ${id} saved`);
  return EXIT.ok;
}

export function sourcesAddFolder(
  context: CliContext,
  out: Output,
  id: string,
  dir: string,
  options: { format: string; every: string },
): number {
  saveRegistration(context.db, {
    id,
    kind: 'watch-folder',
    settings: {
      dir: resolve(dir),
      format: formatArgument(options.format),
      scanSeconds: intervalOption(context, options.every),
    },
  });
  out.line(`source ${id} saved`);
  return EXIT.ok;
}

export function sourcesRemove(context: CliContext, out: Output, id: string): number {
  if (!removeRegistration(context.db, id)) throw new CliError(`No source called "${id}"`);
  out.line(`source ${id} removed`);
  return EXIT.ok;
}

export function sourcesMapPayment(context: CliContext, out: Output, code: string, key: string): number {
  setSaftPaymentKey(context.db, code, settlementKeyArgument(key));
  out.line(`SAF-T payment code ${code} → ${key}`);
  return EXIT.ok;
}

export function sourcesMapAccount(
  context: CliContext,
  out: Output,
  account: string,
  key: string,
  options: { vat?: boolean },
): number {
  setSie4AccountKey(context.db, account, settlementKeyArgument(key), Boolean(options.vat));
  out.line(`SIE4 account ${account} → ${key}${options.vat ? ' (VAT)' : ''}`);
  return EXIT.ok;
}

export function sourcesCodes(context: CliContext, out: Output): number {
  const overrides = loadSourceOverrides(context.db);
  if (out.json) out.data(overrides);
  else {
    for (const [code, key] of Object.entries(overrides.saftPaymentKeys)) out.line(`SAF-T payment ${code} → ${key}`);
    for (const [account, { key, part }] of Object.entries(overrides.sie4AccountKeys)) {
      out.line(`SIE4 account ${account} → ${key}${part ? ' (VAT)' : ''}`);
    }
  }
  return EXIT.ok;
}

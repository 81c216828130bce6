import { writeFileSync } from 'node:fs';
import { ALL_SETTLEMENT_KEYS, isLineKey, keyInfo } from '../../../shared/settlement-keys';
import { kontooppsettSchema, listedKeys, mappingEntrySchema, withEntry } from '../../mapping/kontooppsett';
import { isPresetName, PRESETS } from '../../mapping/presets';
import { onUserPath } from '../../log/io-error';
import { readJsonFile } from '../../sources/json-file';
import { loadChart } from '../../store/charts';
import { appendLog } from '../../store/integration-log';
import { settlementAccountKeys } from '../../store/overview-queries';
import { loadKontooppsett, saveKontooppsett } from '../../store/mappings';
import type { CliContext } from '../context';
import { CliError, EXIT, table, type Output } from '../output';

export function mappingShow(context: CliContext, out: Output): number {
  const target = context.target();
  const kontooppsett = loadKontooppsett(context.db, target.id);
  if (out.json) {
    out.data({ target: target.id, ...kontooppsett });
    return EXIT.ok;
  }
  const byKey = new Map(kontooppsett.entries.map((entry) => [`${entry.key}|${entry.location}`, entry]));
  const rows = [['key', 'label', 'location', 'account', 'vat code', 'vat account']];
  for (const key of listedKeys(kontooppsett, settlementAccountKeys(context.db))) {
    const entries = kontooppsett.entries.filter((entry) => entry.key === key);
    if (entries.length === 0) rows.push([key, keyInfo(key).label[out.language], '', '(unmapped)', '', '']);
    for (const entry of entries) {
      rows.push([
        key,
        keyInfo(key).label[out.language],
        entry.location || 'all',
        entry.account,
        entry.vatCode ?? '',
        entry.vatAccount ?? '',
      ]);
    }
  }
  for (const row of table(rows)) out.line(row);
  for (const department of kontooppsett.departments)
    out.line(`location ${department.location} → department ${department.department}`);
  out.line(`${byKey.size} mapped rows for target "${target.id}"`);
  return EXIT.ok;
}

export interface SetOptions {
  readonly vat?: string;
  readonly vatAccount?: string;
  readonly location?: string;
}

export function mappingSet(
  context: CliContext,
  out: Output,
  key: string,
  account: string,
  options: SetOptions,
): number {
  const target = context.target();
  if (!isLineKey(key)) {
    throw new CliError(
      `Unknown settlement key "${key}"; known keys: ${ALL_SETTLEMENT_KEYS.join(', ')}, or account:NUMBER for a POS account`,
    );
  }
  const parsed = mappingEntrySchema.safeParse({
    key,
    account,
    location: options.location ?? '',
    vatCode: options.vat ?? null,
    vatAccount: options.vatAccount ?? null,
  });
  if (!parsed.success) throw new CliError(`Mapping for "${key}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const kontooppsett = withEntry(loadKontooppsett(context.db, target.id), parsed.data);
  saveKontooppsett(context.db, target.id, kontooppsett);
  appendLog(context.db, {
    targetId: target.id,
    module: 'mapping',
    status: 'info',
    message: `Mapped ${key}${parsed.data.location ? ` at location ${parsed.data.location}` : ''} to ${account}${parsed.data.vatCode ? ` with VAT code ${parsed.data.vatCode}` : ''}`,
  });
  const chart = loadChart(context.db, target.id);
  const known = chart?.accounts.get(parsed.data.account);
  if (chart && !known) out.line(`Note: account ${parsed.data.account} is not in the target's chart of accounts.`);
  else if (known && !known.active) out.line(`Note: account ${parsed.data.account} is inactive in the target.`);
  if (!out.json)
    out.line(`${key} → ${parsed.data.account}${parsed.data.vatCode ? ` (VAT ${parsed.data.vatCode})` : ''}`);
  else out.data(parsed.data);
  return EXIT.ok;
}

export function mappingPreset(context: CliContext, out: Output, name: string): number {
  const target = context.target();
  if (!isPresetName(name)) throw new CliError(`Unknown preset "${name}"; presets: ${Object.keys(PRESETS).join(', ')}`);
  const current = loadKontooppsett(context.db, target.id);
  // A preset replaces the account rows but keeps the shop's department mapping.
  saveKontooppsett(context.db, target.id, {
    entries: PRESETS[name].kontooppsett.entries,
    departments: current.departments,
  });
  appendLog(context.db, { targetId: target.id, module: 'mapping', status: 'info', message: `Applied preset ${name}` });
  out.line(`Applied preset ${name} to target "${target.id}": ${PRESETS[name].description}`);
  return EXIT.ok;
}

export function mappingExport(context: CliContext, out: Output, file?: string): number {
  const target = context.target();
  const document = { target: target.id, targetKind: target.kind, ...loadKontooppsett(context.db, target.id) };
  if (file) {
    onUserPath(file, 'write', () => writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`));
    out.line(`Wrote ${document.entries.length} mapping rows to ${file}`);
  } else {
    out.data(document);
  }
  return EXIT.ok;
}

export function mappingImport(context: CliContext, out: Output, file: string): number {
  const target = context.target();
  const kontooppsett = readJsonFile(file, kontooppsettSchema, 'account mapping');
  saveKontooppsett(context.db, target.id, kontooppsett);
  appendLog(context.db, {
    targetId: target.id,
    module: 'mapping',
    status: 'info',
    message: `Imported mapping from ${file}`,
  });
  out.line(`Imported ${kontooppsett.entries.length} mapping rows into target "${target.id}"`);
  return EXIT.ok;
}

import Database from 'better-sqlite3';
import { z } from 'zod';
import { MoneyFormatError, ore, parseAmount, type Ore } from '../../../shared/money';
import { SETTLEMENT_KEYS } from '../../../shared/settlement-keys';
import type { SettlementDraft, SettlementLine } from '../../domain/settlement';
import { readJsonFile } from '../json-file';
import { SourceError } from '../source-error';
import { lineRowSchema, posProfileSchema, settlementRowSchema, type PosProfile } from './profile';

export function loadPosProfile(path: string): PosProfile {
  return readJsonFile(path, posProfileSchema, 'POS profile');
}

export function toOre(value: string | number | bigint, profile: PosProfile, where: () => [string, string]): Ore {
  try {
    if (profile.amountUnit === 'ore') {
      const whole = typeof value === 'string' ? Number(value.trim()) : Number(value);
      return ore(whole);
    }
    // A REAL column reaches us as a float; its shortest decimal text is what the POS meant, and
    // parseAmount refuses it if it carries more than two decimals.
    return parseAmount(typeof value === 'string' ? value : String(value));
  } catch (error) {
    const [location, field] = where();
    const reason = error instanceof MoneyFormatError || error instanceof RangeError ? error.message : String(error);
    throw new SourceError(profile.name, location, field, reason);
  }
}

/**
 * Reads every settlement the POS database holds, through the profile's queries. The POS file is
 * opened read-only so the POS is never locked out or changed.
 */
export function readPosDatabase(
  databasePath: string,
  profile: PosProfile,
  options: { readonly busyTimeoutMs?: number } = {},
): SettlementDraft[] {
  const db = new Database(databasePath, {
    readonly: true,
    fileMustExist: true,
    timeout: options.busyTimeoutMs ?? 5000,
  });
  try {
    const settlementsQuery = db.prepare(profile.queries.settlements);
    const linesQuery = db.prepare(profile.queries.lines);
    const drafts: SettlementDraft[] = [];
    // One snapshot: the POS may write a new report while we read, but we see a consistent set.
    db.transaction(() => {
      settlementsQuery.all().forEach((raw, index) => {
        const row = settlementRowSchema.safeParse(raw);
        if (!row.success) {
          const issue = row.error.issues[0];
          throw new SourceError(
            `${profile.name} (${databasePath})`,
            `settlements row ${index + 1}`,
            issue?.path.join('.') || null,
            issue?.message ?? 'invalid row',
          );
        }
        const settlement = row.data;
        const reportName = `report ${settlement.reportNumber} of register ${settlement.registerId} (ref ${settlement.ref})`;
        const lines: SettlementLine[] = linesQuery.all({ ref: settlement.ref }).map((rawLine, lineIndex) => {
          const where = (field: string): [string, string] => [`${reportName}, line ${lineIndex + 1}`, field];
          const line = lineRowSchema.safeParse(rawLine);
          if (!line.success) {
            const issue = line.error.issues[0];
            throw new SourceError(
              profile.name,
              where('')[0],
              issue?.path.join('.') || null,
              issue?.message ?? 'invalid line',
            );
          }
          const key = profile.codes[line.data.code];
          if (!key) {
            throw new SourceError(
              profile.name,
              where('code')[0],
              'code',
              `unknown POS code "${line.data.code}"; add it to the profile's "codes" so it is mapped to a settlement key`,
            );
          }
          const amount = toOre(line.data.amount, profile, () => where('amount'));
          const vat =
            line.data.vat === null || line.data.vat === undefined
              ? ore(0)
              : toOre(line.data.vat, profile, () => where('vat'));
          const isSales = SETTLEMENT_KEYS[key].group === 'sales';
          return {
            key,
            amount: isSales && profile.salesAmounts === 'gross' ? ore(amount - vat) : amount,
            vat: isSales ? vat : ore(0),
            ...(line.data.department ? { department: line.data.department } : {}),
            sourceCode: line.data.code,
          };
        });
        drafts.push({
          source: profile.source,
          location: settlement.location,
          registerId: settlement.registerId,
          kind: settlement.kind,
          reportNumber: settlement.reportNumber,
          ...(settlement.globalSequence !== null && settlement.globalSequence !== undefined
            ? { globalSequence: settlement.globalSequence }
            : {}),
          businessDate: settlement.businessDate,
          ...(settlement.openedAt ? { openedAt: settlement.openedAt } : {}),
          ...(settlement.closedAt ? { closedAt: settlement.closedAt } : {}),
          currency: profile.currency,
          lines,
          sourceRef: `${databasePath}#${String(settlement.ref)}`,
        });
      });
    })();
    return drafts;
  } catch (error) {
    if (error instanceof SourceError) throw error;
    if (error instanceof z.ZodError) throw new SourceError(profile.name, databasePath, null, error.message);
    throw new SourceError(profile.name, databasePath, null, (error as Error).message, { cause: error });
  } finally {
    db.close();
  }
}

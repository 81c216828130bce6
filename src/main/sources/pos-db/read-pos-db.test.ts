import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { generateDemoPosDatabase } from '../../demo/generate-pos-db';
import { resourcesDir } from '../../paths';
import { SourceError } from '../source-error';
import { loadPosProfile, readPosDatabase } from './read-pos-db';

const newHome = useTempHome();
const demoProfile = () => loadPosProfile(join(resourcesDir(), 'demo', 'demo-pos.profile.json'));

function smallPosDb(): string {
  const path = join(newHome(), 'pos.sqlite');
  generateDemoPosDatabase(path, { seed: 1, days: 3, lastDay: '2026-11-20' });
  return path;
}

describe('readPosDatabase with the demo profile', () => {
  it('reads reports with identity, numbering and exact øre (sales gross → net + VAT)', () => {
    const path = smallPosDb();
    const raw = new Database(path, { readonly: true });
    const firstZ = raw.prepare("SELECT * FROM reports WHERE report_type = 'Z' ORDER BY report_id LIMIT 1").get() as {
      report_id: number;
      register_no: number;
      report_count: number;
    };
    const sales25 = raw
      .prepare("SELECT amount, vat FROM report_totals WHERE report_id = ? AND code = 'SALG_25'")
      .get(firstZ.report_id) as {
      amount: string;
      vat: string;
    };
    raw.close();

    const drafts = readPosDatabase(path, demoProfile());
    const draft = drafts.find((d) => d.globalSequence === firstZ.report_id)!;
    expect(draft).toMatchObject({
      source: 'demo-pos',
      location: '1',
      registerId: String(firstZ.register_no),
      kind: 'Z',
      reportNumber: `${firstZ.report_count}/${firstZ.register_no}`,
      currency: 'NOK',
    });
    const line = draft.lines.find((l) => l.key === 'sales_25')!;
    const grossOre = Math.round(Number(sales25.amount) * 100);
    const vatOre = Math.round(Number(sales25.vat) * 100);
    expect(line).toMatchObject({ amount: grossOre - vatOre, vat: vatOre, sourceCode: 'SALG_25' });
    expect(drafts.some((d) => d.kind === 'X')).toBe(true);
  });

  it('opens the POS database read-only and leaves it byte-for-byte unchanged', () => {
    const path = smallPosDb();
    const before = readFileSync(path);
    readPosDatabase(path, demoProfile());
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('names the report, line and code when the POS has a code the profile does not know', () => {
    const path = smallPosDb();
    const db = new Database(path);
    db.prepare(
      "UPDATE report_totals SET code = 'PRESENTKORT' WHERE rowid = (SELECT MIN(rowid) FROM report_totals WHERE code = 'BANK_INT')",
    ).run();
    db.close();
    expect(() => readPosDatabase(path, demoProfile())).toThrow(SourceError);
    expect(() => readPosDatabase(path, demoProfile())).toThrow(
      /demo-pos: report \d+\/\d+ of register \d+ \(ref \d+\), line \d+, field "code": unknown POS code "PRESENTKORT"/,
    );
  });

  it('refuses an amount that is not exact øre, naming the field', () => {
    const path = smallPosDb();
    const db = new Database(path);
    db.prepare("UPDATE report_totals SET amount = '12.345' WHERE rowid = 1").run();
    db.close();
    expect(() => readPosDatabase(path, demoProfile())).toThrow(
      /line 1, field "amount": "12.345" is not an amount: more than two decimals/,
    );
  });

  it('refuses a profile with a missing query, naming the file and field', () => {
    const path = join(newHome(), 'broken.profile.json');
    writeFileSync(path, JSON.stringify({ name: 'x', source: 'x', queries: { settlements: 'SELECT 1' }, codes: {} }));
    expect(() => loadPosProfile(path)).toThrow(/broken\.profile\.json: POS profile, field "queries\.lines"/);
  });
});

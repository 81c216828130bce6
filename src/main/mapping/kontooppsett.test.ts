import { describe, expect, it } from 'vitest';
import { mappingEntrySchema, resolveMapping, withEntry } from './kontooppsett';
import { PRESETS } from './presets';

describe('account line keys in the kontooppsett', () => {
  it('accepts account:NUMBER and refuses anything else that is not a settlement key', () => {
    expect(mappingEntrySchema.safeParse({ key: 'account:5800', account: '7140' }).success).toBe(true);
    for (const key of ['account:', 'account:58a0', 'konto:5800', 'giftcard']) {
      expect(mappingEntrySchema.safeParse({ key, account: '7140' }).error?.issues[0]?.message).toBe(
        'expected a settlement key or account:NUMBER',
      );
    }
  });

  it('defaults an unmapped account line to its own account on a BAS chart only; a row wins', () => {
    const seBas = PRESETS['se-bas'].kontooppsett;
    expect(resolveMapping(seBas, 'account:5800', 'shop', true)).toMatchObject({ account: '5800', vatCode: null });
    expect(resolveMapping(seBas, 'account:5800', 'shop', false)).toBeUndefined();
    expect(resolveMapping(seBas, 'gift_card_used', 'shop', true)?.account).toBe('2420');
    const mapped = withEntry(seBas, {
      key: 'account:5800',
      location: '',
      account: '5810',
      vatCode: null,
      vatAccount: null,
    });
    expect(resolveMapping(mapped, 'account:5800', 'shop', true)?.account).toBe('5810');
  });
});

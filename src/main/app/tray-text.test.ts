import { describe, expect, it } from 'vitest';
import type { Status } from '../../shared/api';
import { trayText } from './tray-text';

const status = (vouchers: Partial<Status['vouchers']>, invoices: Partial<Status['invoices']> = {}): Status => ({
  homeKind: 'shop',
  activeTarget: {
    id: 't',
    kind: 'tripletex',
    name: 'Butikk',
    displayName: 'Tripletex',
    transport: 'api',
    hasLogin: true,
  },
  vouchers: { blocked: 0, skipped: 0, ready: 0, queued: 0, sending: 0, posted: 0, failed: 0, ...vouchers },
  settlements: { z: 1, x: 0, lastBusinessDate: '2026-11-20' },
  invoices: { queued: 0, sending: 0, posted: 0, failed: 0, held: 0, ...invoices },
  lastSyncAt: null,
  nextRunAt: null,
  language: 'nb',
});

describe('tray status text', () => {
  it('puts errors first, then what is waiting, then all good', () => {
    expect(trayText(status({ failed: 1, blocked: 2, ready: 5 }), false)).toBe('Kassebro: 3 bilag trenger tiltak');
    expect(trayText(status({ ready: 2, queued: 1 }), false)).toBe('Kassebro: 3 bilag venter');
    expect(trayText(status({ posted: 40, skipped: 2 }), false)).toBe('Kassebro: alt er overført');
    expect(trayText(status({ posted: 40 }, { posted: 3, held: 1 }), false)).toBe(
      'Kassebro: 1 fakturaer trenger tiltak',
    );
    expect(trayText(status({ failed: 2 }, { failed: 1, held: 1 }), false, 'en')).toBe(
      'Kassebro: 2 vouchers need attention · 2 invoices need attention',
    );
  });

  it('speaks the language chosen in the window', () => {
    expect(trayText(status({ failed: 1 }), false, 'sv')).toBe('Kassebro: 1 verifikationer behöver åtgärd');
    expect(trayText(status({ queued: 4 }), false, 'en')).toBe('Kassebro: 4 vouchers waiting');
    expect(trayText(status({ posted: 3 }), false, 'sv')).toBe('Kassebro: allt är överfört');
    expect(trayText(null, true, 'en')).toBe('Kassebro: the background engine is restarting');
  });

  it('says when nothing is set up, and when the engine is restarting', () => {
    expect(trayText({ ...status({}), activeTarget: null }, false)).toBe('Kassebro: ikke satt opp');
    expect(trayText(status({ ready: 3 }), true)).toBe('Kassebro: bakgrunnsmotoren startes på nytt');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Language } from '../../shared/settlement-keys';
import type { SandboxControl } from '../sandboxes/server';
import type { Voucher } from '../vouchers/voucher';
import type { Connector, ConnectorTuning } from './connector';
import { ConnectorError, explainError, type SyncErrorCode } from './errors';
import { runInvoiceContractSuite, type InvoiceContractHarness, type InvoiceFixture } from './invoice-contract-suite';

/** Quick timeouts and backoff so the error cases run in milliseconds; the logic is the production one. */
export const CONTRACT_TUNING: ConnectorTuning = {
  timeoutMs: 1_000,
  retries: 2,
  backoffBaseMs: 5,
  backoffMaxMs: 20,
  maxWaitMs: 2_000,
  // Error cases retry at once after a lost answer; the look-up delay has its own tests (src/main/sync).
  lookupMarginMs: 0,
  rateLimit: { requests: 1_000, perMs: 1_000 },
};

export interface ContractHarness {
  readonly target: string;
  readonly language: Language;
  /** Starts a fresh sandbox and a connector wired to it (credentials already stored). */
  start(): Promise<{ sandbox: SandboxControl; connector: Connector }>;
  /** A balanced Z-report voucher in the target's VAT style for the given date. */
  voucher(date: string): Voucher;
  /** An account the voucher uses (made missing / inactive in the error cases). */
  readonly accountOnVoucher: string;
  /** A sales account on the voucher and a VAT code it is NOT booked with, for the VAT-lock case; null where the target has no VAT locks. */
  readonly vatLock: { readonly account: string; readonly lockedTo: string } | null;
  /**
   * How the target shows an inactive account: with a flag (default), or by leaving it out of the
   * chart (24SevenOffice's account list has no active flag).
   */
  readonly inactiveAccounts?: 'flagged' | 'omitted';
  /** Words the target's own message contains for each error case (checked verbatim). */
  readonly targetWords: Partial<Record<SyncErrorCode, RegExp>>;
  /** For targets with the invoice capability: the invoice contract runs too (invoice-contract-suite.ts). */
  readonly invoiceWords?: InvoiceContractHarness['words'];
  /** The invoice contract's sale for the target's country (default: Norwegian). */
  readonly invoiceFixture?: InvoiceFixture;
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * The same suite for every target: one voucher in, read back, and every error case a real target
 * produces mapped to the app's code with the target's words and our explanation.
 */
export function runContractSuite(harness: ContractHarness): void {
  if (harness.invoiceWords) {
    runInvoiceContractSuite({
      target: harness.target,
      start: () => harness.start(),
      words: harness.invoiceWords,
      ...(harness.invoiceFixture ? { fixture: harness.invoiceFixture } : {}),
    });
  }
  describe(`${harness.target} connector contract`, () => {
    let sandbox: SandboxControl;
    let connector: Connector;
    let day = 0;
    const nextDate = () => `2026-10-${String(++day).padStart(2, '0')}`;

    beforeEach(async () => {
      ({ sandbox, connector } = await harness.start());
    });
    afterEach(async () => {
      await sandbox.close();
    });

    const expectExplained = (error: ConnectorError, code: SyncErrorCode) => {
      expect(error.code).toBe(code);
      const words = harness.targetWords[code];
      if (words) expect(error.targetMessage).toMatch(words);
      const explained = explainError(error, harness.language);
      expect(explained.targetMessage).toBe(error.targetMessage);
      expect(explained.explanation.length).toBeGreaterThan(20);
      expect(explained.hint.length).toBeGreaterThan(20);
      expect(explainError(error, 'en').explanation).not.toBe(explained.explanation);
    };

    it('tests the connection and names the company', async () => {
      const info = await connector.testConnection();
      expect(info.company).toMatch(/\w/);
    });

    it('fetches the chart with active flags and VAT codes', async () => {
      sandbox.setAccount(harness.accountOnVoucher, { active: false });
      const chart = await connector.fetchChart();
      const account = chart.accounts.find((candidate) => candidate.number === harness.accountOnVoucher);
      if (harness.inactiveAccounts === 'omitted') expect(account).toBeUndefined();
      else expect(account?.active).toBe(false);
      expect(chart.accounts.filter((candidate) => candidate.active).length).toBeGreaterThan(5);
      if (harness.vatLock) {
        expect(chart.vatCodes?.length).toBeGreaterThan(2);
        expect(chart.accounts.some((candidate) => candidate.lockedVatCode !== null)).toBe(true);
      }
    });

    it('posts a voucher exactly as built and finds it again by its key', async () => {
      const voucher = harness.voucher(nextDate());
      const posted = await connector.postVoucher(voucher, 'kb1-contract-post');
      const stored = sandbox.vouchers();
      expect(stored).toHaveLength(1);
      expect(stored[0]?.idempotencyKey).toBe('kb1-contract-post');
      expect(stored[0]?.date).toBe(voucher.date);
      const lineSum = (account: string, lines: readonly { account: string; amountOre: number }[]) =>
        lines.filter((line) => line.account.split(':')[0] === account).reduce((sum, line) => sum + line.amountOre, 0);
      for (const line of voucher.lines) {
        const account = line.account.split(':')[0] ?? line.account;
        expect(lineSum(account, stored[0]?.lines ?? [])).toBe(
          lineSum(
            account,
            voucher.lines.map((item) => ({ account: item.account, amountOre: item.amount })),
          ),
        );
      }
      expect(await connector.findExisting('kb1-contract-post', voucher)).toEqual(posted);
      expect(await connector.findExisting('kb1-never-sent', voucher)).toBeNull();
    });

    it('renews an expired session or access token by itself', async () => {
      await connector.testConnection();
      sandbox.expireTokens();
      await connector.postVoucher(harness.voucher(nextDate()), 'kb1-after-expiry');
      expect(sandbox.vouchers()).toHaveLength(1);
    });

    it('maps revoked credentials to auth', async () => {
      sandbox.revokeCredentials();
      expectExplained(await failure(connector.testConnection()), 'auth');
    });

    it('maps a missing account to invalid_account', async () => {
      await connector.fetchChart();
      sandbox.setAccount(harness.accountOnVoucher, { exists: false });
      expectExplained(
        await failure(connector.postVoucher(harness.voucher(nextDate()), 'kb1-missing')),
        'invalid_account',
      );
      expect(sandbox.vouchers()).toHaveLength(0);
    });

    it('maps an inactive account to invalid_account', async () => {
      await connector.fetchChart();
      sandbox.setAccount(harness.accountOnVoucher, { active: false });
      expectExplained(
        await failure(connector.postVoucher(harness.voucher(nextDate()), 'kb1-inactive')),
        'invalid_account',
      );
    });

    it.skipIf(!harness.vatLock)('maps an account locked to another VAT code to vat_code_not_allowed', async () => {
      const lock = harness.vatLock;
      if (!lock) return;
      await connector.fetchChart();
      sandbox.setAccount(lock.account, { lockedVatCode: lock.lockedTo });
      expectExplained(
        await failure(connector.postVoucher(harness.voucher(nextDate()), 'kb1-vat')),
        'vat_code_not_allowed',
      );
    });

    it('maps a locked period to locked_period', async () => {
      const date = nextDate();
      sandbox.lockPeriodThrough(date);
      expectExplained(await failure(connector.postVoucher(harness.voucher(date), 'kb1-locked')), 'locked_period');
    });

    it('maps a duplicate voucher to duplicate', async () => {
      sandbox.rejectDuplicates(true);
      const voucher = harness.voucher(nextDate());
      await connector.postVoucher(voucher, 'kb1-twice');
      expectExplained(await failure(connector.postVoucher(voucher, 'kb1-twice')), 'duplicate');
      expect(sandbox.vouchers()).toHaveLength(1);
    });

    it('maps an unbalanced voucher (the target checks too) to unbalanced', async () => {
      const voucher = harness.voucher(nextDate());
      const [first, ...rest] = voucher.lines;
      if (!first) throw new Error('empty voucher');
      const unbalanced = {
        ...voucher,
        lines: [{ ...first, amount: (first.amount + 100) as typeof first.amount }, ...rest],
      };
      expectExplained(await failure(connector.postVoucher(unbalanced, 'kb1-unbalanced')), 'unbalanced');
      expect(sandbox.vouchers()).toHaveLength(0);
    });

    it('waits out a 429 with Retry-After and then posts', async () => {
      sandbox.inject('post', { kind: 'status', status: 429, retryAfterSeconds: 1 });
      const started = Date.now();
      await connector.postVoucher(harness.voucher(nextDate()), 'kb1-429');
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(sandbox.vouchers()).toHaveLength(1);
    });

    it('maps a 429 that does not end to rate_limited with the wait asked for', async () => {
      sandbox.inject('post', { kind: 'status', status: 429, retryAfterSeconds: 30 }, 5);
      const error = await failure(connector.postVoucher(harness.voucher(nextDate()), 'kb1-429-long'));
      expectExplained(error, 'rate_limited');
      expect(error.detail.retryAfterMs).toBe(30_000);
    });

    it('maps 500 and 503 to server_error without storing', async () => {
      sandbox.inject('post', { kind: 'status', status: 500 });
      expectExplained(await failure(connector.postVoucher(harness.voucher(nextDate()), 'kb1-500')), 'server_error');
      sandbox.inject('post', { kind: 'status', status: 503 });
      expectExplained(await failure(connector.postVoucher(harness.voucher(nextDate()), 'kb1-503')), 'server_error');
      expect(sandbox.vouchers()).toHaveLength(0);
    });

    it('reports a connection dropped after storing as unknown_outcome, and findExisting finds it', async () => {
      const voucher = harness.voucher(nextDate());
      await connector.fetchChart();
      sandbox.inject('post', { kind: 'drop-after-store' });
      const error = await failure(connector.postVoucher(voucher, 'kb1-dropped'));
      expectExplained(error, 'unknown_outcome');
      expect(error.detail.mayHaveArrived).toBe(true);
      expect(sandbox.vouchers()).toHaveLength(1);
      expect(await connector.findExisting('kb1-dropped', voucher)).not.toBeNull();
    });

    it('reports a slow answer beyond the timeout as unknown_outcome', async () => {
      await connector.fetchChart();
      sandbox.inject('post', { kind: 'delay', ms: CONTRACT_TUNING.timeoutMs + 500 });
      expectExplained(await failure(connector.postVoucher(harness.voucher(nextDate()), 'kb1-slow')), 'unknown_outcome');
    });

    it('reports an unreachable target as offline', async () => {
      await sandbox.close();
      expectExplained(await failure(connector.testConnection()), 'offline');
      ({ sandbox } = await harness.start());
    });
  });
}

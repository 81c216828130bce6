import { afterEach, describe, expect, it } from 'vitest';
import { importZReports, SYNC_TARGET, tripletexHome } from '../../../test/helpers/sync-home';
import { useTempHome } from '../../../test/helpers/temp-home';
import type { RunningSandbox } from '../connectors/api-target';
import { tripletexTarget } from '../connectors/tripletex/target';
import { prepareVouchers } from '../vouchers/prepare';
import { hasWork } from './daemon';

const newHome = useTempHome();

describe('sync daemon poll', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
  });

  it('starts an on-close run for ready vouchers, but not for ones dated before go-live', async () => {
    sandbox = await tripletexTarget.startSandbox();
    const before = await tripletexHome(newHome(), sandbox, { exportFrom: '2026-02-01' });
    importZReports(before.db, 1, 3);
    prepareVouchers(before.db, SYNC_TARGET);
    expect(hasWork(before.db, before.target(), true)).toBe(false);

    const after = await tripletexHome(newHome(), sandbox, { exportFrom: '2026-01-03' });
    importZReports(after.db, 1, 3);
    prepareVouchers(after.db, SYNC_TARGET);
    expect(hasWork(after.db, after.target(), true)).toBe(true);
    // A timed schedule waits for its time; only a due retry would start it from the poll.
    expect(hasWork(after.db, after.target(), false)).toBe(false);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { homeSecretStore } from '../secrets/secret-store';
import { openDatabase } from '../store/database';
import { activeTargetId } from '../store/home';
import { loadKontooppsett } from '../store/mappings';
import { getTarget } from '../store/targets';
import { applyTargetSetup, TargetSetupError } from './setup';

const tempHome = useTempHome();

function home() {
  const dir = tempHome();
  return { db: openDatabase(join(dir, 'kassebro.sqlite')), secrets: homeSecretStore(dir) };
}

async function setupError(promise: Promise<unknown>): Promise<TargetSetupError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TargetSetupError) return error;
    throw error;
  }
  throw new Error('expected a setup error');
}

describe('applyTargetSetup', () => {
  it('stores the tokens in the secret store only, the rest as settings, and prefills the preset', async () => {
    const { db, secrets } = home();
    await applyTargetSetup(db, secrets, {
      id: 'tt',
      kind: 'tripletex',
      values: { consumerToken: 'c-1', employeeToken: 'e-1', baseUrl: 'http://127.0.0.1:9/v2' },
    });
    const target = getTarget(db, 'tt');
    expect(target?.settings).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v2', companyId: 0 });
    expect(JSON.stringify(target?.settings)).not.toContain('c-1');
    expect(await secrets.get('tt')).toEqual({ consumerToken: 'c-1', employeeToken: 'e-1' });
    expect(loadKontooppsett(db, 'tt').entries.length).toBeGreaterThan(10);
    expect(activeTargetId(db)).toBe('tt');
  });

  it('keeps stored secrets and settings when a change leaves them empty', async () => {
    const { db, secrets } = home();
    await applyTargetSetup(db, secrets, {
      id: 'tt',
      kind: 'tripletex',
      values: { consumerToken: 'c-1', employeeToken: 'e-1', companyId: '42' },
    });
    await applyTargetSetup(db, secrets, { id: 'tt', values: { employeeToken: 'e-2' }, exportFrom: '2026-11-01' });
    expect(await secrets.get('tt')).toEqual({ consumerToken: 'c-1', employeeToken: 'e-2' });
    expect(getTarget(db, 'tt')?.settings).toMatchObject({ companyId: 42, sync: { exportFrom: '2026-11-01' } });
  });

  it('names the missing, malformed or unknown field', async () => {
    const { db, secrets } = home();
    const missing = await setupError(
      applyTargetSetup(db, secrets, { id: 'tt', kind: 'tripletex', values: { consumerToken: 'c' } }),
    );
    expect([missing.field, missing.message]).toEqual(['employeeToken', 'Employee token (employeeToken) is required']);
    const malformed = await setupError(
      applyTargetSetup(db, secrets, {
        id: 'tt',
        kind: 'tripletex',
        values: { consumerToken: 'c', employeeToken: 'e', companyId: 'abc' },
      }),
    );
    expect(malformed.field).toBe('companyId');
    const unknown = await setupError(
      applyTargetSetup(db, secrets, { id: 'tt', kind: 'fiken', values: { accessToken: 'a', companyId: '1' } }),
    );
    expect(unknown.message).toMatch(
      /Fiken has no setting companyId; it has authMode, accessToken, clientId, clientSecret, companySlug/,
    );
    expect(getTarget(db, 'tt')).toBeUndefined();
  });

  it('refuses a name in use by another kind and a bad target name', async () => {
    const { db, secrets } = home();
    await applyTargetSetup(db, secrets, { id: 'files', kind: 'gbat10', values: { folder: '/tmp/out' } });
    expect((await setupError(applyTargetSetup(db, secrets, { id: 'files', kind: 'duett', values: {} }))).field).toBe(
      'kind',
    );
    expect((await setupError(applyTargetSetup(db, secrets, { id: 'Bad Name', kind: 'sie4', values: {} }))).field).toBe(
      'id',
    );
  });

  it('stores a file target with its folder and no secret', async () => {
    const { db, secrets } = home();
    const target = await applyTargetSetup(db, secrets, {
      id: 'sie',
      kind: 'sie4',
      values: { folder: '/srv/export', companyName: 'Kafé Ågren AB', orgNumber: '556677-8899' },
      schedule: { kind: 'daily', time: '05:00' },
    });
    expect(target.secretRef).toBeNull();
    expect(getTarget(db, 'sie')?.settings).toMatchObject({
      folder: '/srv/export',
      sync: { schedule: { kind: 'daily', time: '05:00' } },
    });
    expect(await secrets.get('sie')).toBeUndefined();
    const badOrg = await setupError(applyTargetSetup(db, secrets, { id: 'sie', values: { orgNumber: '5566778899' } }));
    expect([badOrg.field, badOrg.message]).toEqual([
      'orgNumber',
      'Organisation number (orgNumber) "5566778899" has the wrong form',
    ]);
  });

  it('refuses an address with a full stop or comma pasted along, and one that is not http(s)', async () => {
    const { db, secrets } = home();
    const values = { consumerToken: 'c', employeeToken: 'e' };
    for (const baseUrl of ['http://127.0.0.1:18830/v2.', 'http://127.0.0.1:18830/v2,', 'ftp://127.0.0.1/v2']) {
      const error = await setupError(
        applyTargetSetup(db, secrets, { id: 'tt', kind: 'tripletex', values: { ...values, baseUrl } }),
      );
      expect(error.field).toBe('baseUrl');
    }
    expect(getTarget(db, 'tt')).toBeUndefined();
  });

  it('sets Fiken up with a personal API token, or with an OAuth client that connect completes', async () => {
    const { db, secrets } = home();
    const place = { companySlug: 'demo-butikk-as', baseUrl: 'http://127.0.0.1:9/api/v2' };
    const noToken = await setupError(applyTargetSetup(db, secrets, { id: 'fi', kind: 'fiken', values: place }));
    expect(noToken.field).toBe('accessToken');
    await applyTargetSetup(db, secrets, { id: 'fi', kind: 'fiken', values: { ...place, accessToken: 'personal' } });
    expect(getTarget(db, 'fi')?.settings).toMatchObject({ authMode: 'token' });
    expect(await secrets.get('fi')).toEqual({ accessToken: 'personal' });

    const oauth = { ...place, authMode: 'oauth' };
    const noClient = await setupError(applyTargetSetup(db, secrets, { id: 'fo', kind: 'fiken', values: oauth }));
    expect(noClient.field).toBe('clientId');
    // No token yet: `target connect` fetches it.
    await applyTargetSetup(db, secrets, {
      id: 'fo',
      kind: 'fiken',
      values: { ...oauth, clientId: 'app', clientSecret: 'app-secret' },
    });
    expect(getTarget(db, 'fo')?.settings).toMatchObject({ authMode: 'oauth' });
    expect(await secrets.get('fo')).toEqual({ clientId: 'app', clientSecret: 'app-secret' });
  });
});

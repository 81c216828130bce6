import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { homeSecretStore } from '../../secrets/secret-store';
import { openDatabase } from '../../store/database';
import { applyTargetSetup } from '../../targets/setup';
import { POWEROFFICE_ENDPOINTS, powerOfficeEndpoints, powerOfficeSettingsSchema } from './connector';

const tempHome = useTempHome();
const KEYS = { clientKey: 'client-1', applicationKey: 'application-1', subscriptionKey: 'subscription-1' };

describe('PowerOffice Go setup fields', () => {
  it('keeps the three keys in the secret store only and maps the end point mode to the addresses', async () => {
    const home = tempHome();
    const db = openDatabase(join(home, 'kassebro.sqlite'));
    const secrets = homeSecretStore(home, null);
    const target = await applyTargetSetup(db, secrets, {
      id: 'po',
      kind: 'poweroffice',
      values: { ...KEYS, endpointMode: 'demo' },
    });
    expect(await secrets.get('po')).toEqual(KEYS);
    for (const key of Object.values(KEYS)) expect(JSON.stringify(target.settings)).not.toContain(key);
    expect(powerOfficeEndpoints(powerOfficeSettingsSchema.parse(target.settings))).toEqual(POWEROFFICE_ENDPOINTS.demo);
    db.close();
  });

  it('defaults to production and refuses an unknown environment or a missing key, naming the field', async () => {
    const home = tempHome();
    const db = openDatabase(join(home, 'kassebro.sqlite'));
    const secrets = homeSecretStore(home, null);
    const target = await applyTargetSetup(db, secrets, { id: 'po', kind: 'poweroffice', values: KEYS });
    expect(target.settings['endpointMode']).toBe('production');
    await expect(
      applyTargetSetup(db, secrets, { id: 'po2', kind: 'poweroffice', values: { ...KEYS, endpointMode: 'test' } }),
    ).rejects.toMatchObject({ field: 'endpointMode', message: expect.stringContaining('production, demo') });
    const { clientKey: _clientKey, ...withoutClientKey } = KEYS;
    await expect(
      applyTargetSetup(db, secrets, { id: 'po3', kind: 'poweroffice', values: withoutClientKey }),
    ).rejects.toMatchObject({ field: 'clientKey', message: 'Client key (clientKey) is required' });
    db.close();
  });
});

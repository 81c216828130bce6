import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { aesGcmCipher, EncryptedFileSecretStore, homeSecretStore } from './secret-store';

const newHome = useTempHome();

describe('secret store', () => {
  it('keeps secrets encrypted at rest and reads them back', async () => {
    const home = newHome();
    const store = homeSecretStore(home);
    await store.set('tripletex', { employeeToken: 'very-secret-employee-token' });
    const onDisk = readFileSync(join(home, 'secrets', 'tripletex.enc'));
    expect(onDisk.toString('latin1')).not.toContain('very-secret');
    expect(await homeSecretStore(home).get('tripletex')).toEqual({ employeeToken: 'very-secret-employee-token' });
    expect(readdirSync(join(home, 'secrets'))).toEqual(['tripletex.enc']);
  });

  it('refuses to decrypt with another key or a tampered file', async () => {
    const home = newHome();
    await homeSecretStore(home).set('fortnox', { refreshToken: 'r-1' });
    const other = new EncryptedFileSecretStore(join(home, 'secrets'), aesGcmCipher(Buffer.alloc(32, 7)));
    await expect(other.get('fortnox')).rejects.toThrow();
  });

  it('replaces an entry whole and deletes it', async () => {
    const store = homeSecretStore(newHome());
    await store.set('t', { refreshToken: 'old', accessToken: 'a' });
    await store.set('t', { refreshToken: 'new' });
    expect(await store.get('t')).toEqual({ refreshToken: 'new' });
    await store.delete('t');
    expect(await store.get('t')).toBeUndefined();
  });

  it('rejects names that could escape its folder', async () => {
    await expect(homeSecretStore(newHome()).set('../x', { a: 'b' })).rejects.toThrow(/Invalid secret name/);
  });
});

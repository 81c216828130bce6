import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import {
  aesGcmCipher,
  EncryptedFileSecretStore,
  homeSecretStore,
  loadOrCreateMasterKey,
  type KeyVault,
} from './secret-store';

/** An in-memory keyring, as Windows Credential Manager would behave. */
function memoryVault(): KeyVault & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: (account) => entries.get(account) ?? null,
    set: (account, value) => entries.set(account, value),
  };
}

const brokenVault: KeyVault = {
  get: () => {
    throw new Error("Couldn't access platform storage: AccessDenied");
  },
  set: () => {
    throw new Error("Couldn't access platform storage: AccessDenied");
  },
};

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

  it('keeps the master key in the OS keyring when one works, so the home folder alone cannot decrypt', async () => {
    const home = newHome();
    const vault = memoryVault();
    await homeSecretStore(home, vault).set('fiken', { accessToken: 'a-1' });
    expect(existsSync(join(home, 'secret.key'))).toBe(false);
    expect(vault.entries.size).toBe(1);
    expect(loadOrCreateMasterKey(home, vault).storedIn).toBe('keyring');
    expect(await homeSecretStore(home, vault).get('fiken')).toEqual({ accessToken: 'a-1' });
    await expect(homeSecretStore(home, memoryVault()).get('fiken')).rejects.toThrow();
  });

  it('falls back to the key file when the keyring cannot be used, and keeps using an existing key file', async () => {
    const home = newHome();
    expect(loadOrCreateMasterKey(home, brokenVault).storedIn).toBe('file');
    await homeSecretStore(home, brokenVault).set('tt', { employeeToken: 'e' });
    expect(existsSync(join(home, 'secret.key'))).toBe(true);
    const vault = memoryVault();
    expect(await homeSecretStore(home, vault).get('tt')).toEqual({ employeeToken: 'e' });
    expect(vault.entries.size).toBe(0);
  });
});

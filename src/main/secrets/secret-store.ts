import { Entry } from '@napi-rs/keyring';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  fsyncSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Credentials of one target: names → values (tokens, keys). Never logged, never in payloads. */
export type Secret = Readonly<Record<string, string>>;

export interface SecretStore {
  get(ref: string): Promise<Secret | undefined>;
  /** Replaces the entry atomically: after a crash the old or the new value is there, never half. */
  set(ref: string, value: Secret): Promise<void>;
  delete(ref: string): Promise<void>;
}

/**
 * Turns plaintext into ciphertext and back. Headless it is AES-256-GCM with a key file; the
 * Electron app plugs in one backed by safeStorage (OS keychain / DPAPI / libsecret).
 */
export interface SecretCipher {
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

const secretSchema = z.record(z.string(), z.string());
const REF_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/**
 * One encrypted file per target under `<home>/secrets/`, written by rename so a crash never tears it.
 * Methods are async (and reject rather than throw) like an OS-keyring store would be.
 */
export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly folder: string,
    private readonly cipher: SecretCipher,
  ) {}

  async get(ref: string): Promise<Secret | undefined> {
    await Promise.resolve();
    const file = this.fileOf(ref);
    if (!existsSync(file)) return undefined;
    const plain = this.cipher.decrypt(readFileSync(file));
    return secretSchema.parse(JSON.parse(plain.toString('utf8')));
  }

  async set(ref: string, value: Secret): Promise<void> {
    await Promise.resolve();
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const file = this.fileOf(ref);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, this.cipher.encrypt(Buffer.from(JSON.stringify(value), 'utf8')), { mode: 0o600 });
    const handle = openSync(temporary, 'r');
    fsyncSync(handle);
    closeSync(handle);
    renameSync(temporary, file);
  }

  async delete(ref: string): Promise<void> {
    await Promise.resolve();
    rmSync(this.fileOf(ref), { force: true });
  }

  private fileOf(ref: string): string {
    if (!REF_PATTERN.test(ref)) throw new Error(`Invalid secret name "${ref}"`);
    return join(this.folder, `${ref}.enc`);
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM; layout iv ‖ tag ‖ ciphertext. A wrong key or a tampered file fails loudly. */
export function aesGcmCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
  };
}

/**
 * The headless key: 32 random bytes in a 0600 file, made on first use. It keeps secrets out of
 * the database, backups and support bundles; it does not protect against someone who can read
 * the user's files (the app's safeStorage cipher does better where an OS keychain exists).
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  if (existsSync(file)) return readFileSync(file);
  const key = randomBytes(32);
  try {
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process made it first: use theirs, or the secrets it wrote would be unreadable.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file);
    throw error;
  }
}

/** Where a home's master key can live besides its key file: the OS keyring. */
export interface KeyVault {
  /** Throws when the platform store cannot be used (no keyring daemon, access denied). */
  get(account: string): string | null;
  set(account: string, value: string): void;
}

const KEYRING_SERVICE = 'Kassebro';

/** Windows Credential Manager, macOS Keychain or the Secret Service, through @napi-rs/keyring. */
export const osKeyVault: KeyVault = {
  get: (account) => new Entry(KEYRING_SERVICE, account).getPassword() ?? null,
  set: (account, value) => new Entry(KEYRING_SERVICE, account).setPassword(value),
};

export interface MasterKey {
  readonly key: Buffer;
  readonly storedIn: 'keyring' | 'file';
}

/**
 * The home's 32-byte master key. In the OS keyring when one works, so copying the home folder does
 * not copy the means to read its secrets; else (a service account, a Linux box without a keyring
 * daemon) in a 0600 key file. A home that already has a key file keeps using it: moving a key is
 * not something to do silently.
 */
export function loadOrCreateMasterKey(home: string, vault: KeyVault | null): MasterKey {
  const keyFile = join(home, 'secret.key');
  if (vault && !existsSync(keyFile)) {
    const account = `home-${createHash('sha256').update(resolve(home)).digest('hex').slice(0, 24)}`;
    try {
      const stored = vault.get(account);
      if (stored) return { key: Buffer.from(stored, 'base64'), storedIn: 'keyring' };
      const key = randomBytes(32);
      vault.set(account, key.toString('base64'));
      // Read back: some keyrings accept a write they cannot return (locked collection).
      if (vault.get(account) === key.toString('base64')) return { key, storedIn: 'keyring' };
    } catch {
      // No usable keyring here: the key file below is the documented fallback.
    }
  }
  return { key: loadOrCreateKeyFile(keyFile), storedIn: 'file' };
}

/**
 * The secret store of a home folder (next to its database). `KASSEBRO_SECRET_KEY_STORE=file`
 * skips the keyring (a Windows service account whose credential vault is not the shop user's).
 */
export function homeSecretStore(
  home: string,
  vault: KeyVault | null = process.env['KASSEBRO_SECRET_KEY_STORE'] === 'file' ? null : osKeyVault,
): SecretStore {
  mkdirSync(home, { recursive: true });
  return new EncryptedFileSecretStore(join(home, 'secrets'), aesGcmCipher(loadOrCreateMasterKey(home, vault).key));
}

import { safeStorage } from 'electron';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const fileSchema = z.record(z.string(), z.string());

/**
 * Credentials, encrypted with the OS keychain (DPAPI on Windows) through safeStorage and kept in
 * one file beside the database. Targets store only the name (secret_ref); the connectors ask for
 * the secret through this store when they need it. Nothing here is ever logged.
 */
export class SecretStore {
  constructor(private readonly file: string) {}

  available(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  get(ref: string): string | undefined {
    const encrypted = this.read()[ref];
    return encrypted === undefined ? undefined : safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
  }

  set(ref: string, secret: string): void {
    if (!this.available()) throw new Error('The operating system offers no secure storage for credentials');
    this.write({ ...this.read(), [ref]: safeStorage.encryptString(secret).toString('base64') });
  }

  delete(ref: string): void {
    const { [ref]: _removed, ...rest } = this.read();
    this.write(rest);
  }

  private read(): Record<string, string> {
    return existsSync(this.file) ? fileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))) : {};
  }

  private write(secrets: Record<string, string>): void {
    // Write then rename, so a crash never leaves a half-written file.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(secrets), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }
}

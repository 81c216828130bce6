import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists; Kassebro never overwrites an export file`);
    this.name = 'FileExistsError';
  }
}

/**
 * Writes a whole file or nothing: the bytes go to a hidden temp file in the same folder, are
 * flushed to disk, and only then renamed to the final name, so an importer watching the folder
 * never sees half a file and a crash leaves at most a `.tmp` file behind.
 */
export function writeFileAtomically(path: string, data: Uint8Array): void {
  if (existsSync(path)) throw new FileExistsError(path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(dirname(path));
}

/** Makes the rename itself durable where the OS allows it (not on Windows, where opening a folder fails). */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the file's own bytes are already flushed.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

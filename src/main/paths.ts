import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the installation keeps its data: --db wins, then KASSEBRO_HOME, then the OS user-data
 * folder Electron would also use (%APPDATA%/Kassebro, ~/Library/Application Support/Kassebro,
 * $XDG_CONFIG_HOME/Kassebro or ~/.config/Kassebro).
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['KASSEBRO_HOME']) return resolve(env['KASSEBRO_HOME']);
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Kassebro');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Kassebro');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Kassebro');
}

export const DATABASE_FILE = 'kassebro.sqlite';

export function databasePath(dbOption: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return dbOption ? resolve(dbOption) : join(defaultHome(env), DATABASE_FILE);
}

/**
 * The resources folder: KASSEBRO_RESOURCES when set (the packaged app sets it to its
 * resourcesPath), otherwise found by walking up from this module (source tree or bundle).
 */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['KASSEBRO_RESOURCES']) return resolve(env['KASSEBRO_RESOURCES']);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'resources', 'demo'))) return join(dir, 'resources');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the resources folder; set KASSEBRO_RESOURCES');
    dir = parent;
  }
}

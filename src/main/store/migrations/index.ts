import { initial } from './0001-initial';
import { fileExports } from './0004-file-exports';
import type { Migration } from './migration';

/** In order; the last id is the schema version this code writes. */
export const MIGRATIONS: readonly Migration[] = [initial, fileExports];

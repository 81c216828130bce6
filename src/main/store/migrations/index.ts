import { initial } from './0001-initial';
import { syncOutbox } from './0003-sync-outbox';
import type { Migration } from './migration';

/** In order; the last id is the schema version this code writes. */
export const MIGRATIONS: readonly Migration[] = [initial, syncOutbox];

import { initial } from './0001-initial';
import { sources } from './0002-sources';
import { syncOutbox } from './0003-sync-outbox';
import { fileExports } from './0004-file-exports';
import { terminalCapture } from './0005-terminal-capture';
import { invoices } from './0006-invoices';
import { heldInvoices } from './0007-held-invoices';
import { inFlightLookups } from './0008-in-flight-lookups';
import type { Migration } from './migration';

/** In order; the last id is the schema version this code writes. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  sources,
  syncOutbox,
  fileExports,
  terminalCapture,
  invoices,
  heldInvoices,
  inFlightLookups,
];

import type { SettlementDraft } from '../domain/settlement';
import type { SourceOverrides } from './overrides';

export type FileFormat = 'saft' | 'sie4' | 'csv';

/** What the file importers accept, for refusals of a file that is none of them. */
export const ACCEPTED_FILES = 'a SAF-T Cash Register, SIE4 or CSV settlement file';

/** What one file yields: every report in it, or a SourceError (thrown) and nothing at all. */
export interface FileReadResult {
  readonly format: FileFormat;
  readonly drafts: readonly SettlementDraft[];
  /** File-level remarks that belong to no single report. */
  readonly warnings: readonly string[];
}

/** How far a reader has come: called now and then while a large file is read (the import screen shows it). */
export type ReadProgress = (bytesRead: number, reportsFound: number) => void;

/**
 * One importer per file format, all behind this small interface so the CLI, the watch folder and
 * the background engine run them the same way. `read` is all-or-nothing: it returns every report
 * of the file or throws a SourceError naming file, line/column and field.
 */
export interface FileSource {
  readonly format: FileFormat;
  /** True when the first bytes of a file look like this format. */
  sniff(head: Buffer): boolean;
  /**
   * `overrides`: the shop's additions to the built-in code tables. `onProgress`: called as a
   * streaming reader goes (a reader that reads the whole file at once may never call it).
   */
  read(path: string, overrides?: SourceOverrides, onProgress?: ReadProgress): FileReadResult;
}

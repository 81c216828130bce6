import type { TargetKind } from '../../shared/targets';
import type { BaseFileSettings, FileFormat } from './format';
import { duettFormat } from './duett/duett-format';
import { gbat10Format } from './gbat10/gbat10-format';
import { sie4Format } from './sie4/sie4-format';
import { xledgerFormat } from './xledger/xledger-format';

/** Every file format, by the target kind that uses it. */
export const FILE_FORMATS = {
  sie4: sie4Format,
  gbat10: gbat10Format,
  xledger: xledgerFormat,
  duett: duettFormat,
} as const satisfies Partial<Record<TargetKind, FileFormat<BaseFileSettings>>>;

export type FileFormatKind = keyof typeof FILE_FORMATS;

export function isFileFormatKind(kind: string): kind is FileFormatKind {
  return Object.hasOwn(FILE_FORMATS, kind);
}

import { formatAmount, type Ore } from '../../shared/money';
import { LANGUAGES, type Language } from '../../shared/settlement-keys';

/** Exit codes the CLI promises: 0 done, 1 validation problems, 2 usage or bad input. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** Thrown to end a command with a given exit code and one clear line on stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    readonly details?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Output {
  readonly json: boolean;
  readonly language: Language;
  line(text?: string): void;
  data(value: unknown): void;
}

export function createOutput(json: boolean, language: Language, write: (text: string) => void): Output {
  return {
    json,
    language,
    line: (text = '') => write(`${text}\n`),
    data: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

/** CLI language: --lang, then KASSEBRO_LANG, then the OS locale (nb_NO → nb, sv_SE → sv), else English. */
export function pickLanguage(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Language {
  const candidates = [option, env['KASSEBRO_LANG'], env['LC_ALL'], env['LANG']];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const code = candidate.toLowerCase().slice(0, 2);
    if (code === 'no' || code === 'nn') return 'nb';
    if ((LANGUAGES as readonly string[]).includes(code)) return code as Language;
    if (candidate === option) throw new CliError(`--lang must be one of ${LANGUAGES.join(', ')}, not "${option}"`);
  }
  return 'en';
}

/** Pads columns of a small table for terminal output. */
export function table(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, index) =>
        rightAligned.includes(index) ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

export const money = (amount: Ore): string => formatAmount(amount);

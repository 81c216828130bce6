import { describeProblem } from '../../shared/problems';
import type { CliContext } from '../cli/context';
import { CliError, EXIT, table, type Output } from '../cli/output';
import { listTargets } from '../store/targets';
import { FILE_FORMATS, isFileFormatKind } from './formats';
import { ExportError, exportFileTarget, whyNotExported, type ExportResult } from './run-export';

export interface ExportCommandOptions {
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
}

/** `export NAME`: a target with that id, else the one file target of that kind (sie4, gbat10…). */
function resolveFileTarget(context: CliContext, name: string): string {
  const targets = listTargets(context.db);
  const byId = targets.find((target) => target.id === name);
  if (byId) return byId.id;
  const ofKind = targets.filter((target) => target.kind === name);
  if (ofKind.length === 1 && ofKind[0]) return ofKind[0].id;
  if (ofKind.length > 1)
    throw new CliError(
      `Several ${name} targets are set up (${ofKind.map((target) => target.id).join(', ')}); name one`,
    );
  const formats = Object.keys(FILE_FORMATS).join(', ');
  throw new CliError(
    isFileFormatKind(name)
      ? `No ${name} target is set up yet; add one first (kind ${name}, with its settings)`
      : `"${name}" is neither a target nor a file format (${formats})`,
  );
}

function print(out: Output, result: ExportResult): void {
  if (out.json) {
    out.data({
      ...result,
      notExported: result.notExported.map((entry) => ({
        ...entry,
        problems: entry.problems.map((problem) => ({
          code: problem.code,
          message: describeProblem(problem, out.language),
        })),
      })),
    });
    return;
  }
  for (const recovered of result.recovered)
    out.line(
      `${recovered.fileName}: interrupted earlier, ${recovered.outcome === 'completed' ? 'completed' : 'undone'}`,
    );
  if (result.file) {
    out.line(`Wrote ${result.file.path} (${result.exported.length} vouchers, ${result.file.bytes} bytes)`);
    for (const row of table(
      result.exported.map((voucher) => [
        voucher.businessDate,
        voucher.registerId,
        voucher.reportNumber,
        voucher.number === null ? '' : String(voucher.number),
      ]),
    ))
      out.line(`  ${row}`);
  } else {
    out.line('Nothing new to export.');
  }
  if (result.alreadyExported > 0) out.line(`${result.alreadyExported} Z-reports in the range were exported before.`);
  for (const entry of result.notExported)
    out.line(`NOT exported ${entry.reportNumber} (${entry.businessDate}): ${whyNotExported(entry, out.language)}`);
}

/** `kassebro export NAME --from DATE --to DATE --out DIR`. */
export function exportCommand(context: CliContext, out: Output, name: string, options: ExportCommandOptions): number {
  const targetId = resolveFileTarget(context, name);
  let result: ExportResult;
  try {
    result = exportFileTarget(context.db, targetId, {
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(options.to !== undefined ? { to: options.to } : {}),
      ...(options.out !== undefined ? { folder: options.out } : {}),
    });
  } catch (error) {
    if (error instanceof ExportError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  print(out, result);
  return result.notExported.length > 0 ? EXIT.problems : EXIT.ok;
}

import { ApiError, type ApiParsedArgs, type ApiResult } from '../../../shared/api';
import { TARGETS } from '../../../shared/targets';
import { exportFileVouchers, listExportFiles } from '../../exports/export-store';
import { isFileFormatKind } from '../../exports/formats';
import { ExportError, exportFileTarget, whyNotExported } from '../../exports/run-export';
import type { Db } from '../../store/database';
import { listSettlements } from '../../store/settlements';
import { getTarget, listTargets } from '../../store/targets';
import { listVouchers } from '../../store/vouchers';
import { UnknownTargetError } from '../../vouchers/prepare';

/** Every file target with the files written so far and, per file, which Z-reports' vouchers it holds. */
export function fileTargetsView(db: Db): ApiResult<'fileTargets'> {
  const reports = new Map(listSettlements(db, { kind: 'Z' }).map((settlement) => [settlement.id, settlement]));
  return listTargets(db)
    .filter((target) => isFileFormatKind(target.kind))
    .map((target) => {
      const settlementOf = new Map(
        listVouchers(db, { targetId: target.id }).map((stored) => [stored.id, reports.get(stored.settlementId)]),
      );
      const folder = target.settings['folder'];
      return {
        id: target.id,
        kind: target.kind,
        name: target.name,
        displayName: TARGETS[target.kind].displayName,
        folder: typeof folder === 'string' ? folder : null,
        files: listExportFiles(db, target.id)
          .reverse()
          .map((file) => ({
            id: file.id,
            fileName: file.fileName,
            folder: file.folder,
            state: file.state,
            from: file.fromDate,
            to: file.toDate,
            bytes: file.bytes,
            sha256: file.sha256,
            createdAt: file.createdAt,
            vouchers: exportFileVouchers(db, file.id).map((voucher) => {
              const report = settlementOf.get(voucher.voucherId);
              return {
                voucherId: voucher.voucherId,
                number: voucher.voucherNumber,
                registerId: report?.registerId ?? '',
                reportNumber: report?.reportNumber ?? '',
                businessDate: report?.businessDate ?? '',
              };
            }),
          })),
      };
    });
}

/** One export run from the UI: the same runner as `kassebro export`, its refusals in words. */
export function runFileExport(db: Db, args: ApiParsedArgs<'exportFiles'>, now: Date): ApiResult<'exportFiles'> {
  const target = getTarget(db, args.targetId);
  if (!target) throw new ApiError('not_found', `No target called "${args.targetId}" is set up`);
  try {
    const result = exportFileTarget(db, target.id, {
      now,
      ...(args.folder ? { folder: args.folder } : {}),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
    });
    return {
      targetId: result.targetId,
      file: result.file,
      exported: result.exported.map((voucher) => ({
        voucherId: voucher.voucherId,
        number: voucher.number,
        registerId: voucher.registerId,
        reportNumber: voucher.reportNumber,
        businessDate: voucher.businessDate,
      })),
      alreadyExported: result.alreadyExported,
      notExported: result.notExported.map((entry) => ({
        reportNumber: entry.reportNumber,
        businessDate: entry.businessDate,
        reason: whyNotExported(entry, args.lang),
      })),
      recovered: [...result.recovered],
    };
  } catch (error) {
    if (error instanceof ExportError) throw new ApiError('refused', error.message);
    if (error instanceof UnknownTargetError) throw new ApiError('not_found', error.message);
    throw error;
  }
}

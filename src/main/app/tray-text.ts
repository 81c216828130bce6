import type { Status } from '../../shared/api';

/** The status a shop owner sees without opening the window: all good, N waiting, or errors. */
export function trayText(status: Status | null, engineDown: boolean): string {
  if (engineDown) return 'Kassebro: bakgrunnsmotoren startes på nytt';
  if (!status?.activeTarget) return 'Kassebro: ikke satt opp';
  const { failed, blocked, ready, queued, sending } = status.vouchers;
  if (failed + blocked > 0) return `Kassebro: ${failed + blocked} bilag trenger tiltak`;
  const waiting = ready + queued + sending;
  return waiting > 0 ? `Kassebro: ${waiting} bilag venter` : 'Kassebro: alt er overført';
}

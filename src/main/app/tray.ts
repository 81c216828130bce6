import { app, Menu, nativeImage, Tray } from 'electron';
import type { Status } from '../../shared/api';

export interface TrayActions {
  readonly show: () => void;
  readonly quit: () => void;
}

/** The status a shop owner sees without opening the window: all good, N waiting, or errors. */
export function trayText(status: Status | null, engineDown: boolean): string {
  if (engineDown) return 'Kassebro: bakgrunnsmotoren startes på nytt';
  if (!status?.activeTarget) return 'Kassebro: ikke satt opp';
  const { failed, blocked, ready, queued, sending } = status.vouchers;
  if (failed + blocked > 0) return `Kassebro: ${failed + blocked} bilag trenger tiltak`;
  const waiting = ready + queued + sending;
  return waiting > 0 ? `Kassebro: ${waiting} bilag venter` : 'Kassebro: alt er overført';
}

export function createTray(icon: string, actions: TrayActions): { update(text: string): void } {
  const tray = new Tray(nativeImage.createFromPath(icon).resize({ width: 16, height: 16 }));
  const menu = (): Menu =>
    Menu.buildFromTemplate([
      { label: 'Åpne Kassebro', click: actions.show },
      {
        label: 'Start ved pålogging',
        type: 'checkbox',
        checked: app.getLoginItemSettings().openAtLogin,
        click: (item) => app.setLoginItemSettings({ openAtLogin: item.checked }),
      },
      { type: 'separator' },
      { label: 'Avslutt', click: actions.quit },
    ]);
  tray.setContextMenu(menu());
  tray.on('click', actions.show);
  return {
    update: (text) => {
      tray.setToolTip(text);
      tray.setContextMenu(menu());
    },
  };
}

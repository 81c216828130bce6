import { app, Menu, nativeImage, Tray } from 'electron';

export interface TrayActions {
  readonly show: () => void;
  readonly quit: () => void;
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

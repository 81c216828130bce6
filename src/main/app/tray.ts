import { app, Menu, nativeImage, Tray } from 'electron';
import type { Language } from '../../shared/settlement-keys';
import { TRAY_WORDS } from './tray-text';

export interface TrayActions {
  readonly show: () => void;
  readonly quit: () => void;
}

export function createTray(icon: string, actions: TrayActions): { update(text: string, language: Language): void } {
  const tray = new Tray(nativeImage.createFromPath(icon).resize({ width: 16, height: 16 }));
  const menu = (language: Language): Menu =>
    Menu.buildFromTemplate([
      { label: TRAY_WORDS[language].open, click: actions.show },
      {
        label: TRAY_WORDS[language].startAtLogin,
        type: 'checkbox',
        checked: app.getLoginItemSettings().openAtLogin,
        click: (item) => app.setLoginItemSettings({ openAtLogin: item.checked }),
      },
      { type: 'separator' },
      { label: TRAY_WORDS[language].quit, click: actions.quit },
    ]);
  tray.setContextMenu(menu('nb'));
  tray.on('click', actions.show);
  return {
    update: (text, language) => {
      tray.setToolTip(text);
      tray.setContextMenu(menu(language));
    },
  };
}

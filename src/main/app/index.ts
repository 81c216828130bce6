import { app, BrowserWindow, ipcMain, shell } from 'electron';
import log from 'electron-log/main';
import { join } from 'node:path';
import { API_CHANNELS, type AppInfo } from '../../shared/api';
import { setLogSink } from '../log/logger';
import { databasePath } from '../paths';
import { openDatabase, schemaVersion } from '../store/database';

// The only folder that imports electron: window, IPC and logging glue around the plain-Node engine.
log.initialize();
setLogSink((record) => log[record.level](`[${record.scope}] ${record.message}`, record.data ?? ''));

process.env['KASSEBRO_RESOURCES'] ??= app.isPackaged ? process.resourcesPath : join(__dirname, '../../resources');

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    title: 'Kassebro',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // No navigation away from the app and no new windows; links open in the system browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devServer) void window.loadURL(devServer);
  else void window.loadFile(join(__dirname, '../renderer/index.html'));
}

ipcMain.handle(API_CHANNELS.appInfo, (): AppInfo => {
  const db = openDatabase(databasePath(undefined));
  try {
    return { name: app.getName(), version: app.getVersion(), schemaVersion: schemaVersion(db) };
  } finally {
    db.close();
  }
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(createWindow);
  app.on('window-all-closed', () => app.quit());
}

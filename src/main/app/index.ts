import { app, BrowserWindow, ipcMain, shell, utilityProcess } from 'electron';
import log from 'electron-log/main';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  API,
  API_METHODS,
  ApiError,
  describeZodError,
  ipcChannel,
  IPC_EVENT_CHANNEL,
  statusSchema,
  unwrapResponse,
  type CallResponse,
} from '../../shared/api';
import type { Language } from '../../shared/settlement-keys';
import { createLogger, setLogSink } from '../log/logger';
import { databasePath } from '../paths';
import { EngineHost } from '../engine/engine-host';
import { hardenApp } from './security';
import { createTray } from './tray';
import { trayText } from './tray-text';

// The only folder that imports electron. Main owns windows, tray and IPC; the engine (database,
// sync) runs in a utilityProcess so the window can close while the work goes on.
log.initialize();
log.transports.file.maxSize = 5 * 1024 * 1024; // rotated to main.old.log beyond this
setLogSink((record) => log[record.level](`[${record.scope}] ${record.message}`, record.data ?? ''));
const logger = createLogger('app');

process.env['KASSEBRO_RESOURCES'] ??= app.isPackaged ? process.resourcesPath : join(__dirname, '../../resources');
const rendererIndex = join(__dirname, '../renderer/index.html');
const devServer = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

const isTrustedUrl = (url: string): boolean =>
  url === pathToFileURL(rendererIndex).href || (devServer !== undefined && url.startsWith(devServer));
hardenApp(isTrustedUrl);

let window: BrowserWindow | null = null;
let quitting = false;

function showWindow(): void {
  if (window) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow({
    // Register PCs are often 1024×768; the layout is made for that and stays usable a bit below.
    width: 1024,
    height: 720,
    minWidth: 900,
    minHeight: 600,
    title: 'Kassebro',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window?.show());
  // Closing the window hides it: the engine keeps importing and syncing; the tray brings it back.
  window.on('close', (event) => {
    if (!quitting) {
      event.preventDefault();
      window?.hide();
    }
  });
  window.on('closed', () => (window = null));
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(rendererIndex);
}

function broadcast(channel: string, payload: unknown): void {
  for (const contents of BrowserWindow.getAllWindows().map((win) => win.webContents)) contents.send(channel, payload);
}

function start(): void {
  let engineDown = false;
  let language: Language = 'nb';
  const tray = createTray(join(process.env['KASSEBRO_RESOURCES'] ?? '', 'icon.png'), {
    show: showWindow,
    quit: () => {
      quitting = true;
      app.quit();
    },
  });
  const refreshTray = async (): Promise<void> => {
    try {
      const status = statusSchema.parse(unwrapResponse(await engine.call('status', {})));
      language = status.language;
      tray.update(trayText(status, engineDown, language), language);
    } catch (error) {
      logger.warn('tray status failed', error);
    }
  };
  const engine = new EngineHost({
    spawn: (args) => {
      const child = utilityProcess.fork(join(__dirname, 'engine.js'), [...args], {
        serviceName: 'Kassebro engine',
        env: { ...process.env },
        stdio: 'inherit',
      });
      return {
        onMessage: (listener) => child.on('message', listener),
        onExit: (listener) => child.on('exit', listener),
        post: (message) => child.postMessage(message),
        kill: () => void child.kill(),
      };
    },
    databaseFile: databasePath(undefined),
    version: app.getVersion(),
    onEvent: (event) => {
      broadcast(IPC_EVENT_CHANNEL, event);
      if (event.type === 'engine') {
        engineDown = event.state !== 'running';
        tray.update(trayText(null, engineDown, language), language);
        if (!engineDown) void refreshTray();
      } else if (event.type === 'changed' && event.topics.includes('status')) {
        void refreshTray();
      }
    },
    onLog: (record) => log[record.level](`[engine:${record.scope}] ${record.message}`, record.data ?? ''),
  });

  // One handler per API method; arguments are validated here before they reach the engine.
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), async (event, args: unknown): Promise<CallResponse> => {
      // Only our own page may call the engine, never a frame that navigated elsewhere.
      const sender = event.senderFrame?.url.split('#')[0] ?? '';
      if (!isTrustedUrl(sender)) {
        return {
          id: 0,
          ok: false,
          error: { type: 'refused', message: 'Calls are accepted only from the Kassebro window' },
        };
      }
      const parsed = API[method].args.safeParse(args ?? {});
      if (!parsed.success) {
        return { id: 0, ok: false, error: { type: 'invalid_args', message: describeZodError(method, parsed.error) } };
      }
      try {
        const response = (await engine.call(method, parsed.data)) as CallResponse;
        // An OAuth connect opens the system browser (never a window of ours); it comes back over loopback.
        if (method === 'startConnect' && response.ok) {
          const connect = API.startConnect.result.safeParse(response.result);
          if (connect.success && /^https?:\/\//.test(connect.data.url)) void shell.openExternal(connect.data.url);
        }
        return response;
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('internal', String(error));
        return { id: 0, ok: false, error: apiError.toJSON() };
      }
    });
  }

  engine.start();
  app.on('before-quit', () => {
    quitting = true;
    engine.stop();
  });
  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  // The tray keeps the app alive with no window open.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(start);
}

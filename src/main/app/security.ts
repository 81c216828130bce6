import { app, session, shell, type WebContents } from 'electron';
import { denyAllPermissions } from './permissions';

/** The only external sites a link in the app may open (in the system browser, never in the app). */
const EXTERNAL_ALLOWED = [
  'https://www.fortnox.se/',
  'https://tripletex.no/',
  'https://fiken.no/',
  'https://go.poweroffice.net/',
  'https://eaccounting.vismaonline.com/',
  'https://24sevenoffice.com/',
];

/** Same policy as src/renderer/index.html, also sent as a header so it cannot be dropped. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * App-wide hardening: no navigation away from the bundled UI, no new windows, no webviews, no
 * permissions (requested or checked) and no devices; allow-listed links go to the system browser.
 */
export function hardenApp(isTrustedUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (EXTERNAL_ALLOWED.some((prefix) => url.startsWith(prefix))) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  void app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
  });
}

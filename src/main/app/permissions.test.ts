import { describe, expect, it, vi } from 'vitest';
import { denyAllPermissions, type PermissionSession } from './permissions';

type Handlers = {
  request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
  check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
  device?: Parameters<PermissionSession['setDevicePermissionHandler']>[0];
};

/** Records what the app installs, the way Electron's session keeps its handlers. */
function recordingSession(): { session: PermissionSession; handlers: Handlers } {
  const handlers: Handlers = {};
  return {
    handlers,
    session: {
      setPermissionRequestHandler: (handler) => void (handlers.request = handler),
      setPermissionCheckHandler: (handler) => void (handlers.check = handler),
      setDevicePermissionHandler: (handler) => void (handlers.device = handler),
    },
  };
}

// What a page could ask for; the app needs none of it.
const PERMISSIONS = ['media', 'geolocation', 'notifications', 'clipboard-read', 'midiSysex', 'hid', 'serial', 'usb'];

describe('the window gets no web permissions', () => {
  it('refuses every request, answers every check with "denied" and hands out no device', () => {
    const { session, handlers } = recordingSession();
    denyAllPermissions(session);
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = [];
      handlers.request!({} as never, permission as never, (granted) => answers.push(granted), {} as never);
      expect(answers, permission).toEqual([false]);
      expect(handlers.check!(null, permission as never, 'file://', {} as never), permission).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'serial', origin: 'file://' } as never)).toBe(false);
  });

  it('is installed on the default session by hardenApp once the app is ready', async () => {
    const { session, handlers } = recordingSession();
    // Electron itself cannot run in the unit tests; this stands in for the three modules hardenApp uses.
    vi.doMock('electron', () => ({
      app: { on: () => undefined, whenReady: () => Promise.resolve() },
      session: { defaultSession: { ...session, webRequest: { onHeadersReceived: () => undefined } } },
      shell: { openExternal: () => Promise.resolve() },
    }));
    const { hardenApp } = await import('./security');
    hardenApp(() => true);
    await vi.waitFor(() => expect(handlers.check).toBeDefined());
    expect(handlers.request).toBeDefined();
    expect(handlers.device).toBeDefined();
    expect(handlers.check!(null, 'notifications' as never, 'file://', {} as never)).toBe(false);
    vi.doUnmock('electron');
  });
});

import type { Session } from 'electron';

/** The part of an Electron session that decides what web permissions a page gets. */
export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/**
 * The window asks for nothing a browser guards: no camera, microphone, location, notifications,
 * clipboard reads, MIDI, HID, USB or serial (the payment terminal's serial port is opened by the
 * engine in Node, not by the page; "Download" uses a link, which needs no permission). So every
 * request is refused, every check answers "denied", and no device is ever handed to the page.
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

import { SerialPort } from 'serialport';

export interface PortInfo {
  readonly path: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
  readonly vendorId?: string;
  readonly productId?: string;
}

export type PortListing =
  | { readonly available: true; readonly ports: readonly PortInfo[] }
  | { readonly available: false; readonly reason: string };

/**
 * Serial ports for the technician. On Linux listing needs `udevadm` (Debian package `udev`); without
 * it serialport rejects with "spawn udevadm ENOENT" — that is reported, never thrown, and a port
 * can still be given by path.
 */
export async function listPorts(list: () => Promise<PortInfo[]> = () => SerialPort.list()): Promise<PortListing> {
  try {
    const ports = await list();
    return {
      available: true,
      ports: ports.map((port) => ({
        path: port.path,
        ...(port.manufacturer ? { manufacturer: port.manufacturer } : {}),
        ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
        ...(port.vendorId ? { vendorId: port.vendorId } : {}),
        ...(port.productId ? { productId: port.productId } : {}),
      })),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      available: false,
      reason: `port listing unavailable (${message}); give the port by path, e.g. /dev/ttyUSB0 or COM3`,
    };
  }
}

import { describe, expect, it } from 'vitest';
import { listPorts } from './ports';

describe('listPorts', () => {
  it('says "port listing unavailable" instead of crashing when udevadm is missing', async () => {
    const error = Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' });
    expect(await listPorts(() => Promise.reject(error))).toEqual({
      available: false,
      reason: 'port listing unavailable (spawn udevadm ENOENT); give the port by path, e.g. /dev/ttyUSB0 or COM3',
    });
  });

  it('lists ports with what the OS knows about them', async () => {
    expect(
      await listPorts(() => Promise.resolve([{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403' }])),
    ).toEqual({
      available: true,
      ports: [{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403' }],
    });
  });
});

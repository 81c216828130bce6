import { connect, type Socket } from 'node:net';
import type { ReconnectingPort } from './serial/reconnecting-port';

/** A byte pipe to a terminal: a serial port or a TCP socket, so the ZVT exchange does not care which. */
export interface ByteChannel {
  /** Journal device name: the port path, or `tcp:host:port`. */
  readonly name: string;
  readonly transport: 'serial' | 'tcp';
  write(bytes: Buffer): void;
  /** Subscribes; returns the unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
}

export function portChannel(port: ReconnectingPort): ByteChannel {
  return {
    name: port.settings.path,
    transport: 'serial',
    write: (bytes) => port.write(bytes),
    onData: (listener) => {
      port.on('data', listener);
      return () => port.off('data', listener);
    },
  };
}

export function socketChannel(socket: Socket, name: string): ByteChannel {
  return {
    name,
    transport: 'tcp',
    write: (bytes) => socket.write(bytes),
    onData: (listener) => {
      socket.on('data', listener);
      return () => socket.off('data', listener);
    },
  };
}

/** Connects to a ZVT terminal over TCP (default port 20007). */
export function connectZvtTcp(
  host: string,
  port = 20007,
  timeoutMs = 10_000,
): Promise<{ channel: ByteChannel; close: () => void }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection to ${host}:${port} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to ${host}:${port}: ${error.message}`));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve({ channel: socketChannel(socket, `tcp:${host}:${port}`), close: () => socket.end() });
    });
  });
}

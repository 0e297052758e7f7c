import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on loopback (port 0: any free port) and resolves with the port, or rejects on EADDRINUSE and the like. */
export async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

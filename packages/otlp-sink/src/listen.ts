import type { AddressInfo, Server } from 'node:net';

/** Starts `server` listening; rejects with the listen error (a port in use, a bad host). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** `http://HOST:PORT` of a listening server, IPv6 hosts in brackets. */
export function endpointOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

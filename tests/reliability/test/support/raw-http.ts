import { connect } from 'node:net';

/**
 * Sends `request` (the bytes of a whole HTTP/1.1 request, which should say `Connection: close`) to
 * `baseUrl` over a plain socket, so that bytes `fetch` refuses to send (control characters, Latin-1
 * bytes) reach the server as they are. Resolves to the response's status code (0 when none came).
 */
export function rawRequest(baseUrl: string, request: Buffer | string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const head = Buffer.concat(chunks).toString('latin1');
      resolve(Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1] ?? 0));
    });
    socket.end(request);
  });
}

/** The bytes of a request: request line, headers (values as Latin-1 bytes) and no body. */
export function requestBytes(
  method: string,
  target: string | Buffer,
  headers: Record<string, string> = {},
): Buffer {
  const lines = Object.entries({ host: '127.0.0.1', ...headers, connection: 'close' }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  return Buffer.concat([
    Buffer.from(`${method} `, 'latin1'),
    typeof target === 'string' ? Buffer.from(target, 'latin1') : target,
    Buffer.from(` HTTP/1.1\r\n${lines.join('')}\r\n`, 'latin1'),
  ]);
}

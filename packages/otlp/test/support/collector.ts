// A scripted collector on 127.0.0.1, port 0: records every request as it arrived (raw body, the
// body after gunzip, headers, which socket) and answers each with the next scripted response.
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The body, gunzipped when `Content-Encoding: gzip`. */
  readonly body: Buffer;
  /** Which connection it came on: 0 for the first socket the server accepted, 1 for the next... */
  readonly socket: number;
}

/**
 * An answer: a status with headers and body (sent once `after` resolves, when given); `hang` (read
 * the request, never answer); `reset` (close the connection without an answer).
 */
export type ScriptedResponse =
  | {
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: Uint8Array | string;
      readonly after?: Promise<void>;
    }
  | 'hang'
  | 'reset';

export interface TestCollector {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Answers for the next requests, in order; after them every request gets 200 with no body. */
  script(...responses: ScriptedResponse[]): void;
  /** Resolves when `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** How many connections the server accepted. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startCollector(path = '/v1/traces'): Promise<TestCollector> {
  const requests: ReceivedRequest[] = [];
  const queue: ScriptedResponse[] = [];
  const sockets = new Map<Socket, number>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        rawBody,
        body: req.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody) : rawBody,
        socket: sockets.get(req.socket) ?? -1,
      });
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const answer = queue.shift() ?? { status: 200 };
      if (answer === 'hang') return;
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      void (answer.after ?? Promise.resolve()).then(() => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      });
    });
  });
  server.on('connection', (socket) => sockets.set(socket, sockets.size));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    script: (...responses) => queue.push(...responses),
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

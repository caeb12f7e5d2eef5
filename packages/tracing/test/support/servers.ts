import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingServer {
  readonly url: string;
  readonly port: number;
  readonly requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** A real HTTP server on loopback that records each request and answers with `status`. */
export async function startRecordingServer(
  respond: (url: string) => number = () => 200,
): Promise<RecordingServer> {
  const requests: RecordingServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.statusCode = respond(req.url ?? '');
    res.end('done');
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, requests, close: closer(server) };
}

/** A server that accepts requests and never answers them. */
export async function startSilentServer(): Promise<{
  url: string;
  /** Resolves when the first request has arrived. */
  firstRequest: Promise<void>;
  close(): Promise<void>;
}> {
  let arrived: () => void = () => {};
  const firstRequest = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = createServer(() => arrived());
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, firstRequest, close: closer(server) };
}

/** A loopback port with nothing listening on it (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

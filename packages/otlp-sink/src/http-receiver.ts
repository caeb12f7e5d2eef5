import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Compression } from './body.js';
import { compressionOf, decompress, readBody } from './body.js';
import { decodeOtlpRequest } from './decode.js';
import { listen } from './listen.js';
import { OtlpDecodeError } from './protobuf-reader.js';
import { sendStatus, sendSuccess, sendText } from './responses.js';
import type { SinkStore } from './store.js';
import type { SinkEncoding, SinkRequest, SinkSignal } from './types.js';

const SIGNAL_PATHS: Record<string, SinkSignal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

function encodingOf(contentType: string): SinkEncoding | undefined {
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

/** The OTLP/HTTP receiver (http/protobuf and http/json, gzip too), listening. */
export interface HttpReceiver {
  readonly address: AddressInfo;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * Starts the OTLP/HTTP receiver on `host:port`: each request to `/v1/{signal}` is decoded into the
 * store and answered as a collector would, or as `respondWith()` asks.
 */
export async function startHttpReceiver(
  store: SinkStore,
  { host, port, maxBodyBytes }: { host: string; port: number; maxBodyBytes: number },
): Promise<HttpReceiver> {
  function reject(req: IncomingMessage, res: ServerResponse, path: string, status: number): void {
    store.rejected.push({
      method: req.method ?? '',
      path,
      contentType: req.headers['content-type'] ?? '',
      status,
    });
    if (status === 404) sendText(res, 404, '404 page not found');
    else if (status === 405)
      sendText(res, 405, '405 method not allowed, supported: [POST]', { allow: 'POST' });
    else {
      sendText(
        res,
        415,
        `415 unsupported media type, supported: [application/json, application/x-protobuf]`,
      );
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    store.pending++;
    try {
      await route(req, res);
    } finally {
      store.pending--;
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const signal = SIGNAL_PATHS[path];
    if (signal === undefined) return reject(req, res, path, 404);
    if (req.method !== 'POST') return reject(req, res, path, 405);
    const encoding = encodingOf(req.headers['content-type'] ?? '');
    if (encoding === undefined) return reject(req, res, path, 415);

    const compression: Compression | undefined = compressionOf(req.headers['content-encoding']);
    const entry: SinkRequest = {
      signal,
      encoding,
      gzip: compression === 'gzip',
      status: 0,
    };
    const answer = (status: number, error?: string) => {
      entry.status = status;
      if (error !== undefined) entry.error = error;
      store.requests.push(entry);
    };
    // Aborted when the client hangs up before its answer, so a delayed answer stops waiting at once.
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });

    const current = store.takeMode();
    if (current?.destroy && !current.delayMs) {
      answer(0, 'connection destroyed by respondWith({ destroy: true })');
      req.socket.destroy();
      return;
    }
    if (compression === undefined) {
      const message = `unsupported Content-Encoding "${req.headers['content-encoding']}"`;
      answer(400, message);
      // Announced as refused, so the client does not expect the unread body to be consumed.
      res.setHeader('connection', 'close');
      return sendStatus(res, encoding, 400, message);
    }
    const declared = Number(req.headers['content-length']);
    if (declared > maxBodyBytes * 4) {
      // Too large even to drain: answer now and close, as a collector does past its limit.
      const message = `the body is larger than ${maxBodyBytes} bytes`;
      answer(413, message);
      res.setHeader('connection', 'close');
      return sendStatus(res, encoding, 413, message);
    }
    const raw = await readBody(req, maxBodyBytes);
    if (!raw.ok) {
      answer(raw.status, raw.reason);
      if (raw.status !== 0) sendStatus(res, encoding, raw.status, raw.reason);
      return;
    }
    if (current?.delayMs) {
      const interrupted = await store.delayAnswer(current.delayMs, clientGone.signal);
      if (interrupted !== undefined) return answer(0, interrupted);
      if (current.destroy) {
        answer(
          0,
          `connection destroyed by respondWith({ destroy: true }) after ${current.delayMs} ms`,
        );
        req.socket.destroy();
        return;
      }
    }
    if (current?.status !== undefined && (current.status < 200 || current.status > 299)) {
      const message = `answered ${current.status} by respondWith()`;
      answer(current.status, message);
      const headers: Record<string, string> = {};
      if (current.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(current.retryAfterSeconds);
      return sendStatus(res, encoding, current.status, message, headers);
    }
    const body = await decompress(raw.body, compression, maxBodyBytes);
    if (!body.ok) {
      answer(body.status, body.reason);
      return sendStatus(res, encoding, body.status === 0 ? 400 : body.status, body.reason);
    }
    let decoded: ReturnType<typeof decodeOtlpRequest>;
    try {
      decoded = decodeOtlpRequest(signal, encoding, body.body);
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      answer(400, error.message);
      return sendStatus(res, encoding, 400, error.message);
    }
    store.store(decoded);
    answer(current?.status ?? 200);
    sendSuccess(res, encoding, current?.status ?? 200);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug here must not crash the test run that hosts the sink: answer 500 and keep serving.
      if (!res.headersSent) {
        sendText(
          res,
          500,
          `otlp-sink internal error: ${(error as Error)?.message ?? String(error)}`,
        );
      } else {
        res.destroy();
      }
    });
  });
  // Slow exporters under test must not be cut by Node's default request timeout.
  server.requestTimeout = 0;

  await listen(server, port, host);
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of exporters would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

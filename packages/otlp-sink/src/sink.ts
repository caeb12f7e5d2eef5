import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { createServer as createHttp2Server, constants as http2Constants } from 'node:http2';
import type { AddressInfo, Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Compression } from './body.js';
import { compressionOf, decompress, readBody } from './body.js';
import { decodeOtlpRequest } from './decode.js';
import { describeReceived } from './describe.js';
import {
  answerGrpc,
  GRPC_METHODS,
  GRPC_STATUS,
  grpcStatusOf,
  isGrpcContentType,
  readGrpcFrame,
} from './grpc.js';
import { OtlpDecodeError } from './protobuf-reader.js';
import { resolveResponseMode } from './response-mode.js';
import { sendStatus, sendSuccess, sendText } from './responses.js';
import type {
  OtlpSink,
  OtlpSinkOptions,
  SinkEncoding,
  SinkLogRecord,
  SinkMetric,
  SinkRejectedRequest,
  SinkRequest,
  SinkResponseMode,
  SinkSignal,
  SinkSpan,
  WaitForOptions,
} from './types.js';
import { waitFor } from './wait-for.js';

const SIGNAL_PATHS: Record<string, SinkSignal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

function encodingOf(contentType: string): SinkEncoding | undefined {
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

function resolveOptions(options: OtlpSinkOptions): Required<OtlpSinkOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('startOtlpSink: options must be an object such as { port: 0 }');
  }
  const {
    host = '127.0.0.1',
    port = 0,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    grpc = false,
  } = options;
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(
      `startOtlpSink: options.host must be a non-empty string, got ${String(host)}`,
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(
      `startOtlpSink: options.port must be an integer from 0 to 65535, got ${String(port)}`,
    );
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new TypeError(
      `startOtlpSink: options.maxBodyBytes must be a positive integer, got ${String(maxBodyBytes)}`,
    );
  }
  if (typeof grpc !== 'boolean') {
    throw new TypeError(`startOtlpSink: options.grpc must be true or false, got ${String(grpc)}`);
  }
  return { host, port, maxBodyBytes, grpc };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts an OTLP/HTTP receiver (http/protobuf and http/json, gzip too), and with `{ grpc: true }`
 * an OTLP/gRPC one, and resolves once they listen. Throws a `TypeError` naming the option on bad
 * options.
 */
export async function startOtlpSink(options: OtlpSinkOptions = {}): Promise<OtlpSink> {
  const { host, port, maxBodyBytes, grpc } = resolveOptions(options);
  const spans: SinkSpan[] = [];
  const metrics: SinkMetric[] = [];
  const logs: SinkLogRecord[] = [];
  const requests: SinkRequest[] = [];
  const rejected: SinkRejectedRequest[] = [];
  let mode: SinkResponseMode | undefined;
  let modeUsesLeft = Number.POSITIVE_INFINITY;
  const closing = new AbortController();

  function takeMode(): SinkResponseMode | undefined {
    const current = mode;
    if (current !== undefined && --modeUsesLeft <= 0) mode = undefined;
    return current;
  }

  function reject(req: IncomingMessage, res: ServerResponse, path: string, status: number): void {
    rejected.push({
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

  /**
   * Waits `delayMs` before an answer (`respondWith({ delayMs })`); resolves with why the wait was
   * cut short (the sink closing, the client gone), or undefined when it ran its course.
   */
  async function delayAnswer(
    delayMs: number,
    clientGone: AbortSignal,
  ): Promise<string | undefined> {
    try {
      await sleep(delayMs, undefined, { signal: AbortSignal.any([closing.signal, clientGone]) });
      return undefined;
    } catch {
      return closing.signal.aborted
        ? 'the sink closed while the answer was delayed'
        : `the client went away during the ${delayMs} ms delay`;
    }
  }

  let pending = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    pending++;
    try {
      await route(req, res);
    } finally {
      pending--;
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
      requests.push(entry);
    };
    // Aborted when the client hangs up before its answer, so a delayed answer stops waiting at once.
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });

    const current = takeMode();
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
      const interrupted = await delayAnswer(current.delayMs, clientGone.signal);
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
    store(decoded);
    answer(current?.status ?? 200);
    sendSuccess(res, encoding, current?.status ?? 200);
  }

  /** Stores what a request carried, once decoded. */
  function store(decoded: ReturnType<typeof decodeOtlpRequest>): void {
    // A loop, not push(...items): a 20 MiB body can hold more items than a call takes arguments.
    if (decoded.signal === 'traces') for (const span of decoded.spans) spans.push(span);
    else if (decoded.signal === 'metrics')
      for (const metric of decoded.metrics) metrics.push(metric);
    else for (const record of decoded.logs) logs.push(record);
  }

  async function handleGrpc(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
  ): Promise<void> {
    pending++;
    try {
      await routeGrpc(stream, headers);
    } finally {
      pending--;
    }
  }

  async function routeGrpc(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    const path = String(headers[':path'] ?? '/').split('?')[0]!;
    const method = String(headers[':method'] ?? '');
    const contentType = String(headers['content-type'] ?? '');
    if (!isGrpcContentType(contentType)) {
      // gRPC over HTTP/2: a request that is not gRPC gets HTTP 415.
      rejected.push({ method, path, contentType, status: 415, transport: 'grpc' });
      stream.resume();
      if (!stream.destroyed) stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const signal = GRPC_METHODS[path];
    if (signal === undefined || method !== 'POST') {
      rejected.push({ method, path, contentType, status: 404, transport: 'grpc' });
      stream.resume();
      return answerGrpc(stream, GRPC_STATUS.UNIMPLEMENTED, `unknown method ${method} ${path}`);
    }
    const encodingHeader = headers['grpc-encoding'];
    const compression = compressionOf(
      typeof encodingHeader === 'string' ? encodingHeader : undefined,
    );
    const entry: SinkRequest = {
      signal,
      encoding: 'protobuf',
      transport: 'grpc',
      // Set once the frame says whether the message is compressed.
      gzip: false,
      status: 0,
    };
    let answered = false;
    const answer = (
      status: number,
      grpcStatus: number | undefined,
      error?: string,
      headers?: Record<string, string>,
    ) => {
      answered = true;
      entry.status = status;
      if (grpcStatus !== undefined) entry.grpcStatus = grpcStatus;
      if (error !== undefined) entry.error = error;
      requests.push(entry);
      if (grpcStatus !== undefined) answerGrpc(stream, grpcStatus, error, headers);
    };
    const clientGone = new AbortController();
    stream.once('close', () => {
      if (!answered) clientGone.abort();
    });

    const current = takeMode();
    // A stream the client reset, or whose connection dropped, ends like a complete one: check.
    const gone = () => stream.destroyed || stream.aborted;
    const goneReason = 'the client closed the stream before the call ended';
    if (current?.destroy && !current.delayMs) {
      answer(0, undefined, 'stream reset by respondWith({ destroy: true })');
      // This call only: exporters share one HTTP/2 connection, and the others go on.
      stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    if (compression === undefined) {
      stream.resume();
      return answer(
        400,
        GRPC_STATUS.UNIMPLEMENTED,
        `unsupported grpc-encoding "${String(encodingHeader)}"`,
        { 'grpc-accept-encoding': 'identity,gzip,deflate' },
      );
    }
    const raw = await readBody(stream, maxBodyBytes + 5);
    if (gone()) return answer(0, undefined, goneReason);
    if (!raw.ok) {
      if (raw.status === 0) return answer(0, undefined, raw.reason);
      return answer(raw.status, grpcStatusOf(raw.status), raw.reason);
    }
    const frame = readGrpcFrame(raw.body);
    if (!frame.ok) return answer(400, GRPC_STATUS.INVALID_ARGUMENT, frame.reason);
    entry.gzip = frame.compressed && compression === 'gzip';
    if (frame.compressed && compression === 'none') {
      return answer(
        400,
        GRPC_STATUS.INVALID_ARGUMENT,
        encodingHeader === undefined
          ? 'the message is marked compressed but no grpc-encoding was sent'
          : `the message is marked compressed but grpc-encoding is "${String(encodingHeader)}"`,
      );
    }
    if (current?.delayMs) {
      const interrupted = await delayAnswer(current.delayMs, clientGone.signal);
      if (interrupted !== undefined) return answer(0, undefined, interrupted);
      if (current.destroy) {
        answer(
          0,
          undefined,
          `stream reset by respondWith({ destroy: true }) after ${current.delayMs} ms`,
        );
        stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
        return;
      }
    }
    if (current?.status !== undefined && (current.status < 200 || current.status > 299)) {
      return answer(
        current.status,
        grpcStatusOf(current.status),
        `answered ${current.status} by respondWith()`,
      );
    }
    const body = frame.compressed
      ? await decompress(frame.message, compression, maxBodyBytes)
      : ({ ok: true, body: frame.message } as const);
    if (!body.ok) {
      const status = body.status === 0 ? 400 : body.status;
      return answer(status, grpcStatusOf(status), body.reason);
    }
    let decoded: ReturnType<typeof decodeOtlpRequest>;
    try {
      decoded = decodeOtlpRequest(signal, 'protobuf', body.body);
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      return answer(400, GRPC_STATUS.INVALID_ARGUMENT, error.message);
    }
    if (gone()) return answer(0, undefined, goneReason);
    store(decoded);
    answer(current?.status ?? 200, GRPC_STATUS.OK);
  }

  const server = createServer((req, res) => {
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

  const sessions = new Set<Http2Session>();
  let grpcServer: ReturnType<typeof createHttp2Server> | undefined;
  let grpcEndpoint: string | undefined;
  if (grpc) {
    grpcServer = createHttp2Server();
    grpcServer.on('session', (session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
      // A client that breaks the protocol must not crash the test run hosting the sink.
      session.on('error', () => undefined);
    });
    grpcServer.on('stream', (stream, headers) => {
      stream.on('error', () => undefined);
      handleGrpc(stream, headers).catch((error: unknown) => {
        answerGrpc(
          stream,
          GRPC_STATUS.INTERNAL,
          `otlp-sink internal error: ${(error as Error)?.message ?? String(error)}`,
        );
      });
    });
    try {
      await listen(grpcServer, 0, host);
    } catch (error) {
      server.close();
      throw error;
    }
    const grpcAddress = grpcServer.address() as AddressInfo;
    grpcEndpoint = `http://${grpcAddress.family === 'IPv6' ? `[${grpcAddress.address}]` : grpcAddress.address}:${grpcAddress.port}`;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${urlHost}:${address.port}`;
  let closed: Promise<void> | undefined;

  const sink: OtlpSink = {
    endpoint,
    urls: Object.freeze({
      traces: `${endpoint}/v1/traces`,
      metrics: `${endpoint}/v1/metrics`,
      logs: `${endpoint}/v1/logs`,
    }),
    host: address.address,
    port: address.port,
    grpcEndpoint,
    spans: () => spans.slice(),
    metrics: () => metrics.slice(),
    logs: () => logs.slice(),
    requests: () => requests.map((r) => ({ ...r })),
    rejected: () => rejected.map((r) => ({ ...r })),
    pendingRequests: () => pending,
    waitFor: (predicate: () => unknown, waitOptions: WaitForOptions = {}) =>
      waitFor(predicate, waitOptions, () =>
        describeReceived({ spans, metrics, logs, requests, rejected }),
      ),
    respondWith(next: SinkResponseMode | undefined) {
      mode = resolveResponseMode(next);
      modeUsesLeft = mode?.times ?? Number.POSITIVE_INFINITY;
    },
    clear() {
      spans.length = 0;
      metrics.length = 0;
      logs.length = 0;
      requests.length = 0;
      rejected.length = 0;
    },
    close() {
      closed ??= Promise.all([
        new Promise<void>((resolve) => {
          closing.abort();
          server.close(() => resolve());
          // Keep-alive sockets of exporters would hold close() open until they time out.
          server.closeAllConnections();
        }),
        new Promise<void>((resolve) => {
          if (grpcServer === undefined) return resolve();
          grpcServer.close(() => resolve());
          // HTTP/2 sessions of exporters stay open, as keep-alive sockets do.
          for (const session of sessions) session.destroy();
        }),
      ]).then(() => undefined);
      return closed;
    },
  };
  return sink;
}

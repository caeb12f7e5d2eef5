import type { Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { createServer as createHttp2Server, constants as http2Constants } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { compressionOf, decompress, readBody } from './body.js';
import { decodeOtlpRequest } from './decode.js';
import {
  answerGrpc,
  GRPC_METHODS,
  GRPC_STATUS,
  grpcStatusOf,
  isGrpcContentType,
  readGrpcFrame,
} from './grpc.js';
import { listen } from './listen.js';
import { OtlpDecodeError } from './protobuf-reader.js';
import type { SinkStore } from './store.js';
import type { SinkRequest } from './types.js';

/** The OTLP/gRPC receiver, listening. */
export interface GrpcReceiver {
  readonly address: AddressInfo;
  /** Stops listening and destroys every HTTP/2 session. */
  close(): Promise<void>;
}

/**
 * Starts the OTLP/gRPC receiver (HTTP/2 without TLS) on `host` and a port of its own: each export
 * call is decoded into the store and answered with a gRPC status, or as `respondWith()` asks.
 */
export async function startGrpcReceiver(
  store: SinkStore,
  { host, maxBodyBytes }: { host: string; maxBodyBytes: number },
): Promise<GrpcReceiver> {
  async function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    store.pending++;
    try {
      await route(stream, headers);
    } finally {
      store.pending--;
    }
  }

  async function route(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    const path = String(headers[':path'] ?? '/').split('?')[0]!;
    const method = String(headers[':method'] ?? '');
    const contentType = String(headers['content-type'] ?? '');
    if (!isGrpcContentType(contentType)) {
      // gRPC over HTTP/2: a request that is not gRPC gets HTTP 415.
      store.rejected.push({ method, path, contentType, status: 415, transport: 'grpc' });
      stream.resume();
      if (!stream.destroyed) stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const signal = GRPC_METHODS[path];
    if (signal === undefined || method !== 'POST') {
      store.rejected.push({ method, path, contentType, status: 404, transport: 'grpc' });
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
      store.requests.push(entry);
      if (grpcStatus !== undefined) answerGrpc(stream, grpcStatus, error, headers);
    };
    const clientGone = new AbortController();
    stream.once('close', () => {
      if (!answered) clientGone.abort();
    });

    const current = store.takeMode();
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
      const interrupted = await store.delayAnswer(current.delayMs, clientGone.signal);
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
    store.store(decoded);
    answer(current?.status ?? 200, GRPC_STATUS.OK);
  }

  const sessions = new Set<Http2Session>();
  const server = createHttp2Server();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    // A client that breaks the protocol must not crash the test run hosting the sink.
    session.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    handle(stream, headers).catch((error: unknown) => {
      answerGrpc(
        stream,
        GRPC_STATUS.INTERNAL,
        `otlp-sink internal error: ${(error as Error)?.message ?? String(error)}`,
      );
    });
  });
  await listen(server, 0, host);
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // HTTP/2 sessions of exporters stay open, as keep-alive sockets do.
        for (const session of sessions) session.destroy();
      }),
  };
}

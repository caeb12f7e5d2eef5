import type { ServerHttp2Stream } from 'node:http2';
import { constants } from 'node:http2';
import type { SinkSignal } from './types.js';

/** The three OTLP/gRPC export methods, by HTTP/2 `:path`. */
export const GRPC_METHODS: Readonly<Record<string, SinkSignal>> = {
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export': 'traces',
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export': 'metrics',
  '/opentelemetry.proto.collector.logs.v1.LogsService/Export': 'logs',
};

/** The gRPC status codes the sink answers with. */
export const GRPC_STATUS = {
  OK: 0,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/**
 * The gRPC status a collector answers where an OTLP/HTTP one answers `httpStatus`, so that one
 * `respondWith({ status })` means the same failure on both transports: 429 and 413 are
 * RESOURCE_EXHAUSTED, 502/503/504 UNAVAILABLE (the status the OTLP specification retries),
 * 400 INVALID_ARGUMENT, 500 INTERNAL. Whether a client retries is the client's: the
 * OpenTelemetry JS gRPC exporters (checked on 0.223, not again on 0.301) retry nothing.
 */
export function grpcStatusOf(httpStatus: number): number {
  if (httpStatus >= 200 && httpStatus <= 299) return GRPC_STATUS.OK;
  switch (httpStatus) {
    case 400:
      return GRPC_STATUS.INVALID_ARGUMENT;
    case 401:
      return GRPC_STATUS.UNAUTHENTICATED;
    case 403:
      return GRPC_STATUS.PERMISSION_DENIED;
    case 404:
      return GRPC_STATUS.UNIMPLEMENTED;
    case 413:
    case 429:
      return GRPC_STATUS.RESOURCE_EXHAUSTED;
    case 500:
      return GRPC_STATUS.INTERNAL;
    case 502:
    case 503:
    case 504:
      return GRPC_STATUS.UNAVAILABLE;
    default:
      return GRPC_STATUS.UNKNOWN;
  }
}

export type GrpcFrame =
  | { ok: true; compressed: boolean; message: Buffer }
  | { ok: false; reason: string };

/**
 * The one message of a unary gRPC request: a 1-byte compressed flag, a 4-byte big-endian length,
 * then the message. Anything else (short, trailing bytes, a second message) is refused.
 */
export function readGrpcFrame(body: Buffer): GrpcFrame {
  if (body.length < 5) {
    return { ok: false, reason: `a gRPC message needs a 5-byte prefix, got ${body.length} bytes` };
  }
  const flag = body[0]!;
  if (flag !== 0 && flag !== 1) {
    return { ok: false, reason: `the gRPC compressed flag must be 0 or 1, got ${flag}` };
  }
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) {
    return {
      ok: false,
      reason: `the gRPC prefix announces ${length} bytes but ${body.length - 5} followed`,
    };
  }
  return { ok: true, compressed: flag === 1, message: body.subarray(5) };
}

/** An empty Export*ServiceResponse (no partial success), framed. */
const EMPTY_RESPONSE = Buffer.from([0, 0, 0, 0, 0]);

/** Whether `contentType` is gRPC's: `application/grpc`, alone or with `+proto` or parameters. */
export function isGrpcContentType(contentType: string): boolean {
  return /^application\/grpc(?:$|[+;])/i.test(contentType.trim());
}

/**
 * Answers a gRPC call: HTTP/2 status 200, the response message when `status` is OK, then the
 * `grpc-status` and `grpc-message` trailers, as gRPC servers do. `headers` go with the response
 * headers (e.g. `grpc-accept-encoding`).
 */
export function answerGrpc(
  stream: ServerHttp2Stream,
  status: number,
  message?: string,
  headers: Record<string, string> = {},
): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    // Too late for a status (a failure after answering): reset the stream instead.
    stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc+proto', ...headers },
    { waitForTrailers: true },
  );
  stream.once('wantTrailers', () => {
    const trailers: Record<string, string> = { 'grpc-status': String(status) };
    // grpc-message is percent-encoded (gRPC over HTTP/2, "Responses").
    if (message !== undefined) trailers['grpc-message'] = encodeURIComponent(message);
    stream.sendTrailers(trailers);
  });
  stream.end(status === GRPC_STATUS.OK ? EMPTY_RESPONSE : undefined);
}

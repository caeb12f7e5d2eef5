import type { ServerResponse } from 'node:http';
import type { SinkEncoding } from './types.js';

const CONTENT_TYPES: Record<SinkEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

// The gRPC code a collector puts in the `google.rpc.Status` body of a failed OTLP/HTTP response.
function grpcCode(status: number): number {
  if (status === 400) return 3; // INVALID_ARGUMENT
  if (status === 404) return 5; // NOT_FOUND
  if (status === 413 || status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 501) return 12; // UNIMPLEMENTED
  if (status >= 502 && status <= 504) return 14; // UNAVAILABLE
  if (status >= 500) return 13; // INTERNAL
  return 2; // UNKNOWN
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/** `google.rpc.Status { int32 code = 1; string message = 2; }` in protobuf. */
function encodeStatus(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from([0x08, ...varint(code), 0x12, ...varint(text.length)]), text]);
}

/** 200 with an empty `Export*ServiceResponse` in the request's encoding, as a collector answers. */
export function sendSuccess(res: ServerResponse, encoding: SinkEncoding, status = 200): void {
  const body = encoding === 'json' ? Buffer.from('{}') : Buffer.alloc(0);
  res.writeHead(status, { 'content-type': CONTENT_TYPES[encoding], 'content-length': body.length });
  res.end(body);
}

/** A failure with a `google.rpc.Status` body in the request's encoding. */
export function sendStatus(
  res: ServerResponse,
  encoding: SinkEncoding,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const code = grpcCode(status);
  const body =
    encoding === 'json'
      ? Buffer.from(JSON.stringify({ code, message }))
      : encodeStatus(code, message);
  res.writeHead(status, {
    ...headers,
    'content-type': CONTENT_TYPES[encoding],
    'content-length': body.length,
  });
  res.end(body);
}

/** Plain-text answers for requests the sink does not route (404, 405, 415), as the collector sends. */
export function sendText(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(`${message}\n`);
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
  });
  res.end(body);
}

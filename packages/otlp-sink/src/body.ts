import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export type Compression = 'gzip' | 'deflate' | 'none';

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; status: 400 | 413; reason: string }
  | { ok: false; status: 0; reason: string };

/** Reads `Content-Encoding`; `undefined` for an encoding the sink cannot decompress. */
export function compressionOf(header: string | undefined): Compression | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'none';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  return undefined;
}

/**
 * Reads the whole body, up to `limit` bytes. Past the limit the rest is drained and dropped, so the
 * client is still reading when the 413 arrives instead of meeting a reset connection.
 */
export function readBody(req: Readable, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (tooLarge)
        settle({ ok: false, status: 413, reason: `the body is larger than ${limit} bytes` });
      else settle({ ok: true, body: Buffer.concat(chunks, size) });
    });
    // Node reports a client that hangs up mid-body as an 'aborted' error or as an early close.
    const hungUp = () =>
      settle({
        ok: false,
        status: 0,
        reason: 'the client closed the connection before the body ended',
      });
    req.on('error', hungUp);
    req.on('close', hungUp);
  });
}

/** Decompresses with the same size limit as the raw body: a small gzip bomb gets 413, not memory. */
export async function decompress(
  body: Buffer,
  compression: Compression,
  limit: number,
): Promise<BodyResult> {
  if (compression === 'none') return { ok: true, body };
  try {
    const options = { maxOutputLength: limit };
    const out =
      compression === 'gzip' ? await gunzipAsync(body, options) : await inflateAsync(body, options);
    return { ok: true, body: out };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return {
        ok: false,
        status: 413,
        reason: `the decompressed body is larger than ${limit} bytes`,
      };
    }
    return {
      ok: false,
      status: 400,
      reason: `the body is not valid ${compression} data: ${(error as Error).message}`,
    };
  }
}

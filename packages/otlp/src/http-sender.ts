import type { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { OtlpExportError } from './errors.js';
import { isRetryableNetworkError, isRetryableStatus, retryAfterMillis } from './retry-policy.js';

/** The most of a response body that is read (as the stock exporter: 4 MiB). */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** How one request ended. */
export type AttemptResult =
  | { readonly status: 'success'; readonly body: Buffer }
  | {
      readonly status: 'retryable';
      readonly error: Error;
      /** What `Retry-After` asked for, when it did. */
      readonly retryInMillis?: number | undefined;
    }
  | { readonly status: 'failure'; readonly error: Error };

/**
 * Sends request bodies to one URL over one keep-alive agent (so consecutive exports reuse the
 * connection), with the exporter's own requests outside tracing: they run with tracing suppressed,
 * which the `node:http` client instrumentation of `@datum-telemetry/tracing` (and the SDK's
 * processors) honour, so an export never makes a span that would be exported in turn.
 */
export class HttpSender {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private readonly headers: OutgoingHttpHeaders;

  constructor(url: string, headers: OutgoingHttpHeaders) {
    this.url = new URL(url);
    const https = this.url.protocol === 'https:';
    this.agent = https ? new HttpsAgent({ keepAlive: true }) : new Agent({ keepAlive: true });
    this.request = https ? httpsRequest : httpRequest;
    this.headers = headers;
  }

  /** One POST of `body`; resolves (never rejects) with how it went, within `timeoutMillis`. */
  send(
    body: Buffer,
    extraHeaders: OutgoingHttpHeaders,
    timeoutMillis: number,
  ): Promise<AttemptResult> {
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const headers = { ...this.headers, ...extraHeaders, 'Content-Length': body.length };
      const req = context.with(suppressTracing(context.active()), () =>
        this.request(this.url, { method: 'POST', headers, agent: this.agent }, (res) =>
          readResponse(res, settle),
        ),
      );
      timer = setTimeout(() => {
        settle({ status: 'retryable', error: new OtlpExportError('Request timed out') });
        req.destroy();
      }, timeoutMillis);
      req.on('error', (error) => {
        settle(
          isRetryableNetworkError(error)
            ? { status: 'retryable', error }
            : { status: 'failure', error },
        );
      });
      req.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

function readResponse(res: IncomingMessage, settle: (result: AttemptResult) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      settle({
        status: 'failure',
        error: new OtlpExportError(
          `OTLP export response body exceeded size limit of ${MAX_RESPONSE_BYTES} bytes`,
          res.statusCode,
        ),
      });
      res.destroy();
      return;
    }
    chunks.push(chunk);
  });
  res.on('error', (error) => settle(statusResult(res, error, Buffer.alloc(0))));
  res.on('end', () => settle(statusResult(res, undefined, Buffer.concat(chunks))));
}

function statusResult(res: IncomingMessage, error: Error | undefined, body: Buffer): AttemptResult {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status <= 299) return { status: 'success', body };
  const header = res.headers['retry-after'];
  const failure =
    error ?? new OtlpExportError(res.statusMessage ?? `HTTP ${status}`, status, body.toString());
  if (isRetryableStatus(status)) {
    return {
      status: 'retryable',
      error: failure,
      retryInMillis: retryAfterMillis(header, Date.now()),
    };
  }
  return { status: 'failure', error: failure };
}

import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { diag } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { AttemptResult } from './http-sender.js';
import { HttpSender } from './http-sender.js';
import type { ResolvedExporterOptions } from './options.js';
import type { PartialSuccess } from './partial-success.js';
import { reportPartialSuccess } from './partial-success.js';
import { backoffMillis, MAX_RETRIES } from './retry-policy.js';
import { USER_AGENT } from './version.js';

const gzipAsync = promisify(gzip);
const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));

/** What differs between the span and the log record exporter. */
export interface ExportFormat<T> {
  /** The request body for a batch (its own bytes: they outlive the call). */
  encode(items: readonly T[]): Buffer;
  readonly contentType: string;
  /** The partial success of a 2xx response body, if any. */
  partialSuccess(body: Buffer): PartialSuccess | undefined;
}

/**
 * One OTLP/HTTP exporter's work, for any signal: encode a batch, compress it, send it with the
 * stock exporter's retries, and call the processor back once with SUCCESS or FAILED (and the
 * error). Nothing here throws into the caller: a batch that cannot be encoded, a callback that
 * throws, a collector that is down all end in the callback or in `diag`. `forceFlush` waits for the
 * exports in flight; `shutdown` too, then closes the connection and refuses new exports.
 */
export class OtlpHttpExport<T> {
  private readonly sender: HttpSender;
  private readonly pending = new Set<Promise<void>>();
  private readonly headers: Record<string, string>;
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedExporterOptions,
    private readonly format: ExportFormat<T>,
  ) {
    this.headers = { 'Content-Type': format.contentType, 'User-Agent': USER_AGENT };
    if (options.compression === 'gzip') this.headers['Content-Encoding'] = 'gzip';
    this.sender = new HttpSender(options.url, { ...options.headers });
  }

  export(items: readonly T[], resultCallback: (result: ExportResult) => void): void {
    if (this.shutdownPromise !== undefined) {
      report(resultCallback, failed(new Error('the OTLP exporter is shut down')));
      return;
    }
    if (this.pending.size >= this.options.concurrencyLimit) {
      report(resultCallback, failed(new Error('Concurrent export limit reached')));
      return;
    }
    if (items.length === 0) {
      report(resultCallback, { code: ExportResultCode.SUCCESS });
      return;
    }
    let body: Buffer;
    try {
      body = this.format.encode(items);
    } catch (error) {
      report(resultCallback, failed(asError(error)));
      return;
    }
    const delivery = this.deliver(body).then((result) => report(resultCallback, result));
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.forceFlush().then(() => this.sender.close());
    return this.shutdownPromise;
  }

  private async deliver(body: Buffer): Promise<ExportResult> {
    try {
      const payload = this.options.compression === 'gzip' ? await gzipAsync(body) : body;
      const result = await this.sendWithRetries(payload);
      if (result.status === 'success') {
        reportPartialSuccess(() => this.format.partialSuccess(result.body));
        return { code: ExportResultCode.SUCCESS };
      }
      return failed(result.error);
    } catch (error) {
      return failed(asError(error));
    }
  }

  /**
   * The first attempt and up to five retries on a retryable answer (429, 502, 503, 504, a network
   * error, a timeout), waiting for `Retry-After` or the backoff, all within `timeoutMillis`: a wait
   * that would end past it is not started, as in the stock exporter.
   */
  private async sendWithRetries(payload: Buffer): Promise<AttemptResult> {
    const deadline = Date.now() + this.options.timeoutMillis;
    let result = await this.sender.send(payload, this.headers, this.options.timeoutMillis);
    for (let retry = 0; result.status === 'retryable' && retry < MAX_RETRIES; retry++) {
      const wait = result.retryInMillis ?? backoffMillis(retry);
      const remaining = deadline - Date.now();
      if (wait >= remaining) {
        diag.info(
          `Export retry time ${Math.round(wait)}ms exceeds remaining timeout ${Math.round(remaining)}ms, not retrying further.`,
        );
        return result;
      }
      diag.verbose(`Scheduling export retry in ${Math.round(wait)}ms`);
      await sleep(wait);
      result = await this.sender.send(payload, this.headers, deadline - Date.now());
    }
    if (result.status === 'retryable') {
      diag.info(`Export failed after maximum retry attempts (${MAX_RETRIES}).`);
    }
    return result;
  }
}

function failed(error: Error): ExportResult {
  return { code: ExportResultCode.FAILED, error };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Calls the processor back; a callback that throws is reported, never thrown into our timers. */
function report(resultCallback: (result: ExportResult) => void, result: ExportResult): void {
  try {
    resultCallback(result);
  } catch (error) {
    diag.error('@datum-telemetry/otlp: the export result callback threw', error);
  }
}

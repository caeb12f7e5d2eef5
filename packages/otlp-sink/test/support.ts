import type { HrTime } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** Anything with the exporters' `export(items, callback)` shape. */
interface Exporter<T> {
  export(items: T, done: (result: ExportResult) => void): void;
}

/** Sends through a real exporter and resolves with what the exporter concluded. */
export function exportWith<T>(exporter: Exporter<T>, items: T): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

export type { ReadableLogRecord, ReadableSpan, ResourceMetrics };

/** A reader that collects only when asked, so a test decides exactly what is exported. */
export class ManualReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export function hrTimeToNanos([seconds, nanos]: HrTime): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

/** POSTs a body to the sink and returns the status, headers and raw answer. */
export async function post(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string | null; body: Buffer; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

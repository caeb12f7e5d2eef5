// Real telemetry pipelines for the middleware tests: an SDK tracer provider exporting to memory, an
// SDK meter provider read on demand, and a logger whose JSON lines are parsed back.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJsonLogger } from '@datum-telemetry/http/internal';
import { createW3CPropagator } from '@datum-telemetry/tracing';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, Sampler } from '@opentelemetry/sdk-trace';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface Pipelines {
  readonly spans: InMemorySpanExporter;
  readonly reader: OnDemandReader;
  readonly lines: string[];
  readonly logger: ReturnType<typeof createJsonLogger>;
  logs(): LogLine[];
  metric(name: string): MetricData | undefined;
  points(name: string): Promise<DataPoint<number | Histogram>[]>;
  reset(): void;
}

/** Installs the pipelines as the global providers; `sampler` replaces the SDK's default sampler. */
export function installPipelines(options: { sampler?: Sampler } = {}): Pipelines {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  // The propagator `setupTracing` registers: what the middleware reads is what apps get.
  propagation.setGlobalPropagator(createW3CPropagator());
  const spans = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(
    new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
      ...(options.sampler === undefined ? {} : { sampler: options.sampler }),
    }),
  );
  const reader = new OnDemandReader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  const lines: string[] = [];
  const logger = createJsonLogger({
    name: 'compute',
    stream: { write: (line: string) => lines.push(line) },
  });
  let collected: MetricData[] = [];
  return {
    spans,
    reader,
    lines,
    logger,
    logs: () => lines.map((l) => JSON.parse(l) as LogLine),
    metric: (name) => collected.find((m) => m.descriptor.name === name),
    async points(name) {
      const { resourceMetrics } = await reader.collect();
      collected = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
      return (collected.find((m) => m.descriptor.name === name)?.dataPoints ?? []) as DataPoint<
        number | Histogram
      >[];
    },
    reset() {
      spans.reset();
      lines.length = 0;
    },
  };
}

export function baseUrl(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

/** Spans end when the response closes, a moment after the client has read it: wait for them. */
export async function waitFor<T>(
  read: () => T | undefined,
  what: string,
  timeoutMs = 3000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function serverSpans(spans: InMemorySpanExporter): ReadableSpan[] {
  return spans.getFinishedSpans().filter((s) => s.kind === 1);
}

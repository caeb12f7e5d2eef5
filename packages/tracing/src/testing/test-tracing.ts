import type { Tracer } from '@opentelemetry/api';
import type { InMemorySpanExporter, ReadableSpan, TracerProvider } from '@opentelemetry/sdk-trace';
import { setupTracing } from '../setup.js';
import type { ExpectedSpan } from './assertions.js';
import { assertNoSpan, assertSpan } from './assertions.js';
import type { SpanTreeNode, SpanTreeNodeWithAttributes, SpanTreeOptions } from './span-tree.js';
import { buildSpanTree } from './span-tree.js';

/** Options of `createTestTracing`. */
export interface TestTracingOptions {
  /** `service.name` of the spans. The default value is `test`. */
  readonly service?: string;
  /**
   * Register as the global provider (with AsyncLocalStorage context and the W3C propagator), so
   * that `withSpan` and other API users record into it. The default value is `true`.
   */
  readonly registerGlobal?: boolean;
  /** Trace outgoing `fetch` calls too. The default value is `false`. */
  readonly instrumentFetch?: boolean;
  /** Trace outgoing `node:http` / `node:https` calls too. The default value is `false`. */
  readonly instrumentHttp?: boolean;
}

/** In-memory tracing for tests: spans are kept as they end (no batching). */
export interface TestTracing {
  readonly tracerProvider: TracerProvider;
  readonly exporter: InMemorySpanExporter;
  tracer(name?: string): Tracer;
  /** Finished spans, in the order they ended. */
  getSpans(): ReadableSpan[];
  /** The first finished span named `name`. */
  findSpan(name: string): ReadableSpan | undefined;
  /** Parent/child structure of the finished spans as nested plain objects. */
  spanTree(options: { readonly attributes: true }): SpanTreeNodeWithAttributes[];
  spanTree(options?: SpanTreeOptions): SpanTreeNode[];
  /** Checks the span named `name`; throws a readable error showing every span. */
  assertSpan(name: string, expected?: ExpectedSpan): ReadableSpan;
  /** Throws when a span named `name` was finished. */
  assertNoSpan(name: string): void;
  /** Forgets the finished spans. */
  reset(): void;
  /** Shuts the provider down and unregisters the globals. */
  shutdown(): Promise<void>;
}

/**
 * Tracing for tests: an `InMemorySpanExporter` behind a `SimpleSpanProcessor`, registered
 * globally by default. No `OTEL_*` variable is read, so tests behave the same everywhere.
 */
export function createTestTracing(options: TestTracingOptions = {}): TestTracing {
  const handle = setupTracing({
    service: options.service ?? 'test',
    exporter: 'memory',
    processor: 'simple',
    registerGlobal: options.registerGlobal ?? true,
    instrumentFetch: options.instrumentFetch ?? false,
    instrumentHttp: options.instrumentHttp ?? false,
    env: {},
  });
  const exporter = handle.spanExporter as InMemorySpanExporter;
  const tracerProvider = handle.tracerProvider as TracerProvider;
  const getSpans = () => exporter.getFinishedSpans();
  return {
    tracerProvider,
    exporter,
    tracer: (name?: string) => handle.tracer(name),
    getSpans,
    findSpan: (name) => getSpans().find((s) => s.name === name),
    spanTree: ((treeOptions?: SpanTreeOptions) =>
      buildSpanTree(getSpans(), treeOptions)) as TestTracing['spanTree'],
    assertSpan: (name, expected) => assertSpan(getSpans(), name, expected),
    assertNoSpan: (name) => assertNoSpan(getSpans(), name),
    reset: () => exporter.reset(),
    shutdown: () => handle.shutdown(),
  };
}

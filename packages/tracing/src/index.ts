export { ConfigError } from '@datum-telemetry/config';
export { ConventionError, errorType } from '@datum-telemetry/conventions';
export { formatSpanJson, formatSpanText, ReadableConsoleSpanExporter } from './console-exporter.js';
export { instrumentOutgoingFetch } from './fetch-instrumentation.js';
export { createW3CPropagator } from './globals.js';
export { redactUrl } from './http-client-attributes.js';
export { instrumentOutgoingHttp } from './http-instrumentation.js';
export type { HeaderCarrier } from './propagation.js';
export { extractContext, injectContext } from './propagation.js';
export { recordError } from './record-error.js';
export { resourceAttributes } from './resource-attributes.js';
export { setupTracing } from './setup.js';
export { createSpanHelper, createSpanHelpers, withSpan } from './span-helpers.js';
export type {
  ConsoleExporterOptions,
  ConsoleFormat,
  Disposer,
  NamedSpanOptions,
  OutgoingInstrumentationOptions,
  OutgoingRequestInfo,
  SpanFunction,
  SpanHelper,
  SpanHelperOptions,
  SpanHelpers,
  SpanHelpersOptions,
  SpanStartOptions,
  TraceExporterChoice,
  TraceExporterKind,
  TracingHandle,
  TracingOptions,
  WithSpan,
} from './types.js';
export { VERSION } from './version.js';
export { BaggagePropagator } from './w3c/baggage-propagator.js';
export { TraceContextPropagator } from './w3c/trace-context-propagator.js';
export { W3CTraceState } from './w3c/tracestate.js';

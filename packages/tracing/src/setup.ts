import type { Env } from '@datum-telemetry/config';
import { resolveDisabled, resolveResourceAttributes } from '@datum-telemetry/config';
import { settleWithin } from '@datum-telemetry/config/deadline';
import { createResource } from '@datum-telemetry/config/resource';
import type { DroppedItemsMetric, QueueDropCounter } from '@datum-telemetry/config/self-metrics';
import type { Tracer } from '@opentelemetry/api';
import { ProxyTracerProvider } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { droppedSpansMetric, spanDropCounter } from './drop-metric.js';
import { buildExporter, exporterKind } from './exporters.js';
import { instrumentOutgoingFetch } from './fetch-instrumentation.js';
import { registerGlobals } from './globals.js';
import { instrumentOutgoingHttp } from './http-instrumentation.js';
import { carryRandomTraceIdFlag } from './random-trace-id.js';
import type { ResolvedSettings } from './resolve-options.js';
import { checkTracingOptions, resolveSettings } from './resolve-options.js';
import { buildSampler } from './sampler.js';
import type { Disposer, TracingHandle, TracingOptions } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

function disabledHandle(): TracingHandle {
  // A provider with no delegate hands out no-op tracers, whatever is registered globally.
  const noop = new ProxyTracerProvider();
  return {
    enabled: false,
    exporter: 'none',
    spanExporter: undefined,
    tracerProvider: undefined,
    droppedSpans: 0,
    tracer: (name = PACKAGE_NAME, version?: string) => noop.getTracer(name, version),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

/**
 * The SDK's provider, whose tracers carry a parent's `random-trace-id` flag on to the spans they
 * start (see `carryRandomTraceIdFlag`). The SDK caches one tracer per name and version, so each is
 * patched once.
 */
class DatumTracerProvider extends TracerProvider {
  override getTracer(name: string, version?: string, options?: { schemaUrl?: string }): Tracer {
    return carryRandomTraceIdFlag(super.getTracer(name, version, options));
  }
}

function createProcessor(
  exporter: SpanExporter,
  settings: ResolvedSettings,
  drops: QueueDropCounter,
): SpanProcessor {
  if (settings.processor === 'simple') return new SimpleSpanProcessor({ exporter });
  // The processor reports each span it drops on its self-observability meter provider; ours
  // counts them (see `spanDropCounter`).
  return new BatchSpanProcessor({
    exporter,
    maxQueueSize: settings.maxQueueSize,
    maxExportBatchSize: settings.maxExportBatchSize,
    scheduledDelayMillis: settings.scheduledDelayMillis,
    exportTimeoutMillis: settings.exportTimeoutMillis,
    selfObsMeterProvider: drops.meterProvider,
  });
}

/**
 * Sets tracing up from code options and `OTEL_*` variables (code wins): a tracer provider with the
 * chosen exporter behind a bounded batch queue, the sampler and resource from the environment, and,
 * unless told otherwise, the global provider, AsyncLocalStorage context, W3C propagator and
 * outgoing `fetch` propagation. Throws a `ConfigError` naming the option for a bad value.
 */
export function setupTracing(options: TracingOptions = {}): TracingHandle {
  checkTracingOptions(options);
  const env: Env = options.env ?? process.env;
  if (resolveDisabled(options.disabled, env)) return disabledHandle();

  // Everything is checked before anything is built or registered: a bad option leaves no trace.
  const kind = exporterKind(options, env);
  const settings = resolveSettings(options, env, kind);
  const serviceAttributes = resolveResourceAttributes(options, env);
  const resource = createResource(serviceAttributes);
  const sampler = buildSampler(options.sampler, env);
  const exporter = buildExporter(kind, options, env);
  let dropMetric: DroppedItemsMetric | undefined;
  const drops = spanDropCounter(settings.maxQueueSize, (count) => dropMetric?.add(count));
  const tracerProvider = new DatumTracerProvider({
    resource,
    sampler,
    spanProcessors: exporter === undefined ? [] : [createProcessor(exporter, settings, drops)],
  });

  const unregister = settings.registerGlobal ? registerGlobals(tracerProvider) : undefined;
  // Only a batch queue drops spans, so only then is there a counter to report. Created after the
  // last check that can throw: a failed set-up registers nothing.
  if (exporter !== undefined && settings.processor === 'batch') {
    dropMetric = droppedSpansMetric(String(serviceAttributes['service.name']));
  }
  const instrumentations: Disposer[] = [];
  if (settings.instrumentFetch) instrumentations.push(instrumentOutgoingFetch());
  if (settings.instrumentHttp) instrumentations.push(instrumentOutgoingHttp());

  const deadline = settings.shutdownTimeoutMillis;
  const labels = (what: string) => ({ component: PACKAGE_NAME, what });
  let shutdownPromise: Promise<void> | undefined;

  return {
    enabled: true,
    exporter: kind,
    spanExporter: exporter,
    tracerProvider,
    get droppedSpans() {
      return drops.dropped;
    },
    tracer(name = PACKAGE_NAME, version?: string): Tracer {
      return tracerProvider.getTracer(
        name,
        version ?? (name === PACKAGE_NAME ? PACKAGE_VERSION : undefined),
      );
    },
    async forceFlush() {
      await settleWithin(
        () => tracerProvider.forceFlush({ timeoutMillis: deadline }),
        deadline,
        labels('forceFlush'),
      );
      drops.report();
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        // New outgoing calls stop making spans first; the globals go last, so that spans ended
        // while flushing still find their provider.
        for (const dispose of instrumentations) dispose();
        await settleWithin(() => tracerProvider.shutdown(), deadline, labels('shutdown'));
        drops.report();
        unregister?.();
      })();
      return shutdownPromise;
    },
  };
}

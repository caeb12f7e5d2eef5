import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Meter } from '@opentelemetry/api';
import { createNoopMeter, diag } from '@opentelemetry/api';
import { createMetricsHandler } from './prometheus/handler.js';
import { checkedScrapeFormat } from './prometheus/scrape-options.js';
import type { ExpositionFormat, MetricsHandle, MetricsRequestHandler } from './types.js';

/** A handler for when there is no exposition to serve: 404 with the reason, warned once. */
export function notServedHandler(reason: string): MetricsRequestHandler {
  let warned = false;
  return function metricsHandler(_request: IncomingMessage, response: ServerResponse): void {
    if (!warned) {
      warned = true;
      diag.warn(`@datum-telemetry/metrics: /metrics was requested, but ${reason}`);
    }
    response.statusCode = 404;
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.end(`${reason}\n`);
  };
}

/** Nothing recorded: the empty exposition of a format (OpenMetrics still ends with `# EOF`). */
function emptyExposition(format: ExpositionFormat): Promise<string> {
  return Promise.resolve(format === 'openmetrics' ? '# EOF\n' : '');
}

/**
 * The handle for `disabled: true` or `OTEL_SDK_DISABLED=true`: every member does nothing. Its
 * `metricsHandler` still answers like the real one (200, negotiated format, 405 to other methods),
 * with an empty exposition: switching telemetry off with one variable must not turn a Prometheus
 * target red (`up == 0`) nor need the route removed from the app.
 */
export function disabledMetricsHandle(): MetricsHandle {
  const meter: Meter = createNoopMeter();
  return {
    enabled: false,
    exporter: 'none',
    droppedAttributes: 0,
    meterProvider: { getMeter: () => meter },
    meter: () => meter,
    metricsHandler: createMetricsHandler(emptyExposition),
    scrape: (options) => checkedScrapeFormat(options).then(emptyExposition),
    ready: Promise.resolve(),
    prometheusUrl: undefined,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

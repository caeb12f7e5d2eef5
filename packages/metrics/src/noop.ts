import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Meter } from '@opentelemetry/api';
import { createNoopMeter, diag } from '@opentelemetry/api';
import { checkedScrapeFormat } from './prometheus/scrape-options.js';
import type { MetricsHandle, MetricsRequestHandler } from './types.js';

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

/** The handle for `disabled: true` or `OTEL_SDK_DISABLED=true`: every member does nothing. */
export function disabledMetricsHandle(): MetricsHandle {
  const meter: Meter = createNoopMeter();
  return {
    enabled: false,
    exporter: 'none',
    droppedAttributes: 0,
    meterProvider: { getMeter: () => meter },
    meter: () => meter,
    metricsHandler: notServedHandler(
      'metrics are disabled (disabled: true or OTEL_SDK_DISABLED=true)',
    ),
    // Nothing recorded: an empty exposition (OpenMetrics still ends with `# EOF`).
    scrape: (options) =>
      checkedScrapeFormat(options).then((format) => (format === 'openmetrics' ? '# EOF\n' : '')),
    ready: Promise.resolve(),
    prometheusUrl: undefined,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

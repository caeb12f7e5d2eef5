import { resolveDisabled } from '@datum-telemetry/config';
import { settleWithin } from '@datum-telemetry/config/deadline';
import { createResource } from '@datum-telemetry/config/resource';
import type { Meter } from '@opentelemetry/api';
import { diag, metrics } from '@opentelemetry/api';
import { ownExemplars } from './exemplars/own-store.js';
import { DatumMeterProvider } from './meter-provider.js';
import { disabledMetricsHandle, notServedHandler } from './noop.js';
import { createMetricsHandler } from './prometheus/handler.js';
import { checkedScrapeFormat } from './prometheus/scrape-options.js';
import type { PrometheusServer } from './prometheus/server.js';
import { startPrometheusServer } from './prometheus/server.js';
import { createReaders } from './readers.js';
import { RequestCells } from './request-cells/store.js';
import { checkSetupMetricsOptions, resolveMetricsSettings } from './settings.js';
import type { MetricsHandle, ScrapeOptions, SetupMetricsOptions } from './types.js';

/**
 * Sets up metrics for the process: a MeterProvider with the service's resource attributes, the
 * exporter the options or `OTEL_*` variables choose (Prometheus by default), registered as the global
 * provider. Throws a ConfigError naming the option for bad set-up; after that nothing it does throws
 * into the app. With `OTEL_SDK_DISABLED=true` it returns a handle whose members do nothing.
 */
export function setupMetrics(options: SetupMetricsOptions = {}): MetricsHandle {
  checkSetupMetricsOptions(options);
  const env = options.env ?? process.env;
  if (resolveDisabled(options.disabled, env)) return disabledMetricsHandle();
  const settings = resolveMetricsSettings(options, env);
  const resource = createResource(settings.resourceAttributes);
  const cells = new RequestCells(settings.views, resource, settings.exemplarFilter);
  const exemplars = ownExemplars(settings);
  const { readers, prometheus, loaded } = createReaders(settings, cells, exemplars);
  const meterProvider = new DatumMeterProvider(
    { resource, readers, views: [...settings.views] },
    cells,
    exemplars,
  );

  let registered = false;
  if (settings.register) {
    registered = metrics.setGlobalMeterProvider(meterProvider);
    if (!registered) {
      diag.warn(
        '@datum-telemetry/metrics: a global MeterProvider is already registered, so metrics created through @opentelemetry/api go there, not here; call setupMetrics once, or pass register: false',
      );
    }
  }

  const scrape = prometheus
    ? (options?: ScrapeOptions) =>
        checkedScrapeFormat(options).then((format) => prometheus.scrape(format))
    : () =>
        Promise.reject(
          new Error(
            `@datum-telemetry/metrics: no Prometheus exposition with exporter "${settings.exporter}"; pass prometheus: {} to add one`,
          ),
        );
  const metricsHandler = prometheus
    ? createMetricsHandler((format) => prometheus.scrape(format))
    : notServedHandler(
        `no Prometheus exposition with exporter "${settings.exporter}"; pass prometheus: {} to setupMetrics to add one`,
      );

  let server: PrometheusServer | undefined;
  const serving =
    settings.prometheus?.serve === true
      ? startPrometheusServer(
          settings.prometheus.host,
          settings.prometheus.port,
          settings.prometheus.endpoint,
          metricsHandler,
        ).then((started) => {
          server = started;
        })
      : Promise.resolve();
  const ready = Promise.all([serving, loaded]).then(() => undefined);
  ready.catch((error: unknown) => diag.error('@datum-telemetry/metrics: set-up failed', error));

  const deadline = settings.shutdownTimeoutMillis;
  const labels = (what: string) => ({ component: '@datum-telemetry/metrics', what });
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    if (shuttingDown !== undefined) return shuttingDown;
    if (registered && metrics.getMeterProvider() === meterProvider) metrics.disable();
    shuttingDown = settleWithin(
      async () => {
        const closing = serving.then(
          () => server?.close(),
          () => undefined,
        );
        await Promise.all([closing, meterProvider.shutdown({ timeoutMillis: deadline })]);
      },
      deadline,
      labels('shutdown'),
    ).then(() => undefined);
    return shuttingDown;
  };

  return {
    enabled: true,
    exporter: settings.exporter,
    get droppedAttributes() {
      return meterProvider.droppedAttributes;
    },
    meterProvider,
    meter: (name?: string, version?: string): Meter =>
      meterProvider.getMeter(name ?? settings.meterName, version),
    metricsHandler,
    scrape,
    ready,
    get prometheusUrl() {
      return server?.url;
    },
    forceFlush: () =>
      shuttingDown !== undefined
        ? shuttingDown
        : settleWithin(
            () => meterProvider.forceFlush({ timeoutMillis: deadline }),
            deadline,
            labels('forceFlush'),
          ).then(() => undefined),
    shutdown,
  };
}

import { checkServiceName } from '@datum-telemetry/conventions';
import type { MeterProvider, ObservableResult } from '@opentelemetry/api';
import { diag, metrics, ValueType } from '@opentelemetry/api';
import { SCOPE_NAME, scopeVersion } from './scope.js';

/** The unit of the dropped-records counter. */
export const DROPPED_LOG_RECORDS_UNIT = '{log_record}';

/**
 * The service name as a metric segment, as the HTTP middleware makes it (`compute-api` is
 * `compute_api`); no service name at all is `unknown_service`.
 */
export function serviceSegment(serviceName: string): string {
  if (serviceName === '' || serviceName.startsWith('unknown_service')) return 'unknown_service';
  const [problem] = checkServiceName(serviceName);
  if (problem === undefined) return serviceName;
  const fixed = problem.suggestion;
  return fixed !== undefined && checkServiceName(fixed).length === 0 ? fixed : 'unknown_service';
}

/** `{service}.telemetry.log_records.dropped.total`: the self-metric's name for a service. */
export function droppedLogRecordsMetricName(serviceName: string): string {
  return `${serviceSegment(serviceName)}.telemetry.log_records.dropped.total`;
}

interface DropSeries {
  total: number;
  /** The meter provider the instrument was created on; `undefined` before the first try. */
  provider: MeterProvider | undefined;
}

// One total per metric name for the whole process: two set-ups of one service (a test suite, a
// set-up after a shutdown) must add up in one monotonic series, not register two callbacks that
// overwrite each other's observations.
const seriesByName = new Map<string, DropSeries>();

/**
 * The observable counter that reports dropped log records, created through the global
 * `@opentelemetry/api` meter (this package does not depend on a metrics SDK): it lights up when a
 * meter provider is registered. A provider registered after set-up gets the instrument at the next
 * drop, so set-up order does not matter once something is dropped.
 */
export class DropMetric {
  private readonly series: DropSeries;

  constructor(readonly name: string) {
    let series = seriesByName.get(name);
    if (series === undefined) {
      series = { total: 0, provider: undefined };
      seriesByName.set(name, series);
    }
    this.series = series;
    this.ensureInstrument();
  }

  add(count: number): void {
    this.series.total += count;
    this.ensureInstrument();
  }

  private ensureInstrument(): void {
    const provider = metrics.getMeterProvider();
    if (provider === this.series.provider) return;
    this.series.provider = provider;
    const series = this.series;
    try {
      provider
        .getMeter(SCOPE_NAME, scopeVersion())
        .createObservableCounter(this.name, {
          unit: DROPPED_LOG_RECORDS_UNIT,
          description:
            'Log records not exported because the export queue was full (the exporter is slower than the app, or unreachable)',
          valueType: ValueType.INT,
        })
        .addCallback((result: ObservableResult) => result.observe(series.total));
    } catch (error) {
      diag.error(`@datum-telemetry/logging: could not create the ${this.name} metric`, error);
    }
  }
}

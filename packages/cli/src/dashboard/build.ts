// A service's Grafana dashboard, built with Grafana's own dashboard-as-code library (the foundation
// SDK) from the telemetry definition: the JSON is what the SDK serialises, never written by hand.

import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  PanelBuilder,
  QueryVariableBuilder,
  RowBuilder,
  TextBoxVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as HeatmapPanelBuilder } from '@grafana/grafana-foundation-sdk/heatmap';
import { PanelBuilder as LogsPanelBuilder } from '@grafana/grafana-foundation-sdk/logs';
import { DataqueryBuilder as LokiQueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import {
  DataqueryBuilder as PromQueryBuilder,
  PromQueryFormat,
} from '@grafana/grafana-foundation-sdk/prometheus';
import { DataqueryBuilder as TempoQueryBuilder } from '@grafana/grafana-foundation-sdk/tempo';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { CliError } from '../errors.js';
import type { DeclaredMetric, TelemetryDefinition } from '../types.js';
import type { QueryScope } from './queries.js';
import {
  activeRequestsSeries,
  droppedSeries,
  errorRatio,
  histogramQuantile,
  LATENCY_QUANTILES,
  labelName,
  latencyQuantile,
  metricSeries,
  metricValue,
  requestRate,
  requestSeries,
  selector,
} from './queries.js';

/** What a dashboard uid may be: up to 40 letters, digits, `-` and `_` (Grafana's limit). */
export const DASHBOARD_UID = /^[A-Za-z0-9_-]{1,40}$/;

const dashboardOptionRules: OptionsSchema<DashboardOptions> = {
  title: rules.nonEmptyString,
  uid: rules.custom('up to 40 letters, digits, - and _', (value) =>
    typeof value === 'string' ? DASHBOARD_UID.test(value) : false,
  ),
  traces: rules.boolean,
  logs: rules.boolean,
};

/** Options of {@link buildDashboard}. */
export interface DashboardOptions {
  /** The dashboard title. The default value is `{service} service`. */
  readonly title?: string;
  /**
   * The dashboard uid: up to 40 letters, digits, `-` and `_`. The default value is
   * `datum-{service}`.
   */
  readonly uid?: string;
  /**
   * Add a traces (Tempo) data source variable, ask the latency queries for exemplars (an exemplar
   * opens its trace where the Prometheus data source links `trace_id` to Tempo), and add a trace id
   * box and a panel showing that trace. The default value is `true`.
   */
  readonly traces?: boolean;
  /**
   * Add a logs (Loki) data source variable, a trace id box and a panel listing the service's log
   * lines of that trace. The default value is `true`.
   */
  readonly logs?: boolean;
}

/**
 * The variable names the queries use. `instance` narrows every series to the chosen scrape targets
 * (Prometheus's `instance` label; `service.instance.id` for metrics pushed over OTLP): no request
 * metric carries a namespace (a namespace in the path is `{namespace}` in `http.route`, to bound the
 * series), so a namespace variable would list nothing and, set, match no request series.
 */
export const DASHBOARD_VARIABLES = Object.freeze({
  datasource: 'datasource',
  instance: 'instance',
  operation: 'operation',
  traces: 'traces',
  logs: 'logs',
  traceId: 'trace_id',
} as const);

const PROMETHEUS = { type: 'prometheus', uid: `\${${DASHBOARD_VARIABLES.datasource}}` };
const LOKI = { type: 'loki', uid: `\${${DASHBOARD_VARIABLES.logs}}` };
const TEMPO = { type: 'tempo', uid: `\${${DASHBOARD_VARIABLES.traces}}` };

/** The dashboard's scope: every series narrowed to the chosen instances and operations. */
export const DASHBOARD_SCOPE: QueryScope = Object.freeze({
  all: [`instance=~"$${DASHBOARD_VARIABLES.instance}"`],
  requests: [`operation=~"$${DASHBOARD_VARIABLES.operation}"`],
  window: '$__rate_interval',
});

function prom(expr: string, legend: string, refId: string): PromQueryBuilder {
  return new PromQueryBuilder()
    .datasource(PROMETHEUS)
    .expr(expr)
    .legendFormat(legend)
    .refId(refId)
    .range();
}

function refId(index: number): string {
  return String.fromCharCode(65 + index);
}

function timeseries(
  title: string,
  description: string,
  unit: string,
  targets: readonly Builder<Dataquery>[],
): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder()
    .title(title)
    .description(description)
    .datasource(PROMETHEUS)
    .unit(unit)
    .span(8)
    .height(8)
    .targets([...targets]);
}

/** Grafana's unit for a UCUM unit, where one fits. */
function grafanaUnit(unit: string | undefined): string {
  if (unit === 's') return 's';
  if (unit === 'By') return 'bytes';
  if (unit === '%') return 'percent';
  return 'short';
}

function legendOf(labels: readonly string[]): string {
  return labels.length === 0 ? '{{__name__}}' : labels.map((l) => `{{${l}}}`).join(' ');
}

/** The panels of one declared metric of the service's own: by kind. */
function metricPanels(metric: DeclaredMetric, exemplars: boolean): Builder<Panel>[] {
  const name = metricSeries(metric);
  const labels = (metric.attributes ?? []).map(labelName);
  const about = metric.description ? `${metric.description}. ` : '';
  if (metric.kind === 'histogram') {
    const quantiles = LATENCY_QUANTILES.map((q, i) =>
      prom(
        histogramQuantile(`${name}_bucket`, DASHBOARD_SCOPE.all, DASHBOARD_SCOPE.window, q, labels),
        `p${q * 100}${labels.length === 0 ? '' : ` ${legendOf(labels)}`}`,
        refId(i),
      ).exemplar(exemplars),
    );
    const heatmap = new HeatmapPanelBuilder()
      .title(`${metric.name} (distribution)`)
      .description(`${about}Observations per bucket per second (${name}_bucket).`)
      .datasource(PROMETHEUS)
      .span(8)
      .height(8)
      .calculate(false)
      .withTarget(
        new PromQueryBuilder()
          .datasource(PROMETHEUS)
          .expr(
            `sum by (le) (rate(${selector(`${name}_bucket`, DASHBOARD_SCOPE.all)}[${DASHBOARD_SCOPE.window}]))`,
          )
          .format(PromQueryFormat.Heatmap)
          .legendFormat('{{le}}')
          .refId('A')
          .range(),
      );
    return [
      timeseries(
        `${metric.name} (p50, p95, p99)`,
        `${about}Quantiles from the histogram ${name}.`,
        grafanaUnit(metric.unit),
        quantiles,
      ),
      heatmap,
    ];
  }
  const what =
    metric.kind === 'counter'
      ? `Per second (rate of the counter ${name}).`
      : `Current value (${name}, summed over the series of each label set).`;
  return [
    timeseries(
      metric.kind === 'counter' ? `${metric.name} (per second)` : metric.name,
      `${about}${what}`,
      metric.kind === 'counter' ? 'short' : grafanaUnit(metric.unit),
      [prom(metricValue(metric, DASHBOARD_SCOPE), legendOf(labels), 'A')],
    ),
  ];
}

/**
 * Builds the Grafana dashboard of a service from its definition: a row for the service (requests
 * in flight, telemetry dropped), a row per declared resource (request rate, 5xx error ratio and
 * latency quantiles by operation), a row with a panel per metric of its own (by kind), with
 * traces a panel showing the trace of a trace id, and with logs a panel listing its log lines. Returns the dashboard as the foundation SDK
 * builds it (`JSON.stringify` it for Grafana). Throws a `ConfigError` naming a bad option, and a
 * `CliError` when the definition names no service.
 */
export function buildDashboard(
  definition: TelemetryDefinition,
  options: DashboardOptions = {},
): Dashboard {
  validateOptions<DashboardOptions>(options, dashboardOptionRules, '', 'an object such as { uid }');
  const service = definition.service;
  if (service === undefined) {
    throw new CliError(
      'the definition names no service, so the metric names are unknown; give it a `service`',
    );
  }
  const traces = options.traces ?? true;
  const logs = options.logs ?? true;
  const resources = definition.resources ?? [];
  const requestNames = resources.map((r) => requestSeries(service, r.short));
  const active = activeRequestsSeries(service);

  const variables = [
    new DatasourceVariableBuilder(DASHBOARD_VARIABLES.datasource)
      .label('Prometheus')
      .type('prometheus'),
    new QueryVariableBuilder(DASHBOARD_VARIABLES.instance)
      .label('Instance')
      .datasource(PROMETHEUS)
      .query(`label_values(${active}, instance)`)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue('.*'),
  ];
  // Only the resources' request series carry `operation`: without a resource, no panel uses it.
  if (requestNames.length > 0) {
    variables.push(
      new QueryVariableBuilder(DASHBOARD_VARIABLES.operation)
        .label('Operation')
        .datasource(PROMETHEUS)
        .query(
          `label_values({__name__=~"${requestNames.map((r) => r.requests).join('|')}"}, operation)`,
        )
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  }
  if (traces) {
    variables.push(
      new DatasourceVariableBuilder(DASHBOARD_VARIABLES.traces).label('Traces').type('tempo'),
    );
  }
  if (logs) {
    variables.push(
      new DatasourceVariableBuilder(DASHBOARD_VARIABLES.logs).label('Logs').type('loki'),
    );
  }
  const builder = new DashboardBuilder(options.title ?? `${service} service`)
    .uid(options.uid ?? `datum-${service}`.slice(0, 40))
    .description(
      `Generated by datum-telemetry dashboard from the telemetry definition of ${service}.`,
    )
    .tags(['datum-telemetry', service])
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .variables(variables);
  if (traces || logs) {
    builder.withVariable(new TextBoxVariableBuilder(DASHBOARD_VARIABLES.traceId).label('Trace id'));
  }

  builder.withRow(new RowBuilder('Service'));
  builder.withPanel(
    timeseries('Requests in flight', `Requests being served, by method (${active}).`, 'short', [
      prom(
        `sum by (http_request_method) (${selector(active, DASHBOARD_SCOPE.all)})`,
        '{{http_request_method}}',
        'A',
      ),
    ]),
  );
  builder.withPanel(
    timeseries(
      'Telemetry dropped',
      'Spans and log records the telemetry packages dropped (full export queue), per second.',
      'short',
      (['spans', 'log_records'] as const).map((items, i) =>
        prom(
          `sum (rate(${selector(droppedSeries(service, items), DASHBOARD_SCOPE.all)}[${DASHBOARD_SCOPE.window}]))`,
          `${items.replace('_', ' ')} dropped`,
          refId(i),
        ),
      ),
    ),
  );

  resources.forEach((resource, index) => {
    const series = requestNames[index]!;
    builder.withRow(new RowBuilder(`${resource.kind} (${resource.short})`));
    builder.withPanel(
      timeseries(
        `${resource.kind} requests per second`,
        `Requests by operation (${series.requests}).`,
        'reqps',
        [prom(requestRate(series, DASHBOARD_SCOPE, ['operation']), '{{operation}}', 'A')],
      ),
    );
    builder.withPanel(
      timeseries(
        `${resource.kind} error ratio (5xx)`,
        'Share of requests answered with a 5xx status, by operation.',
        'percentunit',
        [prom(errorRatio(series, DASHBOARD_SCOPE, ['operation']), '{{operation}}', 'A')],
      ),
    );
    builder.withPanel(
      timeseries(
        `${resource.kind} latency (p50, p95, p99)`,
        `Request duration quantiles by operation (${series.duration}); exemplars link to their traces.`,
        's',
        LATENCY_QUANTILES.map((q, i) =>
          prom(
            latencyQuantile(series, DASHBOARD_SCOPE, q, ['operation']),
            `{{operation}} p${q * 100}`,
            refId(i),
          ).exemplar(traces),
        ),
      ),
    );
  });

  const requestMetricNames = new Set(requestNames.flatMap((r) => [r.requests, r.duration]));
  const own = definition.metrics.filter((m) => !requestMetricNames.has(metricSeries(m)));
  if (own.length > 0) {
    builder.withRow(new RowBuilder(`${service} metrics`));
    for (const metric of own) {
      for (const panel of metricPanels(metric, traces)) builder.withPanel(panel);
    }
  }

  if (traces) {
    builder.withRow(new RowBuilder('Trace'));
    builder.withPanel(
      new PanelBuilder()
        .type('traces')
        .title(`Trace $${DASHBOARD_VARIABLES.traceId}`)
        .description(
          'The trace whose id is in the Trace id box (an exemplar’s trace_id, or a log line’s), from the traces data source.',
        )
        .datasource(TEMPO)
        .span(24)
        .height(12)
        .withTarget(
          new TempoQueryBuilder()
            .datasource(TEMPO)
            .queryType('traceql')
            .query(`$${DASHBOARD_VARIABLES.traceId}`)
            .refId('A'),
        ),
    );
  }

  if (logs) {
    builder.withRow(new RowBuilder('Logs'));
    builder.withPanel(
      new LogsPanelBuilder()
        .title(`Log lines of trace $${DASHBOARD_VARIABLES.traceId}`)
        .description('The service’s log lines that carry the trace id typed in the Trace id box.')
        .datasource(LOKI)
        .span(24)
        .height(10)
        .showTime(true)
        .wrapLogMessage(true)
        .enableLogDetails(true)
        .withTarget(
          new LokiQueryBuilder()
            .datasource(LOKI)
            .expr(`{service_name="${service}"} |= "$${DASHBOARD_VARIABLES.traceId}"`)
            .refId('A'),
        ),
    );
  }

  const dashboard = builder.build();
  // Unique panel ids, in layout order (the SDK leaves them unset or 0).
  let id = 1;
  for (const panel of dashboard.panels ?? []) {
    (panel as { id?: number }).id = id++;
  }
  return dashboard;
}

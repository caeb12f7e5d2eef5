// The dashboards and alert rules `pnpm demo` writes, checked by Prometheus's own tools: promtool
// checks and unit-tests the rule files; a real Prometheus scrapes both demo services after the
// demo's scenario, loads the rule files, and must return at least one series for every PromQL
// expression of the dashboards and rules (an empty answer means a metric name drifted) and report
// every rule group healthy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryDefinition } from '@datum-telemetry/cli';
import { buildDashboard, loadDefinitionFile } from '@datum-telemetry/cli';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFINITIONS, writeDashboardsAndAlerts } from '../generate.mjs';
import { runScenario, startServices } from '../lib.mjs';
import type { PrometheusServer } from './support/prometheus-server.js';
import { ensurePrometheus, startPrometheus } from './support/prometheus-server.js';

type Service = keyof typeof DEFINITIONS;
const SERVICES = Object.keys(DEFINITIONS) as Service[];

interface Target {
  expr?: string;
  datasource?: { type?: string };
  exemplar?: boolean;
  format?: string;
}
interface PanelJson {
  type: string;
  title: string;
  panels?: PanelJson[];
  targets?: Target[];
}
interface DashboardJson {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: PanelJson[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
}
interface Rule {
  name: string;
  query: string;
  type: 'recording' | 'alerting';
  health: string;
  lastError?: string;
  evaluationTime?: number;
}
interface RuleGroupStatus {
  name: string;
  file: string;
  rules: Rule[];
}

let dir: string;
let files: Record<Service, { dashboard: string; rules: string; tests: string }>;
let services: Awaited<ReturnType<typeof startServices>> | undefined;
let prometheus: PrometheusServer | undefined;
let sink: Awaited<ReturnType<typeof startOtlpSink>> | undefined;

function dashboard(service: Service): DashboardJson {
  return JSON.parse(readFileSync(files[service].dashboard, 'utf8')) as DashboardJson;
}

/** The PromQL of the dashboard's Prometheus targets, with its variables as "All" would set them. */
function dashboardExpressions(service: Service): string[] {
  return dashboard(service)
    .panels.flatMap((p) => p.targets ?? [])
    .filter((t) => t.datasource?.type === 'prometheus')
    .map((t) =>
      t
        .expr!.replaceAll('$__rate_interval', '1m')
        .replaceAll('$instance', '.*')
        .replaceAll('$operation', '.*'),
    );
}

beforeAll(async () => {
  ensurePrometheus();
  dir = mkdtempSync(join(tmpdir(), 'datum-dashboards-'));
  files = (await writeDashboardsAndAlerts(dir)) as typeof files;
  // As the demo runs them: telemetry to an OTLP receiver too (the log record queue, and with it
  // its dropped-records counter, exists only then).
  sink = await startOtlpSink();
  services = await startServices({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BLRP_SCHEDULE_DELAY: '200',
  });
  prometheus = await startPrometheus(
    {
      'compute-api': `127.0.0.1:${services.compute.port}`,
      'network-api': `127.0.0.1:${services.network.port}`,
    },
    SERVICES.map((s) => files[s].rules),
    { exemplars: true },
  );
  // Both targets scraped once before the scenario, so that its requests show up as increases.
  await prometheus.until('up', (s) => s.length === 2 && s.every((x) => x.value[1] === '1'));
  // The scenario twice: a series is first seen at 1 (no increase yet); the second run adds one to
  // each, so that rates, ratios and quantiles have something to say.
  // Both services' counters are waited for: network-api is scraped on its own schedule, and a
  // series first seen only after the second run would never show an increase (its ratio 0/0).
  const networkRequests = 'sum(network_ipaddress_requests_total)';
  const count = (samples: { value: [number, string] }[]) => Number(samples[0]?.value[1] ?? 0);
  await runScenario(services.compute.url);
  await prometheus.until('sum(compute_vm_requests_total)', (s) => s[0]?.value[1] === '7');
  const first = count(await prometheus.until(networkRequests, (s) => count(s) > 0));
  await runScenario(services.compute.url);
  await prometheus.until('sum(compute_vm_requests_total)', (s) => s[0]?.value[1] === '14');
  await prometheus.until(networkRequests, (s) => count(s) > first);
}, 360_000);

afterAll(async () => {
  await prometheus?.stop();
  await services?.compute.stop();
  await services?.network.stop();
  await sink?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(SERVICES)('%s', (service) => {
  it('promtool check rules is clean on the rule file', () => {
    const result = spawnSync('promtool', ['check', 'rules', files[service].rules], {
      encoding: 'utf8',
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('promtool test rules passes on the generated tests', () => {
    const result = spawnSync('promtool', ['test', 'rules', files[service].tests], {
      encoding: 'utf8',
      cwd: dir,
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });

  it('the dashboard JSON is the foundation SDK build of the definition', async () => {
    const definition: TelemetryDefinition = await loadDefinitionFile(DEFINITIONS[service], dir);
    expect(dashboard(service)).toEqual(JSON.parse(JSON.stringify(buildDashboard(definition))));
  });

  it('every PromQL expression of the dashboard returns at least one series', async () => {
    const expressions = dashboardExpressions(service);
    expect(expressions.length).toBeGreaterThan(5);
    for (const expr of expressions) {
      const samples = await prometheus!.until(expr, (s) => s.length > 0, 60_000);
      expect(samples.length, expr).toBeGreaterThan(0);
    }
  }, 300_000);

  it('every query variable of the dashboard has a value in Prometheus, and each panel keeps a series with it', async () => {
    const variables = dashboard(service).templating.list.filter((v) => v.type === 'query');
    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) {
      // What Grafana asks the Prometheus data source for `label_values(selector, label)`.
      const query = typeof variable.query === 'string' ? variable.query : '';
      const parsed = /^label_values\((.+), ([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query);
      expect(parsed, `${variable.name}: ${query}`).not.toBeNull();
      const [, selector, label] = parsed!;
      const path = `/api/v1/label/${label}/values?match[]=${encodeURIComponent(selector!)}`;
      let values: string[] = [];
      const deadline = Date.now() + 60_000;
      while (values.length === 0 && Date.now() < deadline) {
        values = await prometheus!.api<string[]>(path);
        if (values.length === 0) await new Promise((r) => setTimeout(r, 500));
      }
      expect(values.length, `${variable.name}: ${query}`).toBeGreaterThan(0);
      // Narrowed to one value of the variable (the others at All), every panel still has a series:
      // its series carry the label the variable filters on.
      const one = values[0]!;
      const panels = dashboard(service)
        .panels.flatMap((p) => p.targets ?? [])
        .filter(
          (t) => t.datasource?.type === 'prometheus' && t.expr!.includes(`$${variable.name}`),
        );
      expect(panels.length, variable.name).toBeGreaterThan(0);
      for (const target of panels) {
        const expr = target
          .expr!.replaceAll(`$${variable.name}`, one.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&'))
          .replaceAll('$__rate_interval', '1m')
          .replaceAll(/\$[a-z_]+/g, '.*');
        const samples = await prometheus!.until(expr, (s) => s.length > 0, 60_000);
        expect(samples.length, expr).toBeGreaterThan(0);
      }
    }
  }, 300_000);

  it('the rule file loads into Prometheus, every rule healthy, every expression with a series', async () => {
    let groups: RuleGroupStatus[] = [];
    // Every rule evaluated at least once, without error.
    const deadline = Date.now() + 60_000;
    for (;;) {
      ({ groups } = await prometheus!.api<{ groups: RuleGroupStatus[] }>('/api/v1/rules'));
      groups = groups.filter((g) => g.file === files[service].rules);
      const rules = groups.flatMap((g) => g.rules);
      if (rules.length > 0 && rules.every((r) => r.health === 'ok')) break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(groups.map((g) => g.name).sort()).toEqual(
      service === 'compute'
        ? ['compute.slo.vmAvailability', 'compute.slo.vmCreateLatency', 'compute.vm.requests']
        : ['network.ipaddress.requests', 'network.slo.ipaddress'],
    );
    for (const rule of groups.flatMap((g) => g.rules)) {
      expect(rule.health, `${rule.name}: ${rule.lastError ?? ''}`).toBe('ok');
      expect(rule.lastError ?? '').toBe('');
    }
    const rules = groups.flatMap((g) => g.rules);
    for (const rule of rules.filter((r) => r.type === 'recording')) {
      const samples = await prometheus!.until(rule.query, (s) => s.length > 0, 60_000);
      expect(samples.length, rule.query).toBeGreaterThan(0);
    }
    // An alert returns series only while it fires; what it compares must exist.
    const alerting = rules.filter((r) => r.type === 'alerting');
    expect(alerting.length).toBe(4);
    for (const rule of alerting) {
      const operands = rule.query.match(/slo:sli_error:ratio_rate\w+\{[^}]*\}/g) ?? [];
      expect(operands.length, rule.query).toBe(4);
      for (const operand of operands) {
        const samples = await prometheus!.until(operand, (s) => s.length > 0, 60_000);
        expect(samples.length, operand).toBe(1);
      }
    }
  }, 300_000);
});

it("the error ratios are the scenario's: 1 request in 7 failed on compute (a Get), none on network", async () => {
  // rate() extrapolates each series by how long it has been seen, and a series first scraped one
  // second later than another gets a slightly different factor: the ratio is the scenario's to
  // within that, and nearer as the series age (polled until within 0.02, not timed).
  const near = (value: string, expected: number) => Math.abs(Number(value) - expected) < 0.02;
  const compute = await prometheus!.until(
    'slo:sli_error:ratio_rate5m{slo="vmAvailability", sli="availability"}',
    (s) => s.length === 1 && near(s[0]!.value[1], 1 / 7),
    60_000,
  );
  expect(compute[0]!.metric).toMatchObject({ service: 'compute', slo: 'vmAvailability' });
  // No 5xx at all: exactly 0, not nothing (the `or vector(0)`).
  const network = await prometheus!.until(
    'slo:sli_error:ratio_rate5m{slo="ipaddress", sli="availability"}',
    (s) => s.length === 1,
    60_000,
  );
  expect(network[0]!.value[1]).toBe('0');
  // The dashboard's error ratio panel, by operation: Get answered 200, 404 and 500.
  const panel = dashboard('compute').panels.find((p) => p.title.includes('error ratio'))!;
  const expr = panel
    .targets![0]!.expr!.replaceAll('$__rate_interval', '5m')
    .replaceAll('$instance', '.*')
    .replaceAll('$operation', '.*');
  const byOperation = await prometheus!.until(
    expr,
    (s) => s.some((x) => x.metric.operation === 'Get' && near(x.value[1], 1 / 3)),
    60_000,
  );
  expect(
    Object.fromEntries(
      byOperation
        .filter((x) => x.metric.operation !== 'Get')
        .map((x) => [x.metric.operation, x.value[1]]),
    ),
  ).toEqual({ Create: '0', List: '0', Delete: '0' });
}, 180_000);

it("the latency panels' exemplars are the requests' traces, which reached the trace receiver", async () => {
  interface ExemplarSeries {
    seriesLabels: Record<string, string>;
    exemplars: { labels: Record<string, string>; value: string }[];
  }
  for (const service of SERVICES) {
    const latency = dashboard(service).panels.find((p) => p.title.includes('latency'))!;
    for (const target of latency.targets!) {
      expect(target.exemplar).toBe(true);
      const expr = target
        .expr!.replaceAll('$__rate_interval', '5m')
        .replaceAll('$instance', '.*')
        .replaceAll('$operation', '.*');
      const end = Date.now() / 1000 + 60;
      const query = `/api/v1/query_exemplars?query=${encodeURIComponent(expr)}&start=${end - 3600}&end=${end}`;
      let series: ExemplarSeries[] = [];
      const deadline = Date.now() + 60_000;
      while (series.length === 0 && Date.now() < deadline) {
        series = await prometheus!.api<ExemplarSeries[]>(query);
        if (series.length === 0) await new Promise((r) => setTimeout(r, 500));
      }
      const traceIds = series.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id));
      expect(traceIds.length, expr).toBeGreaterThan(0);
      for (const traceId of traceIds) expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      // The spans leave in batches: wait until each trace has arrived (or fail at the deadline).
      await sink!.waitFor(
        () => traceIds.every((id) => sink!.spans().some((span) => span.traceId === id)),
        { timeoutMs: 30_000 },
      );
    }
  }
}, 180_000);

it('the compute dashboard: panels, queries and variables', () => {
  const compute = dashboard('compute');
  expect(compute.title).toBe('compute service');
  expect(compute.uid).toBe('datum-compute');
  const rows = compute.panels.filter((p) => p.type === 'row').map((p) => p.title);
  expect(rows).toEqual(['Service', 'VirtualMachine (vm)', 'compute metrics', 'Trace', 'Logs']);
  const panels = compute.panels.filter((p) => p.type !== 'row');
  expect(panels.map((p) => `${p.type} ${p.title}`)).toEqual([
    'timeseries Requests in flight',
    'timeseries Telemetry dropped',
    'timeseries VirtualMachine requests per second',
    'timeseries VirtualMachine error ratio (5xx)',
    'timeseries VirtualMachine latency (p50, p95, p99)',
    'timeseries compute.vm.active',
    'timeseries compute.vm.provisioning.duration.seconds (p50, p95, p99)',
    'heatmap compute.vm.provisioning.duration.seconds (distribution)',
    'traces Trace $trace_id',
    'logs Log lines of trace $trace_id',
  ]);
  const latency = panels.find((p) => p.title.startsWith('VirtualMachine latency'))!;
  expect(latency.targets!.map((t) => t.expr)).toEqual(
    [0.5, 0.95, 0.99].map(
      (q) =>
        `histogram_quantile(${q}, sum by (operation, le) (rate(compute_vm_request_duration_seconds_bucket{instance=~"$instance", operation=~"$operation"}[$__rate_interval])))`,
    ),
  );
  expect(latency.targets!.every((t) => t.exemplar === true)).toBe(true);
  const errors = panels.find((p) => p.title.includes('error ratio'))!;
  expect(errors.targets![0]!.expr).toContain('http_response_status_code=~"5.."');
  const dropped = panels.find((p) => p.title === 'Telemetry dropped')!;
  expect(dropped.targets!.map((t) => t.expr)).toEqual([
    'sum (rate(compute_telemetry_spans_dropped_total{instance=~"$instance"}[$__rate_interval]))',
    'sum (rate(compute_telemetry_log_records_dropped_total{instance=~"$instance"}[$__rate_interval]))',
  ]);
  const heatmap = panels.find((p) => p.type === 'heatmap')!;
  expect(heatmap.targets![0]!.format).toBe('heatmap');
  // The trace of the id in the Trace id box (an exemplar's trace_id), from the traces data source.
  const trace = panels.find((p) => p.type === 'traces')!;
  expect(trace.targets![0]).toMatchObject({
    queryType: 'traceql',
    query: '$trace_id',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax
    datasource: { type: 'tempo', uid: '${traces}' },
  });
  const logs = panels.find((p) => p.type === 'logs')!;
  expect(logs.targets![0]).toMatchObject({
    expr: '{service_name="compute"} |= "$trace_id"',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax
    datasource: { type: 'loki', uid: '${logs}' },
  });
  expect(compute.templating.list.map((v) => `${v.name}:${v.type}`)).toEqual([
    'datasource:datasource',
    'instance:query',
    'operation:query',
    'traces:datasource',
    'logs:datasource',
    'trace_id:textbox',
  ]);
  expect(compute.templating.list.find((v) => v.name === 'instance')!.query).toBe(
    'label_values(compute_http_requests_active, instance)',
  );
  expect(compute.templating.list.find((v) => v.name === 'operation')!.query).toBe(
    'label_values({__name__=~"compute_vm_requests_total"}, operation)',
  );
});

it('the network dashboard: panels, queries and variables', () => {
  const network = dashboard('network');
  const panels = network.panels.filter((p) => p.type !== 'row');
  expect(network.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
    'Service',
    'IPAddress (ipaddress)',
    'network metrics',
    'Trace',
    'Logs',
  ]);
  expect(panels.map((p) => `${p.type} ${p.title}`)).toEqual([
    'timeseries Requests in flight',
    'timeseries Telemetry dropped',
    'timeseries IPAddress requests per second',
    'timeseries IPAddress error ratio (5xx)',
    'timeseries IPAddress latency (p50, p95, p99)',
    'timeseries network.ipaddress.allocations.total (per second)',
    'timeseries network.ipaddress.allocated',
    'traces Trace $trace_id',
    'logs Log lines of trace $trace_id',
  ]);
  expect(panels.find((p) => p.title.includes('allocations'))!.targets![0]!.expr).toBe(
    'sum by (result) (rate(network_ipaddress_allocations_total{instance=~"$instance"}[$__rate_interval]))',
  );
  expect(panels.find((p) => p.title === 'IPAddress requests per second')!.targets![0]!.expr).toBe(
    'sum by (operation) (rate(network_ipaddress_requests_total{instance=~"$instance", operation=~"$operation"}[$__rate_interval]))',
  );
  expect(network.templating.list.map((v) => v.name)).toEqual([
    'datasource',
    'instance',
    'operation',
    'traces',
    'logs',
    'trace_id',
  ]);
});

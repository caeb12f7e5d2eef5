#!/usr/bin/env node
// The demo: starts network-api and compute-api on free loopback ports, drives a short scenario,
// prints the trace of the create request across both services, the metrics in Prometheus form, the
// slowest bucket's exemplar of compute-api's request durations (scraped in OpenMetrics) with the
// trace it points to, and log lines sharing the trace id, then stops both services (SIGTERM: drain and flush) and exits 0.
//   --keep   keep the services running for manual use (Ctrl-C stops them)
//   --json   print one JSON summary instead of the report (used by the tests)
// With OTEL_EXPORTER_OTLP_ENDPOINT set, telemetry goes to that collector instead of the built-in
// loopback receiver, and the trace is not printed.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { writeDashboardsAndAlerts } from './generate.mjs';
import {
  exemplarTrace,
  formatExemplar,
  formatTree,
  runScenario,
  scrapeOpenMetrics,
  slowestExemplar,
  startServices,
  traceTree,
} from './lib.mjs';

const keep = process.argv.includes('--keep');
const json = process.argv.includes('--json');
const external = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
const say = json ? () => {} : (text = '') => console.log(text);

const sink = external ? undefined : await startOtlpSink();
const env = {
  OTEL_EXPORTER_OTLP_ENDPOINT: external ?? sink.endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: process.env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
  OTEL_METRIC_EXPORT_INTERVAL: process.env.OTEL_METRIC_EXPORT_INTERVAL ?? '1000',
  OTEL_BSP_SCHEDULE_DELAY: process.env.OTEL_BSP_SCHEDULE_DELAY ?? '200',
  OTEL_BLRP_SCHEDULE_DELAY: process.env.OTEL_BLRP_SCHEDULE_DELAY ?? '200',
};
const { compute, network } = await startServices(env);
let exitCode = 0;
let summary;
try {
  say(`compute-api  ${compute.url}  (Express)`);
  say(`network-api  ${network.url}  (Koa)`);
  say(`telemetry -> ${external ?? `${sink.endpoint} (built-in OTLP receiver)`}`);
  say();

  const steps = await runScenario(compute.url);
  say('Scenario');
  for (const s of steps)
    say(`  ${s.name.padEnd(17)} ${s.method.padEnd(6)} ${s.path}  -> ${s.status}`);
  say();

  if (keep) {
    say('Services keep running; press Ctrl-C to stop them.');
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }

  const created = steps[0].response;
  let traceId;
  let tree = [];
  if (sink !== undefined) {
    // The create request's trace: compute's server span, its Reconcile span, the fetch CLIENT span,
    // network's server span and its Allocate span. Wait until all of it has been exported.
    await sink.waitFor(
      () =>
        sink.spans().some((s) => s.name === 'AllocateIPAddress') &&
        sink.spans().some((s) => s.name === 'CreateVirtualMachine'),
      { timeoutMs: 10_000 },
    );
    const root = sink.spans().find((s) => s.name === 'CreateVirtualMachine' && s.kind === 'SERVER');
    traceId = root.traceId;
    await sink.waitFor(() => sink.spans().filter((s) => s.traceId === traceId).length >= 5, {
      timeoutMs: 10_000,
    });
    tree = traceTree(sink.spans(), traceId);
    say(`Trace ${traceId}  (POST create, across both services)`);
    for (const line of formatTree(tree)) say(`  ${line}`);
    say();
  }

  const expositions = {};
  for (const service of [compute, network]) {
    expositions[service.name] = await (await fetch(`${service.url}/metrics`)).text();
    say(`Metrics of ${service.name} (GET ${service.url}/metrics)`);
    for (const line of expositions[service.name].split('\n')) {
      if (line === '' || line.startsWith('target_info') || /^# (HELP|TYPE) target_info/.test(line))
        continue;
      if (line.includes('_bucket{') || line.includes('_sum{')) continue;
      say(`  ${line}`);
    }
    say('  (histogram _bucket and _sum series left out here; the endpoint has them all)');
    say();
  }

  // The exemplar of the slowest bucket of compute-api's request durations, scraped in OpenMetrics,
  // and the trace it points to, as the receiver got it.
  const HISTOGRAM = 'compute_vm_request_duration_seconds';
  const openMetrics = await scrapeOpenMetrics(compute.url);
  const exemplar = slowestExemplar(openMetrics.text, HISTOGRAM);
  let exemplarSpans;
  if (exemplar !== undefined && sink !== undefined) {
    // Its server span may still sit in the batch processor for a moment.
    await sink
      .waitFor(
        () => sink.spans().some((s) => s.traceId === exemplar.traceId && s.kind === 'SERVER'),
        {
          timeoutMs: 10_000,
        },
      )
      .catch(() => {});
    exemplarSpans = exemplarTrace(sink.spans(), exemplar.traceId);
  }
  say(`Slowest exemplar of ${HISTOGRAM} (GET ${compute.url}/metrics in OpenMetrics)`);
  if (exemplar === undefined) say('  (the histogram carries no exemplar)');
  else for (const line of formatExemplar(exemplar, exemplarSpans)) say(`  ${line}`);
  say();

  const logs = [
    ...compute.logs().map((l) => ({ service: 'compute', ...l })),
    ...network.logs().map((l) => ({ service: 'network', ...l })),
  ];
  const traceLogs = traceId === undefined ? [] : logs.filter((l) => l.trace_id === traceId);
  if (traceId !== undefined) {
    say(`Log lines with trace_id ${traceId}`);
    for (const l of traceLogs) {
      say(
        `  [${l.service}] ${l.severity_text ?? l.level} ${l.msg}  span_id=${l.span_id}${l['resource.name'] ? ` resource.name=${l['resource.name']}` : ''}${l['http.response.status_code'] ? ` status=${l['http.response.status_code']}` : ''}`,
      );
    }
    say();
  }

  // Grafana dashboards, Prometheus rules and their promtool tests, from the two definitions.
  const generated = process.env.DEMO_OUTPUT_DIR || join(tmpdir(), 'datum-telemetry-demo');
  await writeDashboardsAndAlerts(generated);
  say(`Dashboards, alert rules and promtool tests of both services: ${generated}`);
  say();

  if (json) {
    const flat = (nodes, parent) =>
      nodes.flatMap(({ span, children }) => [
        {
          service: span.resource['service.name'],
          name: span.name,
          kind: span.kind,
          status: span.status.code,
          spanId: span.spanId,
          parentName: parent?.name,
        },
        ...flat(children, span),
      ]);
    summary = {
      steps: steps.map(({ name, method, path, status }) => ({ name, method, path, status })),
      traceId,
      created,
      trace: flat(tree),
      metrics: expositions,
      openMetrics,
      exemplar,
      exemplarTrace: exemplarSpans,
      traceLogs,
    };
  }
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  const codes = [await compute.stop(), await network.stop()];
  if (codes.some((c) => c !== 0)) {
    console.error(`a service exited with ${codes.join(', ')}`);
    exitCode = 1;
  }
  if (summary !== undefined) {
    // After the stop: the services' last flush on SIGTERM has reached the receiver.
    summary.otlp =
      sink === undefined
        ? undefined
        : {
            requests: sink.requests(),
            logs: sink.logs().length,
            metrics: [...new Set(sink.metrics().map((m) => m.name))],
          };
    console.log(JSON.stringify(summary));
  }
  await sink?.close();
  say('Both services stopped (SIGTERM: drained and flushed).');
}
process.exit(exitCode);

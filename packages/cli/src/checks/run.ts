import { q } from './collector.js';
import type { CheckInput } from './input.js';

/** `service.run`: the scenario got the statuses it expects, and the service ran and stopped cleanly. */
export function checkRun(input: CheckInput): void {
  const { out } = input;
  for (const r of input.collected.requests ?? []) {
    const name = `${r.method} ${r.path}`;
    if (r.error !== undefined) {
      out.add({
        check: 'service.run',
        signal: 'service',
        rule: 'scenario.request-failed',
        level: 'violation',
        name,
        message: `scenario request ${r.index} (${q(name)}) failed: ${r.error}; the service must answer every scenario request`,
      });
    } else if (r.expectStatus !== undefined && r.status !== r.expectStatus) {
      out.add({
        check: 'service.run',
        signal: 'service',
        rule: 'scenario.status',
        level: 'violation',
        name,
        message: `scenario request ${r.index} (${q(name)}) answered ${r.status}, and the scenario expects ${r.expectStatus}: fix the service or the scenario, or the telemetry checked is not that of the intended path`,
      });
    }
  }
  const service = input.collected.service;
  if (service === undefined) return;
  const ended =
    service.signal === null ? `with code ${service.exitCode}` : `on the signal ${service.signal}`;
  if (service.exitedEarly) {
    out.add({
      check: 'service.run',
      signal: 'service',
      rule: 'service.exit',
      level: 'violation',
      name: service.command,
      message: `the service exited ${ended} before it was asked to stop: see its output (run with --verbose)`,
    });
  } else if (service.killed) {
    out.add({
      check: 'service.run',
      signal: 'service',
      rule: 'service.shutdown',
      level: 'warning',
      name: service.command,
      message:
        'the service did not exit after SIGTERM within the stop timeout and was killed, so telemetry still buffered was lost: on SIGTERM, close the server, flush telemetry (shutdown()) and exit',
    });
  } else if (service.signal === 'SIGTERM') {
    out.add({
      check: 'service.run',
      signal: 'service',
      rule: 'service.shutdown',
      level: 'info',
      name: service.command,
      message:
        'the service was ended by SIGTERM without handling it, so nothing was flushed on the way out: handle SIGTERM by closing the server and awaiting the telemetry shutdown()',
    });
  } else if (service.exitCode !== null && service.exitCode !== 0) {
    out.add({
      check: 'service.run',
      signal: 'service',
      rule: 'service.shutdown',
      level: 'warning',
      name: service.command,
      message: `the service exited ${ended} after SIGTERM: a clean shutdown exits with 0`,
    });
  }
}

/** `service.export`: telemetry arrived, and the receiver could read every export. */
export function checkExport(input: CheckInput): void {
  const { collected, out } = input;
  for (const problem of collected.exportProblems ?? []) {
    out.add({
      check: 'service.export',
      signal: 'service',
      rule: 'telemetry.export-rejected',
      level: 'warning',
      name: problem.path,
      message: `an OTLP export to ${q(problem.path)} was refused with ${problem.status} (${problem.reason}): export OTLP over HTTP, protobuf or JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf), to OTEL_EXPORTER_OTLP_ENDPOINT`,
    });
  }
  const received =
    (collected.spans?.length ?? 0) +
    (collected.metrics?.length ?? 0) +
    (collected.logs?.length ?? 0) +
    input.families.length;
  if (received === 0) {
    out.add({
      check: 'service.export',
      signal: 'service',
      rule: 'telemetry.none',
      level: 'violation',
      name: 'telemetry',
      message:
        'no telemetry was received: no OTLP export arrived and no Prometheus metric was scraped; set up @datum-telemetry/tracing and /metrics (they follow OTEL_EXPORTER_OTLP_ENDPOINT), or pass --prometheus URL',
    });
  }
}

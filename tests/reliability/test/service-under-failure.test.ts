// The same guarantees, seen from outside the real service processes: while the collector hangs,
// compute-api and network-api (child processes, wired as they ship) answer every request, publish
// their drop counts on /metrics, export again when the collector is back, and exit 0 on SIGTERM.
import type { DemoService } from '@datum-telemetry/demo/lib.mjs';
import { startServices } from '@datum-telemetry/demo/lib.mjs';
import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { burst } from './support/burst.js';
import { sendUntilExported } from './support/resume.js';

let sink: OtlpSink;
const running: DemoService[] = [];

beforeEach(async () => {
  sink = await startOtlpSink();
});

afterEach(async () => {
  sink.respondWith(undefined);
  await Promise.all(running.splice(0).map((service) => service.stop()));
  await sink.close();
});

/** The value of an unlabelled series in a Prometheus exposition (`undefined` when absent). */
function seriesValue(exposition: string, name: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(service: DemoService): Promise<string> {
  return (await fetch(`${service.url}/metrics`)).text();
}

describe('the demo services with a hanging collector', () => {
  it('answer every request, show their drops on /metrics, and export again once it is back', {
    timeout: 60_000,
  }, async () => {
    sink.respondWith({ delayMs: 60_000 });
    const { compute, network } = await startServices({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_BSP_MAX_QUEUE_SIZE: '16',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '8',
      OTEL_BLRP_MAX_QUEUE_SIZE: '16',
      OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '8',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
    });
    running.push(compute, network);

    // Registered at start-up, before anything was dropped.
    expect(seriesValue(await scrape(compute), 'compute_telemetry_spans_dropped_total')).toBe(0);

    const { wrong } = await burst(compute.url, 'hanging', 40, 8);
    expect(wrong).toEqual([]);

    for (const [service, name] of [
      [compute, 'compute'],
      [network, 'network'],
    ] as const) {
      const exposition = await scrape(service);
      expect(seriesValue(exposition, `${name}_telemetry_spans_dropped_total`)).toBeGreaterThan(0);
      expect(
        seriesValue(exposition, `${name}_telemetry_log_records_dropped_total`),
      ).toBeGreaterThan(0);
    }

    // The collector is back: new requests' spans and access logs arrive again.
    sink.respondWith(undefined);
    await sendUntilExported(compute.url, sink);

    expect(await compute.stop()).toBe(0);
    expect(await network.stop()).toBe(0);
  });
});

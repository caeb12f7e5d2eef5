// The dashboard groups a declared metric by its attributes as the Prometheus endpoint names them as
// labels: for any attribute key (a leading digit, `__`, repeated or non-ASCII separators), the
// label names in the panel's `by (...)` are those the exposition writes.
import { setupMetrics } from '@datum-telemetry/metrics';
import { describe, expect, it } from 'vitest';
import type { TelemetryDefinition } from '../src/index.js';
import { buildDashboard } from '../src/index.js';

const KEYS = ['vm.state', '1st.try', '__reason', 'zone..name', 'région'];

describe('the label names of a declared metric panel', () => {
  it("are the exposition's, whatever the attribute keys", async () => {
    const handle = setupMetrics({ service: 'compute', prometheus: { port: 0 }, env: {} });
    try {
      const counter = handle.meter().createCounter('compute.vm.retries');
      counter.add(1, Object.fromEntries(KEYS.map((k) => [k, 'x'])));
      const line = (await handle.scrape())
        .split('\n')
        .find((l) => l.startsWith('compute_vm_retries_total{'))!;
      const exposed = [...line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="x"/g)].map((m) => m[1]).sort();
      expect(exposed).toHaveLength(KEYS.length);

      const definition: TelemetryDefinition = {
        service: 'compute',
        metrics: [{ name: 'compute.vm.retries', kind: 'counter', attributes: KEYS }],
        spans: [],
        verbs: [],
        kinds: [],
      };
      const dashboard = buildDashboard(definition, { logs: false, traces: false });
      const exprs = (dashboard.panels ?? []).flatMap((p) =>
        ((p as { targets?: { expr?: string }[] }).targets ?? []).map((t) => t.expr ?? ''),
      );
      const query = exprs.find((e) => e.includes('compute_vm_retries_total'))!;
      const by = /sum by \(([^)]*)\)/.exec(query)![1]!.split(', ').sort();
      expect(by).toEqual(exposed);
    } finally {
      await handle.shutdown();
    }
  });
});

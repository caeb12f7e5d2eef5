// Prometheus wants cumulative values across scrapes; the cardinality limit must hold across them
// too (the SDK's own cumulative state grows by up to the limit at every collection).
import { afterEach, expect, it } from 'vitest';
import type { MetricsHandle } from '../src/index.js';
import { setupMetrics } from '../src/index.js';

let handle: MetricsHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

it('values add up across scrapes, and new attribute sets past the limit go to the overflow series', async () => {
  handle = setupMetrics({
    service: 'compute',
    prometheus: { serve: false },
    cardinalityLimit: 10,
    env: {},
  });
  const meter = handle.meter();
  const logins = meter.createCounter('compute.user.logins.total');
  const active = meter.createUpDownCounter('compute.vm.active');
  const duration = meter.createHistogram('compute.vm.request.duration.seconds', { unit: 's' });

  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 20; i++) logins.add(1, { user: `u${round}-${i}` });
    logins.add(2, { user: 'steady' });
    active.add(round % 2 === 0 ? 3 : -1);
    duration.record(0.2);
    const text = await handle.scrape();
    expect(series(text, 'compute_user_logins_total').length).toBeLessThanOrEqual(10);
  }
  const text = await handle.scrape();
  const lines = series(text, 'compute_user_logins_total');
  expect(lines).toHaveLength(10);
  // 5 rounds x (20 + 2) = 110 in all, none lost: in the nine kept series or the overflow one.
  const total = lines.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
  expect(total).toBe(110);
  expect(text).toContain('compute_user_logins_total{otel_metric_overflow="true"}');
  expect(text).toMatch(/^compute_vm_active 7$/m);
  expect(text).toMatch(/^compute_vm_request_duration_seconds_count 5$/m);
  expect(text).toMatch(/^compute_vm_request_duration_seconds_bucket\{le="0.25"\} 5$/m);
});

// With metrics switched off (`OTEL_SDK_DISABLED=true` or `disabled: true`), the `/metrics` route an
// app mounted keeps answering like the real one, with nothing in it: a scrape of a service whose
// telemetry was switched off by one variable stays a healthy scrape (Prometheus keeps `up == 1`),
// and the README's "every member does nothing" holds for the handler too.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureOpenMetricsParser,
  validOpenMetrics,
} from '../../../test-support/openmetrics-oracle.mjs';
import type { MetricsHandle } from '../src/index.js';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, setupMetrics } from '../src/index.js';
import { captureDiag } from './support/diag.js';
import { listen } from './support/http.js';

const parser = ensureOpenMetricsParser();
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

let handle: MetricsHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

describe.each([
  [
    'OTEL_SDK_DISABLED=true',
    () => setupMetrics({ service: 'compute', env: { OTEL_SDK_DISABLED: 'true' } }),
  ],
  ['disabled: true', () => setupMetrics({ service: 'compute', disabled: true, env: {} })],
])('metricsHandler when metrics are off (%s)', (_name, setup) => {
  it('answers a plain scrape 200 with an empty text exposition, and warns nothing', async () => {
    const diag = captureDiag();
    handle = setup();
    handle.meter().createCounter('compute.vm.requests.total').add(1);
    const server = await listen(handle.metricsHandler);
    try {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
      expect(response.headers.get('vary')).toBe('Accept');
      expect(await response.text()).toBe('');
      // The same text as `scrape()`: one answer, two ways to get it.
      expect(await handle.scrape()).toBe('');
      expect(diag.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
    } finally {
      await server.close();
      diag.stop();
    }
  });

  it('answers Prometheus (OpenMetrics preferred) with `# EOF` only, valid for a strict parser', async () => {
    handle = setup();
    const server = await listen(handle.metricsHandler);
    try {
      const response = await fetch(`${server.url}/metrics`, {
        headers: { accept: PROMETHEUS_ACCEPT },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
      const body = await response.text();
      expect(body).toBe('# EOF\n');
      expect(body).toBe(await handle.scrape({ format: 'openmetrics' }));
      if (parser.available) expect(validOpenMetrics(body).size).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('answers HEAD without a body and other methods 405, as the live handler does', async () => {
    handle = setup();
    const server = await listen(handle.metricsHandler);
    try {
      const head = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
    } finally {
      await server.close();
    }
  });
});

// OpenMetrics 1.0 from the serializer, the reader and the endpoint, checked by an oracle we did not
// write: the strict parser of Debian's python3-prometheus-client.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { OracleFamily, OracleSample } from '../../../test-support/openmetrics-oracle.mjs';
import {
  ensureOpenMetricsParser,
  validOpenMetrics,
} from '../../../test-support/openmetrics-oracle.mjs';
import type { MetricsHandle } from '../src/index.js';
import {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  PrometheusSerializer,
  setupMetrics,
} from '../src/index.js';
import { CumulativeStore } from '../src/prometheus/cumulative-store.js';
import { PrometheusReader } from '../src/prometheus/reader.js';
import { createTestMetrics } from '../src/testing/index.js';
import {
  collected,
  everyKind,
  exemplar,
  gauge,
  histogram,
  histogramMetric,
  point,
  SPAN_A,
  SPAN_B,
  TRACE_A,
  TRACE_B,
  upDownCounter,
} from './support/collected.js';
import { ExemplarProducer, randomSpan } from './support/exemplar-producer.js';

const parser = ensureOpenMetricsParser();
if (!parser.available) console.warn(`openmetrics.test.ts: ${parser.reason}`);
const withParser = describe.skipIf(!parser.available);

const OM_ACCEPT = 'application/openmetrics-text; version=1.0.0';
const SCOPE = 'otel_scope_name="compute",otel_scope_version="1.2.0"';
const CREATE = `method="POST",operation="Create",${SCOPE}`;
const LIST = `method="GET",operation="List",${SCOPE}`;
const EXEMPLAR_A = `# {trace_id="${TRACE_A}",span_id="${SPAN_A}"}`;
const EXEMPLAR_B = `# {trace_id="${TRACE_B}",span_id="${SPAN_B}"}`;

/** `everyKind()` in OpenMetrics, with target info and scope labels. */
const EXPECTED = [
  '# HELP target Target metadata',
  '# TYPE target info',
  'target_info{deployment_environment="test",service_name="compute",service_version="1.2.0"} 1',
  '# HELP compute_vm_requests Requests to the \\"VirtualMachine\\" API',
  '# TYPE compute_vm_requests counter',
  `compute_vm_requests_total{code="201",method="POST",operation="Create",${SCOPE}} 3 ${EXEMPLAR_A} 1 1700000030.25`,
  `compute_vm_requests_total{code="404",method="GET",operation="Get",${SCOPE}} 1`,
  '# HELP compute_vm_request_duration_seconds VirtualMachine request latency\\nin seconds \\\\ wall clock',
  '# TYPE compute_vm_request_duration_seconds histogram',
  '# UNIT compute_vm_request_duration_seconds seconds',
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="0.005"} 1 ${EXEMPLAR_A} 0.003 1700000030.25`,
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="0.1"} 3`,
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="1"} 3`,
  `compute_vm_request_duration_seconds_bucket{${CREATE},le="+Inf"} 4 ${EXEMPLAR_B} 2.4 1700000030.25`,
  `compute_vm_request_duration_seconds_sum{${CREATE}} 2.5625`,
  `compute_vm_request_duration_seconds_count{${CREATE}} 4`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="0.005"} 0`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="0.1"} 0`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="1"} 0`,
  `compute_vm_request_duration_seconds_bucket{${LIST},le="+Inf"} 0`,
  `compute_vm_request_duration_seconds_sum{${LIST}} 0`,
  `compute_vm_request_duration_seconds_count{${LIST}} 0`,
  '# HELP compute_vm_active compute.vm.active',
  '# TYPE compute_vm_active gauge',
  `compute_vm_active{${SCOPE},zone="a\\"b\\\\c\\nd"} -2`,
  '# HELP compute_vm_cpu_utilization_percent compute.vm.cpu.utilization.percent',
  '# TYPE compute_vm_cpu_utilization_percent gauge',
  '# UNIT compute_vm_cpu_utilization_percent percent',
  `compute_vm_cpu_utilization_percent{${SCOPE}} 37.5`,
  '# EOF',
  '',
].join('\n');

function samples(families: Map<string, OracleFamily>, family: string): OracleSample[] {
  const found = families.get(family);
  if (found === undefined) throw new Error(`no family ${family} in ${[...families.keys()]}`);
  return found.samples;
}

function bucketExemplars(families: Map<string, OracleFamily>, family: string, labels = {}) {
  return samples(families, family)
    .filter(
      (s) =>
        s.name === `${family}_bucket` &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )
    .map((s) => [s.labels.le, s.exemplar?.labels.trace_id ?? null, s.exemplar?.value ?? null]);
}

describe('the OpenMetrics serializer', () => {
  it('writes counters as families without _total, UNIT lines, exemplars and # EOF', () => {
    const serializer = new PrometheusSerializer({ withTargetInfo: true, withScopeLabels: true });
    expect(serializer.serialize(everyKind(), 'openmetrics')).toBe(EXPECTED);
  });

  withParser('read by the strict parser of python3-prometheus-client', () => {
    it('gives the families, types, units, label values and exemplars we meant', () => {
      const families = validOpenMetrics(EXPECTED);
      expect([...families.values()].map((f) => [f.name, f.type, f.unit])).toEqual([
        ['target', 'info', ''],
        ['compute_vm_requests', 'counter', ''],
        ['compute_vm_request_duration_seconds', 'histogram', 'seconds'],
        ['compute_vm_active', 'gauge', ''],
        ['compute_vm_cpu_utilization_percent', 'gauge', 'percent'],
      ]);
      expect(families.get('compute_vm_requests')!.help).toBe(
        'Requests to the "VirtualMachine" API',
      );
      expect(samples(families, 'compute_vm_active')[0]!.labels.zone).toBe('a"b\\c\nd');
      const created = samples(families, 'compute_vm_requests')[0]!;
      expect(created.name).toBe('compute_vm_requests_total');
      expect(created.exemplar).toEqual({
        labels: { trace_id: TRACE_A, span_id: SPAN_A },
        value: 1,
        timestamp: 1700000030.25,
      });
      expect(
        bucketExemplars(families, 'compute_vm_request_duration_seconds', { operation: 'Create' }),
      ).toEqual([
        ['0.005', TRACE_A, 0.003],
        ['0.1', null, null],
        ['1', null, null],
        ['+Inf', TRACE_B, 2.4],
      ]);
    });
  });
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A Prometheus reader on an SDK provider, with our producer beside the SDK's data. */
function readerWith(producer: ExemplarProducer, cardinalityLimit = 2000) {
  const reader = new PrometheusReader({
    withTargetInfo: false,
    withScopeLabels: false,
    cardinalityLimit,
    metricProducers: [producer],
  });
  const provider = new MeterProvider({ readers: [reader] });
  cleanups.push(() => provider.shutdown());
  return { reader, meter: provider.getMeter('compute') };
}

withParser('the Prometheus reader in OpenMetrics', () => {
  it('keeps the latest exemplar of each bucket and counter across scrapes, one per bucket', async () => {
    const producer = new ExemplarProducer();
    const { reader } = readerWith(producer);
    const fast = randomSpan();
    const slow = randomSpan();
    producer.record(0.002, { operation: 'Get' }, fast);
    producer.record(0.5, { operation: 'Get' }, slow);
    producer.record(0.003, { operation: 'Get' }); // not sampled: no exemplar
    let families = validOpenMetrics(await reader.scrape('openmetrics'));
    expect(bucketExemplars(families, 'compute_vm_request_duration_seconds')).toEqual([
      ['0.005', fast.traceId, 0.002],
      ['0.1', null, null],
      ['1', slow.traceId, 0.5],
      ['+Inf', null, null],
    ]);
    expect(samples(families, 'compute_vm_requests')[0]).toMatchObject({
      name: 'compute_vm_requests_total',
      value: 3,
      exemplar: { labels: { trace_id: slow.traceId, span_id: slow.spanId }, value: 1 },
    });

    // A later request in the first bucket replaces its exemplar; the others stay.
    const later = randomSpan();
    producer.record(0.001, { operation: 'Get' }, later);
    families = validOpenMetrics(await reader.scrape('openmetrics'));
    expect(bucketExemplars(families, 'compute_vm_request_duration_seconds')).toEqual([
      ['0.005', later.traceId, 0.001],
      ['0.1', null, null],
      ['1', slow.traceId, 0.5],
      ['+Inf', null, null],
    ]);
    expect(samples(families, 'compute_vm_requests')[0]!.value).toBe(4);
    expect(samples(families, 'compute_vm_requests')[0]!.exemplar!.labels.trace_id).toBe(
      later.traceId,
    );

    // The text format of the same state: the same series, no exemplar anywhere.
    const text = await reader.scrape('prometheus');
    expect(text).not.toContain('trace_id');
    expect(text).toContain('compute_vm_requests_total{operation="Get"} 4\n');
    expect(text.endsWith('# EOF\n')).toBe(false);
  });

  it('100k sampled requests on one series over 50 scrapes: still one exemplar per bucket', async () => {
    const producer = new ExemplarProducer();
    const { reader } = readerWith(producer);
    const values = [0.001, 0.05, 0.5, 5]; // one in each bucket
    const latest: string[] = [];
    let text = '';
    for (let scrape = 0; scrape < 50; scrape++) {
      for (let i = 0; i < 2000; i++) {
        const span = randomSpan();
        producer.record(values[i % 4]!, { operation: 'List' }, span);
        latest[i % 4] = span.traceId;
      }
      text = await reader.scrape('openmetrics');
    }
    const families = validOpenMetrics(text);
    expect(bucketExemplars(families, 'compute_vm_request_duration_seconds')).toEqual([
      ['0.005', latest[0], 0.001],
      ['0.1', latest[1], 0.05],
      ['1', latest[2], 0.5],
      ['+Inf', latest[3], 5],
    ]);
    expect(text.match(/ # \{trace_id=/g)).toHaveLength(5); // 4 buckets and the counter
    expect(text).toContain('compute_vm_request_duration_seconds_count{operation="List"} 100000\n');
  });

  it('two overlapping scrapes in different formats share one collection', async () => {
    const producer = new ExemplarProducer();
    const { reader } = readerWith(producer);
    producer.record(0.2, { operation: 'Get' }, randomSpan());
    const [open, text] = await Promise.all([
      reader.scrape('openmetrics'),
      reader.scrape('prometheus'),
    ]);
    expect(producer.collections).toBe(1);
    expect(open).toContain('compute_vm_requests_total{operation="Get"} 1 # {');
    expect(text).toContain('compute_vm_requests_total{operation="Get"} 1\n');
  });

  it('sends exemplars of attribute sets past the cardinality limit to the overflow series', async () => {
    const producer = new ExemplarProducer();
    const { reader } = readerWith(producer, 2);
    producer.record(0.2, { operation: 'Get' }, randomSpan());
    const late = randomSpan();
    producer.record(0.2, { operation: 'List' }, late);
    const families = validOpenMetrics(await reader.scrape('openmetrics'));
    const overflow = samples(families, 'compute_vm_requests').find(
      (s) => s.labels.otel_metric_overflow === 'true',
    );
    expect(overflow?.exemplar?.labels.trace_id).toBe(late.traceId);
  });
});

describe('the endpoint and scrape()', () => {
  let handle: MetricsHandle | undefined;
  afterEach(async () => {
    await handle?.shutdown();
    handle = undefined;
  });

  function recorded(): MetricsHandle {
    const h = setupMetrics({ service: 'compute', prometheus: { port: 0 }, env: {} });
    const meter = h.meter();
    meter.createCounter('compute.vm.requests.total').add(2, { operation: 'Get' });
    meter
      .createHistogram('compute.vm.request.duration.seconds', { unit: 's' })
      .record(0.25, { operation: 'Get' });
    meter.createUpDownCounter('compute.vm.active').add(-1);
    return h;
  }

  it('serves OpenMetrics to an OpenMetrics Accept, with its content type and Vary: Accept', async () => {
    handle = recorded();
    await handle.ready;
    const response = await fetch(handle.prometheusUrl!, { headers: { Accept: OM_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(response.headers.get('vary')).toBe('Accept');
    const body = await response.text();
    expect(body.endsWith('\n# EOF\n')).toBe(true);
    expect(body).toContain('# TYPE compute_vm_requests counter\n');
    expect(body).toContain('compute_vm_requests_total{operation="Get"} 2\n');
    if (parser.available) {
      const families = validOpenMetrics(body);
      expect(families.get('compute_vm_request_duration_seconds')?.unit).toBe('seconds');
      expect(families.get('target')?.type).toBe('info');
    }
    const head = await fetch(handle.prometheusUrl!, {
      method: 'HEAD',
      headers: { Accept: OM_ACCEPT },
    });
    expect(head.headers.get('content-type')).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(await head.text()).toBe('');
  });

  it('serves every other Accept the text format, the same bytes as scrape()', async () => {
    handle = recorded();
    await handle.ready;
    const text = await handle.scrape();
    expect(text).toContain('compute_vm_requests_total{operation="Get"} 2\n');
    for (const accept of [
      undefined,
      '*/*',
      'text/plain',
      'application/json',
      'text/html,*/*;q=0.8',
    ]) {
      const response = await fetch(handle.prometheusUrl!, {
        headers: accept === undefined ? {} : { Accept: accept },
      });
      expect(response.headers.get('content-type'), String(accept)).toBe(PROMETHEUS_CONTENT_TYPE);
      expect(await response.text(), String(accept)).toBe(text);
    }
    expect(await handle.scrape({ format: 'prometheus' })).toBe(text);
    expect(await handle.scrape({})).toBe(text);
  });

  it('scrape({ format: "openmetrics" }) gives what the endpoint gives to OpenMetrics', async () => {
    handle = recorded();
    await handle.ready;
    const scraped = await handle.scrape({ format: 'openmetrics' });
    const served = await (
      await fetch(handle.prometheusUrl!, { headers: { Accept: OM_ACCEPT } })
    ).text();
    expect(served).toBe(scraped);
  });

  it('rejects a scrape() option it does not know with a ConfigError naming it', async () => {
    handle = recorded();
    await expect(handle.scrape({ format: 'json' as never })).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining(
        'scrape.format: got "json"; expected "prometheus" or "openmetrics"',
      ),
    });
    await expect(handle.scrape({ fromat: 'openmetrics' } as never)).rejects.toThrow(
      /scrape\.fromat.*format/,
    );
    await expect(handle.scrape('openmetrics' as never)).rejects.toThrow(/scrape/);
  });

  it('a disabled handle scrapes an empty exposition in either format', async () => {
    const disabled = setupMetrics({ disabled: true });
    expect(await disabled.scrape()).toBe('');
    expect(await disabled.scrape({ format: 'openmetrics' })).toBe('# EOF\n');
    await expect(disabled.scrape({ format: 'xml' as never })).rejects.toThrow(/scrape\.format/);
  });

  it('createTestMetrics().scrape() takes the format too', async () => {
    const t = createTestMetrics();
    cleanups.push(() => t.shutdown());
    t.meter().createCounter('compute.vm.requests.total').add(1);
    const open = await t.scrape({ format: 'openmetrics' });
    expect(open).toContain('# TYPE compute_vm_requests counter\ncompute_vm_requests_total 1\n');
    expect(open.endsWith('# EOF\n')).toBe(true);
    expect(await t.scrape()).toContain('# TYPE compute_vm_requests_total counter\n');
    await expect(t.scrape({ format: 1 as never })).rejects.toThrow(/scrape\.format/);
  });
});

describe('the cumulative store', () => {
  const exemplarsOf = (metrics: ReturnType<CumulativeStore['add']>) =>
    metrics.scopeMetrics[0]!.metrics.map((m) =>
      m.dataPoints.map((p) => (p as { exemplars?: unknown[] }).exemplars?.length ?? 0),
    );

  it('keeps no exemplar for gauges and up-down counters, which cannot show one', () => {
    const store = new CumulativeStore(10);
    const out = store.add(
      collected([
        gauge('compute.g', [point({}, 1, [exemplar(1, TRACE_A, SPAN_A)])]),
        upDownCounter('compute.u', [point({}, 1, [exemplar(1, TRACE_A, SPAN_A)])]),
      ]),
    );
    expect(exemplarsOf(out)).toEqual([[0], [0]]);
  });

  it("forgets a histogram's exemplars when its boundaries change, as it restarts its counts", () => {
    const store = new CumulativeStore(10);
    store.add(
      collected([
        histogramMetric('compute.h.seconds', [
          point({}, histogram([0.1, 1], [1, 0, 0], 0.05), [exemplar(0.05, TRACE_A, SPAN_A)]),
        ]),
      ]),
    );
    const same = store.add(
      collected([
        histogramMetric('compute.h.seconds', [point({}, histogram([0.1, 1], [0, 1, 0], 0.5))]),
      ]),
    );
    expect(exemplarsOf(same)).toEqual([[1]]);
    const changed = store.add(
      collected([histogramMetric('compute.h.seconds', [point({}, histogram([0.2], [0, 1], 0.5))])]),
    );
    expect(exemplarsOf(changed)).toEqual([[0]]);
  });
});

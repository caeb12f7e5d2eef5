// Starting, driving and stopping the two demo services: shared by the demo command (run.mjs) and
// its tests, so the tests exercise exactly what a person runs.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';

const appsDir = fileURLToPath(new URL('..', import.meta.url));

/** A free port on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts one service as a child process on a free loopback port. Its stdout (JSON log lines) is
 * kept; `env` adds to the environment (OTEL_* variables).
 */
export async function startService(name, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: `${appsDir}${name}`,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop();
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, 'exit');
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode}:\n${stderr}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready within 15 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name,
    url,
    port,
    child,
    /** Parsed JSON log lines written so far (non-JSON lines, such as console spans, are skipped). */
    logs() {
      return lines.flatMap((line) => {
        try {
          const record = JSON.parse(line);
          return record !== null && typeof record === 'object' ? [record] : [];
        } catch {
          return [];
        }
      });
    },
    stdout: () => lines.join('\n'),
    stderr: () => stderr,
    /** SIGTERM, then waits for the exit (the service drains and flushes first). */
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Starts network-api, then compute-api pointed at it. */
export async function startServices(env = {}) {
  const network = await startService('network-api', { OTEL_SERVICE_NAME: 'network', ...env });
  try {
    const compute = await startService('compute-api', {
      OTEL_SERVICE_NAME: 'compute',
      NETWORK_API_URL: network.url,
      ...env,
    });
    return { compute, network };
  } catch (error) {
    await network.stop();
    throw error;
  }
}

const VMS = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines';

/** The scripted scenario: each step's method, path and the status it got. */
export async function runScenario(computeUrl) {
  const steps = [
    {
      name: 'create',
      method: 'POST',
      path: VMS,
      body: {
        apiVersion: 'compute.datumapis.com/v1alpha1',
        kind: 'VirtualMachine',
        metadata: { name: 'web-1' },
        spec: { cpu: 2, memoryGiB: 4 },
      },
    },
    { name: 'get', method: 'GET', path: `${VMS}/web-1` },
    { name: 'list', method: 'GET', path: VMS },
    { name: 'not found', method: 'GET', path: `${VMS}/does-not-exist` },
    {
      name: 'validation error',
      method: 'POST',
      path: VMS,
      body: { metadata: { name: 'Bad_Name' }, spec: { cpu: 0 } },
    },
    {
      name: 'injected failure',
      method: 'GET',
      path: `${VMS}/web-1`,
      headers: { 'x-inject-failure': 'true' },
    },
    { name: 'delete', method: 'DELETE', path: `${VMS}/web-1` },
  ];
  const results = [];
  for (const step of steps) {
    const res = await fetch(`${computeUrl}${step.path}`, {
      method: step.method,
      headers: { 'content-type': 'application/json', ...step.headers },
      body: step.body === undefined ? undefined : JSON.stringify(step.body),
    });
    const body = await res.json().catch(() => undefined);
    results.push({ ...step, status: res.status, response: body });
  }
  return results;
}

/** Spans of one trace as a tree: roots first, children by start time. */
export function traceTree(spans, traceId) {
  const inTrace = spans.filter((s) => s.traceId === traceId);
  const ids = new Set(inTrace.map((s) => s.spanId));
  const children = new Map();
  for (const s of inTrace) {
    const parent = s.parentSpanId !== undefined && ids.has(s.parentSpanId) ? s.parentSpanId : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(s);
  }
  for (const list of children.values())
    list.sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1));
  const build = (s) => ({ span: s, children: (children.get(s.spanId) ?? []).map(build) });
  return (children.get('') ?? []).map(build);
}

/** The tree as indented lines: service, span name, kind, duration, status. */
export function formatTree(nodes, depth = 0) {
  return nodes.flatMap(({ span, children }) => {
    const ms = Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
    const status =
      span.status.code === 'ERROR'
        ? `ERROR${span.status.message ? ` (${span.status.message})` : ''}`
        : span.status.code;
    const line = `${'  '.repeat(depth)}${depth > 0 ? '└─ ' : ''}[${span.resource['service.name']}] ${span.name}  ${span.kind}  ${ms.toFixed(1)} ms  ${status}`;
    return [line, ...formatTree(children, depth + 1)];
  });
}

/** What a scraper sends to get OpenMetrics 1.0.0, whose lines carry exemplars. */
export const OPENMETRICS_ACCEPT = 'application/openmetrics-text; version=1.0.0';

/** Scrapes a service's /metrics in OpenMetrics: the text and its Content-Type. */
export async function scrapeOpenMetrics(serviceUrl) {
  const res = await fetch(`${serviceUrl}/metrics`, { headers: { accept: OPENMETRICS_ACCEPT } });
  return { text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

/**
 * The exemplar of a histogram's slowest bucket that has one: the `_bucket` line with the highest
 * `le` (then the highest exemplar value) among those carrying an exemplar. `undefined` when the
 * histogram has none. The series' labels (without `le`), the bucket's bounds and the exemplar.
 */
export function slowestExemplar(openMetricsText, histogram) {
  const { families } = parsePrometheusText(openMetricsText, { openMetrics: true });
  const family = families.find((f) => f.name === histogram && f.type === 'histogram');
  if (family === undefined) return undefined;
  let best;
  for (const sample of family.samples) {
    if (sample.name !== `${histogram}_bucket` || sample.exemplar === undefined) continue;
    const le = Number(sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : sample.labels.le);
    if (
      best === undefined ||
      le > best.le ||
      (le === best.le && sample.exemplar.value > best.value)
    ) {
      best = { le, value: sample.exemplar.value, sample };
    }
  }
  if (best === undefined) return undefined;
  const { le: _le, ...labels } = best.sample.labels;
  return {
    histogram,
    labels,
    le: best.sample.labels.le,
    value: best.sample.exemplar.value,
    traceId: best.sample.exemplar.labels.trace_id,
    spanId: best.sample.exemplar.labels.span_id,
  };
}

/**
 * The trace an exemplar points to, from the spans a receiver got: its root span's service and
 * name, how many spans it has and the root's duration in milliseconds; `undefined` when no span
 * of it arrived.
 */
export function exemplarTrace(spans, traceId) {
  const inTrace = spans.filter((s) => s.traceId === traceId);
  if (inTrace.length === 0) return undefined;
  const [root] = traceTree(spans, traceId);
  const span = root.span;
  return {
    traceId,
    root: span.name,
    rootService: span.resource['service.name'],
    spans: inTrace.length,
    durationMs: Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6,
  };
}

/** The exemplar and its trace as the demo prints them. */
export function formatExemplar(exemplar, trace) {
  const route = exemplar.labels.http_route ?? '';
  const lines = [
    `${exemplar.labels.http_request_method ?? ''} ${route} -> ${exemplar.labels.http_response_status_code ?? ''}  bucket le="${exemplar.le}"  ${exemplar.value.toFixed(4)} s`,
    `trace_id=${exemplar.traceId} span_id=${exemplar.spanId}`,
  ];
  lines.push(
    trace === undefined
      ? '-> no span of this trace reached the OTLP receiver'
      : `-> trace: root [${trace.rootService}] ${trace.root}, ${trace.spans} spans, ${trace.durationMs.toFixed(1)} ms`,
  );
  return lines;
}

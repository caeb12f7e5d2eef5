// Runs the whole suite in its smoke mode (BENCH_QUICK=1: short runs, one round or repeat, a short
// soak) and checks that it ran, not how fast: both servers of every simultaneous pair and every
// interleaved configuration served requests without an error, every signal-cost variant, micro
// benchmark and the soak produced numbers, and the results and the goals table came out in the
// expected shape. Results go to a temporary directory; bench/RESULTS.md is left alone.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderMarkdown } from '../src/report.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'datum-bench-test-'));
const markdownFile = join(out, 'RESULTS.md');
const jsonFile = join(out, 'results.json');

interface Measurement {
  readonly requests: number;
  readonly errors: number;
  readonly requestsPerSecond: number;
  readonly maxRssBytes: number;
  readonly otlpBytes?: number;
}
interface Side {
  readonly config: string;
  readonly requests: number;
  readonly cpuMicros: number;
  readonly requestsPerCpuSecond: number;
  readonly loadRequests: number;
  readonly p99: number;
  readonly errors: number;
  readonly windowSeconds: number;
  readonly eventLoop?: { samples: number; maxMs: number; p99Ms: number; stalls: number };
}
interface Pair {
  readonly name: string;
  readonly base: string;
  readonly subject: string;
  readonly load: 'saturated' | 'paced';
}
interface CostRun {
  readonly variant: string;
  readonly failures: number;
  readonly droppedSpans: number;
  readonly cpuMicrosPerRequest: number;
}
interface Results {
  readonly simultaneous: {
    readonly pairs: Pair[];
    readonly repeats: Array<Record<string, { base: Side; subject: Side }>>;
    readonly pinned: boolean;
    readonly warning?: string;
  };
  readonly cost: Record<
    'koa' | 'express',
    {
      variants: string[];
      rounds: Array<Record<string, CostRun>>;
      skeleton: { rounds: number; bareMicros: number; offMicros: number; skeletonMicros: number };
    }
  > & { exemplarMeasurements: Record<'request' | 'own', Record<string, number>> };
  readonly http: {
    readonly configs: { readonly express: string[]; readonly koa: string[] };
    readonly rounds: Array<Record<string, Measurement>>;
  };
  readonly reliability: {
    readonly sinks: string[];
    readonly rounds: Array<Record<string, Measurement>>;
  };
  readonly micro: Array<{
    name: string;
    raw: string;
    oursNs: number;
    rawNs: number;
    ratio: number;
  }>;
  readonly soak: {
    requests: number;
    failures: number;
    heapStartBytes: number;
    heapEndBytes: number;
  };
  readonly profile: Record<string, { cpuMicrosPerRequest: number; groups: unknown[] }>;
}

// Every goal of issue 15, in the order of the table (the text before any parenthesis).
const GOALS = [
  'Express: all three signals cost less CPU per request over bare than the hand-written OTel middleware alone',
  'Koa: all three signals cost less CPU per request over bare than the hand-written OTel middleware alone',
  'Express, all three signals: requests per server CPU-second vs bare',
  'Koa, all three signals: requests per server CPU-second vs bare',
  'Express, all three signals: ahead of the hand-written OTel middleware',
  'Koa, all three signals: ahead of the hand-written OTel middleware',
  'Metrics only',
  'Access log only',
  'Express, all three signals: p99 latency vs bare, both saturated',
  'Koa, all three signals: p99 latency vs bare, both saturated',
  'Express, all three signals: p99 latency vs bare at 1,000 req/s each',
  'Koa, all three signals: p99 latency vs bare at 1,000 req/s each',
  'Express, all three signals: event-loop delay, worst stall at 1,000 req/s',
  'Koa, all three signals: event-loop delay, worst stall at 1,000 req/s',
  "Express, all three signals: event-loop stalls over 2 ms beyond the bare server's next to it",
  "Koa, all three signals: event-loop stalls over 2 ms beyond the bare server's next to it",
  'Our wrappers within 1.1x of the raw call',
  'Heap growth over the 20,000-request soak',
  'Collector down/slow/500/429: throughput vs collector up',
  'Collector down/slow/500/429: peak RSS vs collector up',
  'Koa: the middleware with every signal off, CPU per request over bare',
  'Express: the middleware with every signal off, CPU per request over bare',
  "The access log line costs no more than pino's for the same fields",
];

let results: Results;
let markdown: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['--expose-gc', 'src/run.mjs'], {
    cwd: benchDir,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS: markdownFile, BENCH_JSON: jsonFile },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 900_000,
  });
  results = JSON.parse(readFileSync(jsonFile, 'utf8')) as Results;
  markdown = readFileSync(markdownFile, 'utf8');
}, 960_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const PAIRS = [
  'express-control',
  'express-ours-all',
  'express-ours-tm',
  'express-otel-auto',
  'express-otel-manual',
  'express-metrics',
  'express-log',
  'express-paced',
  'koa-control',
  'koa-ours-all',
  'koa-ours-tm',
  'koa-otel-auto',
  'koa-otel-manual',
  'koa-paced',
];

it('runs every simultaneous pair, bare next to bare among them for each framework', () => {
  const pairs = results.simultaneous.pairs;
  expect(pairs.map((p) => p.name)).toEqual(PAIRS);
  for (const framework of ['express', 'koa']) {
    const control = pairs.find((p) => p.name === `${framework}-control`)!;
    expect(control.base).toBe(`${framework}-bare`);
    expect(control.subject).toBe(`${framework}-bare`);
  }
  const pair = (name: string) => pairs.find((p) => p.name === name)!;
  expect(pair('express-metrics')).toMatchObject({
    base: 'express-prom-bundle',
    subject: 'express-ours-metrics',
  });
  expect(pair('express-log')).toMatchObject({
    base: 'express-pino-http',
    subject: 'express-ours-log',
  });
});

it('both servers of every pair served requests without an error and counted their CPU time', () => {
  expect(results.simultaneous.repeats).toHaveLength(1);
  const repeat = results.simultaneous.repeats[0]!;
  for (const pair of results.simultaneous.pairs) {
    for (const side of ['base', 'subject'] as const) {
      const run = repeat[pair.name]![side];
      const what = `${pair.name} ${side}`;
      expect(run.config, what).toBe(pair[side]);
      expect(run.requests, what).toBeGreaterThan(0);
      expect(run.loadRequests, what).toBeGreaterThan(0);
      expect(run.errors, what).toBe(0);
      expect(run.cpuMicros, what).toBeGreaterThan(0);
      expect(run.requestsPerCpuSecond, what).toBeCloseTo(run.requests / (run.cpuMicros / 1e6), 6);
      expect(run.p99, what).toBeGreaterThan(0);
      expect(run.eventLoop?.samples, what).toBeGreaterThan(0);
      expect(run.eventLoop!.maxMs, what).toBeGreaterThanOrEqual(run.eventLoop!.p99Ms);
      expect(Number.isInteger(run.eventLoop!.stalls), what).toBe(true);
    }
  }
});

it('the two servers of a pair were pinned to one CPU, or the results say why not', () => {
  if (results.simultaneous.pinned) {
    expect(markdown).toMatch(/pinned to one CPU.*`taskset`; per repeat: servers on \d+, load on /);
  } else {
    expect(results.simultaneous.warning).toBeTruthy();
    expect(markdown).toContain(`WARNING: ${results.simultaneous.warning}`);
  }
});

it('reports each control ratio, with a warning exactly when it is outside 0.97-1.03', () => {
  const repeat = results.simultaneous.repeats[0]!;
  for (const name of ['express-control', 'koa-control']) {
    const { base, subject } = repeat[name]!;
    const ratio = subject.requestsPerCpuSecond / base.requestsPerCpuSecond;
    const row = markdown.split('\n').find((line) => line.startsWith(`| ${name} |`));
    expect(row, name).toContain(`| ${ratio.toFixed(2)}x |`);
    const warning = `WARNING: control pair ${name} (bare next to bare) gave ${ratio.toFixed(2)}x`;
    if (ratio < 0.97 || ratio > 1.03) expect(markdown).toContain(warning);
    else expect(markdown).not.toContain(warning);
  }
});

const COST_VARIANTS = [
  'bare',
  'off',
  'traces',
  'metrics',
  'log',
  'all',
  'all-exemplars-off',
  'manual',
];

it('every signal-cost variant of both frameworks served its requests and exported every span', () => {
  for (const framework of ['koa', 'express'] as const) {
    expect(results.cost[framework].variants).toEqual(COST_VARIANTS);
    const round = results.cost[framework].rounds[0]!;
    for (const variant of COST_VARIANTS) {
      const run = round[variant]!;
      expect(run.variant, `${framework} ${variant}`).toBe(variant);
      expect(run.failures, `${framework} ${variant}`).toBe(0);
      expect(run.droppedSpans, `${framework} ${variant}`).toBe(0);
      expect(run.cpuMicrosPerRequest, `${framework} ${variant}`).toBeGreaterThan(0);
    }
    // The one-process skeleton measurement: both apps served (a failed request throws there).
    const skeleton = results.cost[framework].skeleton;
    expect(skeleton.rounds).toBe(3);
    expect(skeleton.bareMicros).toBeGreaterThan(0);
    expect(skeleton.offMicros).toBeGreaterThan(0);
    expect(Number.isFinite(skeleton.skeletonMicros)).toBe(true);
  }
});

it('the cost section alone still renders as COST.md, one row per variant', () => {
  const costOnly = renderMarkdown({
    settings: (results as unknown as { settings: unknown }).settings,
    connections: 50,
    cost: results.cost,
    elapsedSeconds: 1,
  }) as string;
  expect(costOnly).toContain('cost per signal only');
  expect(costOnly).not.toContain('## Goals');
  for (const heading of ['### Koa 3 + @koa/router', '### Express 5']) {
    const section = costOnly.slice(costOnly.indexOf(heading));
    const rows = section
      .split('\n')
      .filter((line) =>
        /^\| (bare|off|traces|metrics|log|all|all-exemplars-off|manual) \|/.test(line),
      );
    expect(rows.slice(0, COST_VARIANTS.length).map((r) => r.split(' | ')[0]!.slice(2))).toEqual(
      COST_VARIANTS,
    );
    expect(section).toMatch(/\*\*Exemplars cost -?\d+\.\d µs per request\*\*/);
  }
  // The exemplars measured per measurement, in one process: every variant ran, and its row shows.
  for (const what of ['request', 'own'] as const) {
    const m = results.cost.exemplarMeasurements[what];
    for (const variant of ['always_off', 'trace_based, sampled', 'trace_based, unsampled']) {
      expect(m[variant], `${what} ${variant}`).toBeGreaterThan(0);
    }
  }
  expect(costOnly).toContain('### Exemplars per measurement');
  expect(costOnly).toMatch(
    /^\| request recorder \(one request\) \| [\d,]+ \| [\d,]+ \| [\d,]+ \| -?[\d,]+ /m,
  );
  expect(costOnly).toMatch(
    /^\| defineMetrics histogram\.record \| [\d,]+ \| [\d,]+ \| [\d,]+ \| -?[\d,]+ /m,
  );
});

it('every HTTP configuration served requests without a single error', () => {
  const configs = [...results.http.configs.express, ...results.http.configs.koa];
  expect(configs).toEqual(
    expect.arrayContaining(['express-ours-metrics', 'express-ours-log', 'koa-ours-all']),
  );
  expect(configs.length).toBe(14);
  for (const round of results.http.rounds) {
    for (const config of configs) {
      expect(round[config], config).toBeDefined();
      expect(round[config]!.requests, config).toBeGreaterThan(0);
      expect(round[config]!.errors, config).toBe(0);
      expect(round[config]!.maxRssBytes, config).toBeGreaterThan(0);
    }
  }
});

it('the configurations that export spans really sent OTLP to the sink', () => {
  const round = results.http.rounds[0]!;
  for (const config of ['express-ours-all', 'express-otel-auto', 'koa-ours-all', 'koa-otel-auto']) {
    expect(round[config]!.otlpBytes, config).toBeGreaterThan(0);
  }
  expect(round['express-bare']!.otlpBytes).toBe(0);
});

it('the app kept serving with the collector up, down, slow, or answering 500 and 429', () => {
  expect(results.reliability.sinks).toEqual(['up', 'down', 'slow', '500', '429']);
  for (const sink of results.reliability.sinks) {
    const run = results.reliability.rounds[0]![sink]!;
    expect(run.requests, sink).toBeGreaterThan(0);
    expect(run.errors, sink).toBe(0);
  }
});

it('every micro benchmark measured both sides', () => {
  expect(results.micro.map((m) => m.name)).toEqual(
    expect.arrayContaining([
      'counter add, 3 attributes',
      'histogram record, 3 attributes',
      'span around a no-op function',
      'log line, 5 fields',
      'middleware per request, all three signals',
      'W3C extract traceparent',
      'W3C extract traceparent + tracestate',
      'W3C extract baggage',
      'W3C inject traceparent + tracestate',
      'W3C inject baggage',
    ]),
  );
  for (const m of results.micro) {
    expect(m.oursNs, m.name).toBeGreaterThan(0);
    expect(m.rawNs, m.name).toBeGreaterThan(0);
    expect(m.ratio, m.name).toBeCloseTo(m.oursNs / m.rawNs, 6);
  }
});

it('the soak ran its requests without failures and measured the heap', () => {
  expect(results.soak.requests).toBe(20_000);
  expect(results.soak.failures).toBe(0);
  expect(results.soak.heapStartBytes).toBeGreaterThan(0);
  expect(results.soak.heapEndBytes).toBeGreaterThan(0);
});

it('the profile section says where the time goes for both frameworks', () => {
  for (const config of ['express-ours-all', 'koa-ours-all']) {
    expect(results.profile[config]!.cpuMicrosPerRequest, config).toBeGreaterThan(0);
    expect(results.profile[config]!.groups.length, config).toBeGreaterThan(3);
  }
});

it('writes RESULTS in the expected shape: machine, Node version, goals and every table', () => {
  expect(markdown).toContain(`- Node.js: ${process.version}`);
  expect(markdown).toMatch(/- Machine: \d+ x /);
  expect(markdown).toMatch(/- Date: \d{4}-\d{2}-\d{2}T/);
  for (const heading of [
    '## How to read this',
    '## Goals (issue 15)',
    '## Simultaneous: two servers on one CPU, at the same time',
    '### Saturated: autocannon',
    '### Paced: 1,000 requests per second',
    '## What each signal costs',
    '## HTTP: Express 5',
    '## HTTP: Koa 3',
    '## Reliability',
    '## Micro benchmarks',
    '## Soak',
    '## Where the time goes',
  ]) {
    expect(markdown).toContain(heading);
  }
  const goalRows = markdown
    .split('\n')
    .filter((line) => /\| (met|NOT met|not measured) \|$/.test(line));
  expect(goalRows.map((row) => row.slice(2, row.indexOf(' | ')).replace(/ \(.*$/, ''))).toEqual(
    GOALS,
  );
  expect(markdown).toContain('| Express 5, bare |');
  expect(markdown).toContain('| Koa + ours: traces, metrics, access log |');
});

it('judges every goal from a run of all sections; only a micro case not written yet is not measured', () => {
  const goalRows = markdown
    .split('\n')
    .filter((line) => /\| (met|NOT met|not measured) \|$/.test(line));
  const pinoCase = results.micro.some((m) => m.name === 'access log line, same fields');
  const repeat = results.simultaneous.repeats[0]!;
  for (const row of goalRows) {
    const isPinoRow = row.startsWith("| The access log line costs no more than pino's");
    const stallFramework = /^\| (Express|Koa), all three signals: event-loop stalls/.exec(row)?.[1];
    if (isPinoRow && !pinoCase) {
      expect(row, row).toMatch(/\| - \| not measured \|$/);
    } else if (stallFramework !== undefined) {
      // Judged only when the bare server next to ours stalled at most once a second.
      const base = repeat[`${stallFramework.toLowerCase()}-paced`]!.base;
      const noisy = base.eventLoop!.stalls / base.windowSeconds > 1;
      expect(row, row).toMatch(
        noisy ? /\| too noisy to judge: .* \| not measured \|$/ : /\| (met|NOT met) \|$/,
      );
    } else {
      expect(row, row).toMatch(/\| (met|NOT met) \|$/);
    }
  }
});

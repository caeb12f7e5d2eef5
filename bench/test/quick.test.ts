// Runs the whole suite in its smoke mode (BENCH_QUICK=1: 1 s per configuration, one round, a short
// soak) and checks that it ran, not how fast: every server configuration served requests without an
// error, every micro benchmark and the soak produced numbers, and the results came out in the
// expected shape. Results go to a temporary directory; bench/RESULTS.md is left alone.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

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
interface Results {
  readonly http: {
    readonly configs: { readonly express: string[]; readonly koa: string[] };
    readonly rounds: Array<Record<string, Measurement>>;
  };
  readonly reliability: {
    readonly sinks: string[];
    readonly rounds: Array<Record<string, Measurement>>;
  };
  readonly micro: Array<{ name: string; oursNs: number; rawNs: number; ratio: number }>;
  readonly soak: {
    requests: number;
    failures: number;
    heapStartBytes: number;
    heapEndBytes: number;
  };
  readonly profile: Record<string, { cpuMicrosPerRequest: number; groups: unknown[] }>;
}

let results: Results;
let markdown: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['--expose-gc', 'src/run.mjs'], {
    cwd: benchDir,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS: markdownFile, BENCH_JSON: jsonFile },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 600_000,
  });
  results = JSON.parse(readFileSync(jsonFile, 'utf8')) as Results;
  markdown = readFileSync(markdownFile, 'utf8');
}, 660_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

it('every HTTP configuration served requests without a single error', () => {
  const configs = [...results.http.configs.express, ...results.http.configs.koa];
  expect(configs.length).toBeGreaterThanOrEqual(9);
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
    '## Goals',
    '## HTTP: Express 5',
    '## HTTP: Koa 3',
    '## Reliability',
    '## Micro benchmarks',
    '## Soak',
    '## Where the time goes',
  ]) {
    expect(markdown).toContain(heading);
  }
  // One goal row per goal, each marked met or NOT met.
  const goalRows = markdown.split('\n').filter((line) => /\| (met|NOT met) \|$/.test(line));
  expect(goalRows.length).toBe(8);
  expect(markdown).toContain('| Express 5, bare |');
  expect(markdown).toContain('| Koa + ours: traces, metrics, access log |');
});

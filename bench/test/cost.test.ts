// Runs the opt-in "cost" section (what each signal costs in-process) in its smoke mode and checks
// that it ran, not how fast: every variant of both frameworks served its requests, exported every
// span it made (nothing dropped, so the export is in the measurement), and the table came out.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'datum-bench-cost-'));
const markdownFile = join(out, 'RESULTS.md');
const jsonFile = join(out, 'results.json');

interface Run {
  readonly variant: string;
  readonly requests: number;
  readonly failures: number;
  readonly droppedSpans: number;
  readonly cpuMicrosPerRequest: number;
}
interface Cost {
  readonly variants: string[];
  readonly rounds: Array<Record<string, Run>>;
}

let cost: Record<'koa' | 'express', Cost>;
let markdown: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['--expose-gc', 'src/run.mjs'], {
    cwd: benchDir,
    env: {
      ...process.env,
      BENCH_QUICK: '1',
      BENCH_SECTIONS: 'cost',
      BENCH_RESULTS: markdownFile,
      BENCH_JSON: jsonFile,
    },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 300_000,
  });
  cost = (JSON.parse(readFileSync(jsonFile, 'utf8')) as { cost: typeof cost }).cost;
  markdown = readFileSync(markdownFile, 'utf8');
}, 330_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const VARIANTS = ['bare', 'off', 'traces', 'metrics', 'log', 'all', 'manual'];

it('every variant of both frameworks served its requests and exported every span it made', () => {
  for (const framework of ['koa', 'express'] as const) {
    expect(cost[framework].variants).toEqual(VARIANTS);
    const round = cost[framework].rounds[0]!;
    for (const variant of VARIANTS) {
      const run = round[variant]!;
      expect(run.variant, `${framework} ${variant}`).toBe(variant);
      expect(run.failures, `${framework} ${variant}`).toBe(0);
      expect(run.droppedSpans, `${framework} ${variant}`).toBe(0);
      expect(run.cpuMicrosPerRequest, `${framework} ${variant}`).toBeGreaterThan(0);
    }
  }
});

it('writes one table row per variant for each framework', () => {
  expect(markdown).toContain('## What each signal costs (CPU µs per request, in-process)');
  for (const heading of ['### Koa 3 + @koa/router', '### Express 5']) {
    const section = markdown.slice(markdown.indexOf(heading));
    const rows = section
      .split('\n')
      .filter((line) => /^\| (bare|off|traces|metrics|log|all|manual) \|/.test(line));
    expect(rows.slice(0, VARIANTS.length).map((r) => r.split(' | ')[0]!.slice(2))).toEqual(
      VARIANTS,
    );
  }
});

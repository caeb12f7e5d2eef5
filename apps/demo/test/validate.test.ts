// The seed's scripts/validate-metrics.sh, run against each demo service as CI would: it starts the
// service, drives the scenario in apps/<service>/validate/, stops it and checks everything it
// exported. Both must be clean (exit 0, no finding at all), including the exemplars each serves on
// its /metrics in OpenMetrics: on `_total`/`_bucket` lines, naming traces whose spans it exported.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService } from '../lib.mjs';
import { DEMO_VALIDATIONS } from '../validate-services.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let network: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  // compute-api calls network-api on create: run one for it.
  network = await startService('network-api', {});
}, 30_000);
afterAll(async () => {
  await network?.stop();
});

interface Report {
  ok: boolean;
  summary: { violations: number; warnings: number; info: number };
  received: Record<string, number>;
  checks: { id: string; status: string }[];
}

/** The exemplar rules ran on exemplars the service served in OpenMetrics, and found nothing. */
function expectExemplarsChecked(report: Report): void {
  expect(report.checks.find((c) => c.id === 'metrics.exemplars')?.status).toBe('passed');
}

async function validate(args: string[], env: Record<string, string> = {}): Promise<Report> {
  const { stdout } = await promisify(execFile)(
    'bash',
    ['scripts/validate-metrics.sh', '--format', 'json', '--quiet', ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      timeout: 90_000,
      maxBuffer: 20 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as Report;
}

const validation = (name: string) => {
  const found = DEMO_VALIDATIONS.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no validation for ${name}`);
  return found.args;
};

it('compute-api: clean', async () => {
  const report = await validate(validation('compute-api'), { NETWORK_API_URL: network.url });
  expect(report.summary).toMatchObject({ violations: 0, warnings: 0 });
  expect(report.ok).toBe(true);
  expect(report.received.spans).toBeGreaterThanOrEqual(9);
  expectExemplarsChecked(report);
}, 100_000);

it('network-api: clean, over OTLP and its Prometheus exposition', async () => {
  const report = await validate(validation('network-api'));
  expect(report.summary).toMatchObject({ violations: 0, warnings: 0 });
  expect(report.ok).toBe(true);
  expectExemplarsChecked(report);
}, 100_000);

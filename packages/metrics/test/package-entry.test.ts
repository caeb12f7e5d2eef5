import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The environment without OTEL_* variables, so the child sees only what a test gives it. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_')) env[key] = value;
  }
  return { ...env, ...extra };
}

// Scripts run in a child Node process from the package folder, so that the package name resolves
// through its own `exports` map to the built `dist/`: what a user who installed it gets.
function node(args: string[], env = cleanEnv()) {
  return run(process.execPath, args, { cwd: packageDir, env, encoding: 'utf8' });
}

describe('the published entry points', () => {
  it('run examples/quickstart.mjs, which checks its own exposition and exits', async () => {
    const { stdout } = await node(['examples/quickstart.mjs']);
    expect(stdout.trim().split('\n').at(-1)).toBe('quickstart ok');
  });

  it('import the main and the testing entry by name', async () => {
    const { stdout } = await node([
      '--input-type=module',
      '-e',
      `import { setupMetrics, defineMetrics } from '@datum-telemetry/metrics';
       import { createTestMetrics, assertPoint } from '@datum-telemetry/metrics/testing';
       const t = createTestMetrics();
       defineMetrics({ service: 'compute', metrics: { a: { name: 'compute.vm.active', kind: 'gauge' } } })
         .create(t.meter()).a.record(3);
       await assertPoint(t, 'compute.vm.active', {}, { value: 3 });
       const handle = setupMetrics({ env: { OTEL_SDK_DISABLED: 'true' } });
       console.log(JSON.stringify([typeof setupMetrics, handle.enabled]));
       await t.shutdown();`,
    ]);
    expect(JSON.parse(stdout)).toEqual(['function', false]);
  });

  it('export nothing by accident: every export is named in src/index.ts', async () => {
    const main = Object.keys(await import('../src/index.js')).sort();
    expect(main).toEqual([
      'DEFAULT_SECONDS_BUCKETS',
      'METRIC_DEFINITION_API_VERSION',
      'OPENMETRICS_CONTENT_TYPE',
      'PROMETHEUS_CONTENT_TYPE',
      'PrometheusSerializer',
      'createInstruments',
      'defineMetrics',
      'droppedAttributesMetricName',
      'metricObjectName',
      'negotiateExposition',
      'setupMetrics',
    ]);
    const testing = Object.keys(await import('../src/testing/index.js')).sort();
    expect(testing).toEqual(['assertMetric', 'assertNoMetric', 'assertPoint', 'createTestMetrics']);
  });
});

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Runs a script in a child Node process from the package folder, so that the package name resolves
// through its own `exports` map to the built `dist/`: what a user who installed it gets.
function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' });
}

describe('the published entry point', () => {
  it('imports as ESM by package name', () => {
    const out = runNode([
      '--input-type=module',
      '-e',
      `import { checkMetricName, buildSpanName, toPrometheusName } from '@datum-telemetry/conventions';
       console.log(JSON.stringify([
         checkMetricName('compute.vm.requests', { kind: 'counter' })[0].rule,
         buildSpanName('create', 'VirtualMachine'),
         toPrometheusName('compute.vm.requests.total', 'counter'),
       ]));`,
    ]);
    expect(JSON.parse(out)).toEqual([
      'metric.name.counter-suffix',
      'CreateVirtualMachine',
      'compute_vm_requests_total',
    ]);
  });

  it('loads with require() on Node >= 20.19', () => {
    const out = runNode([
      '-e',
      `const c = require('@datum-telemetry/conventions');
       console.log(c.parseResourcePath('/api/v1/nodes/n1').route);`,
    ]);
    expect(out.trim()).toBe('/api/v1/nodes/{name}');
  });

  it('gives the Prometheus text parser at /prometheus, for import and require', () => {
    const text = '# TYPE compute_vm_active gauge\\ncompute_vm_active{namespace=\\"default\\"} 2\\n';
    const esm = runNode([
      '--input-type=module',
      '-e',
      `import { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';
       console.log(JSON.stringify(parsePrometheusText("${text}", { strict: true })));`,
    ]);
    expect(JSON.parse(esm)).toEqual({
      families: [
        {
          name: 'compute_vm_active',
          type: 'gauge',
          samples: [{ name: 'compute_vm_active', labels: { namespace: 'default' }, value: 2 }],
        },
      ],
      errors: [],
    });
    const cjs = runNode([
      '-e',
      `const { parsePrometheusText } = require('@datum-telemetry/conventions/prometheus');
       console.log(JSON.stringify(parsePrometheusText("${text}", { strict: true })));`,
    ]);
    expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
  });

  it('has the log-line writer behind its own entry point, for ESM and require()', () => {
    const out = runNode([
      '--input-type=module',
      '-e',
      `import { LogLineWriter } from '@datum-telemetry/conventions/log-line';
       import * as main from '@datum-telemetry/conventions';
       const writer = new LogLineWriter();
       const call = {};
       const msg = writer.readCall([{ password: 'p' }, 'login'], call);
       process.stdout.write(writer.line(writer.head('compute'), 30, call, msg, new Date(0), undefined));
       console.log(JSON.stringify('LogLineWriter' in main));`,
    ]);
    const [line, inMain] = out.trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({
      name: 'compute',
      password: '[REDACTED]',
      msg: 'login',
    });
    expect(inMain).toBe('false');
    const required = runNode([
      '-e',
      `const { LOG_SEVERITY } = require('@datum-telemetry/conventions/log-line');
       console.log(LOG_SEVERITY.error.severityNumber);`,
    ]);
    expect(required.trim()).toBe('17');
  });

  it('exports nothing by accident from log-line: every export is named in its index.ts', async () => {
    const names = Object.keys(await import('../src/log-line/index.js')).sort();
    expect(names).toEqual([
      'CONTEXT_AWARE_LOGGER',
      'DEFAULT_MAX_STRING_LENGTH',
      'LINE_CORE_FIELDS',
      'LOG_LEVELS',
      'LOG_LEVEL_EXPECTED',
      'LOG_LEVEL_SETTINGS',
      'LOG_SEVERITY',
      'LeveledLogger',
      'LineWriter',
      'LogLineHead',
      'LogLineWriter',
      'REDACTED',
      'SEVERITY_BY_BUNYAN_INDEX',
      'SILENT_LEVEL',
      'TRACE_FLAGS',
      'errorLogField',
      'escapeLineSeparators',
      'parseLogLevel',
      'resolveLogLevel',
    ]);
  });

  it('exports nothing by accident: every export is named in src/index.ts', async () => {
    const mod = await import('../src/index.js');
    const names = Object.keys(mod).sort();
    expect(names).toContain('checkMetricName');
    expect(names).not.toContain('finding');
    expect(names).not.toContain('quote');
    const prometheus = Object.keys(await import('../src/prometheus/index.js'));
    expect(prometheus).toEqual(['parsePrometheusText']);
  });
});

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ValidationFinding } from '../src/index.js';
import { example, fixture, packageDir, parseXml, runBin } from './support.js';

const service = ['--', process.execPath, example('compute-service.mjs')];

function parse(stdout: string): {
  ok: boolean;
  findings: ValidationFinding[];
  received: Record<string, number>;
} {
  return JSON.parse(stdout);
}

describe('validate against a service that follows the rules', () => {
  it('exits 0 with no finding at all, over OTLP/protobuf and OTLP/JSON', async () => {
    const base = [
      'validate',
      '--definition',
      example('telemetry.json'),
      '--scenario',
      example('scenario.json'),
      '--format',
      'json',
      '--fail-on',
      'warning',
    ];
    const runs = await Promise.all([
      runBin([...base, ...service]),
      runBin([...base, '--otlp-protocol', 'http/json', ...service]),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      const report = parse(run.stdout);
      expect(report.findings).toEqual([]);
      expect(report.ok).toBe(true);
      // Every signal arrived: what was checked is real.
      expect(report.received).toMatchObject({
        spans: 5,
        metrics: 3,
        logRecords: 2,
        logLines: 2,
        requests: 5,
      });
    }
  });

  it('reads a compiled module exporting a defineMetrics definition and span helpers', async () => {
    const run = await runBin([
      'validate',
      '--definition',
      fixture('compute-definition.mjs'),
      '--scenario',
      example('scenario.json'),
      '--format',
      'json',
      ...service,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(parse(run.stdout).findings).toEqual([]);
  });

  it('finds what the module declares missing when the scenario skips it', async () => {
    // Only the health check and one request: no DELETE, so no DeleteVirtualMachine span.
    const run = await runBin([
      'validate',
      '--definition',
      fixture('compute-definition.mjs'),
      '--scenario',
      fixture('partial-scenario.json'),
      '--format',
      'json',
      ...service,
    ]);
    expect(run.code).toBe(1);
    const missing = parse(run.stdout).findings.filter((f) => f.rule === 'span.expected.missing');
    expect(missing.map((f) => f.name).sort()).toEqual([
      'DeleteVirtualMachine',
      'GetVirtualMachine',
    ]);
  });

  it('accepts exactly the data form of defineMetrics: the example definition is its toJSON()', async () => {
    const { computeMetrics } = (await import(
      pathToFileURL(fixture('compute-definition.mjs')).href
    )) as {
      computeMetrics: { toJSON(): unknown };
    };
    const written = JSON.parse(readFileSync(example('telemetry.json'), 'utf8'));
    const { spans, ...data } = written;
    expect(data).toEqual(computeMetrics.toJSON());
    expect(spans).toEqual(['CreateVirtualMachine', 'GetVirtualMachine', 'DeleteVirtualMachine']);
  });
});

describe('the README usage', () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const block = /<!-- usage: run by test\/validate-clean\.test\.ts -->\s*```sh\n([\s\S]*?)```/.exec(
    readme,
  );
  const commands = (block?.[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('datum-telemetry '));

  it('has commands to run', () => {
    expect(commands.length).toBeGreaterThanOrEqual(2);
  });

  it.each(commands)('runs `%s` from examples/ and exits 0', async (line) => {
    const args = line.replace(/^datum-telemetry /, '').split(/\s+/);
    const examples = join(packageDir, 'examples');
    const output = args.includes('--output')
      ? join(examples, args[args.indexOf('--output') + 1]!)
      : undefined;
    try {
      const run = await runBin(args, { cwd: examples });
      expect(run.code, run.stderr).toBe(0);
      if (output !== undefined) {
        const xml = parseXml(readFileSync(output, 'utf8'));
        expect(xml.attributes.failures).toBe('0');
      } else {
        expect(run.stdout).toContain('OK: 0 violations');
      }
    } finally {
      if (output !== undefined && existsSync(output)) rmSync(output);
    }
  });
});

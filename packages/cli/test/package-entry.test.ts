import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, packageDir, repoDir, runBin } from './support.js';

const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

describe('the published package', () => {
  it('has a `datum-telemetry` bin with a node shebang that prints its version', async () => {
    expect(pkg.bin).toEqual({ 'datum-telemetry': './dist/bin.js' });
    expect(readFileSync(binPath, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const run = await runBin(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('exports the checks as a library, through its exports map, for import and require', () => {
    const script = (loader: string) =>
      `${loader}.then((m) => console.log([typeof m.validateTelemetry, typeof m.runChecks, typeof m.parsePrometheusText, m.CHECKS.length].join(' ')))`;
    const esm = execFileSync(process.execPath, ['-e', script("import('@datum-telemetry/cli')")], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    const cjs = execFileSync(
      process.execPath,
      ['-e', script("Promise.resolve(require('@datum-telemetry/cli'))")],
      { cwd: packageDir, encoding: 'utf8' },
    );
    expect(esm.trim()).toBe('function function function 15');
    expect(cjs.trim()).toBe(esm.trim());
  });

  it('depends at run time on config (its own version), conventions, the receiver and the Grafana SDK only', () => {
    // The first three have no dependencies of their own (config's @opentelemetry/api peer is
    // optional); Grafana's foundation SDK, which `dashboard` builds with, brings tslib only.
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      '@datum-telemetry/config',
      '@datum-telemetry/conventions',
      '@datum-telemetry/otlp-sink',
      '@grafana/grafana-foundation-sdk',
    ]);
    // Its types name the definition format of @datum-telemetry/metrics, which it never loads: an
    // optional peer, so that installing the CLI brings no OpenTelemetry SDK along.
    expect(pkg.peerDependencies).toEqual({ '@datum-telemetry/metrics': 'workspace:>=0.1.0' });
    expect(pkg.peerDependenciesMeta).toEqual({ '@datum-telemetry/metrics': { optional: true } });
  });
});

describe('scripts/validate-metrics.sh', () => {
  const script = join(repoDir, 'scripts', 'validate-metrics.sh');

  it('passes every argument to `datum-telemetry validate`, reading paths from the current directory', async () => {
    const run = await runBin(
      [
        '--definition',
        'telemetry.json',
        '--scenario',
        'scenario.json',
        '--quiet',
        '--',
        process.execPath,
        'compute-service.mjs',
      ],
      { command: script, cwd: join(packageDir, 'examples') },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('OK: 0 violations');
    const usage = await runBin(['--format', 'yaml'], { command: script });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--format: got "yaml"');
  });

  it('exits 2 with the build command when the CLI is not built', async () => {
    const root = mkdtempSync(join(tmpdir(), 'datum-cli-script-'));
    try {
      mkdirSync(join(root, 'scripts'));
      copyFileSync(script, join(root, 'scripts', 'validate-metrics.sh'));
      const run = await runBin(['--help'], {
        command: join(root, 'scripts', 'validate-metrics.sh'),
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('packages/cli/dist/bin.js is missing; build it first');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('scripts/scaffold-telemetry.sh', () => {
  it('passes every argument to `datum-telemetry scaffold`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'datum-cli-scaffold-script-'));
    try {
      const script = join(repoDir, 'scripts', 'scaffold-telemetry.sh');
      const args = [
        '--service',
        'network',
        '--resource',
        'IPAddress',
        '--short',
        'ipaddress',
        '--framework',
        'koa',
      ];
      const dry = await runBin([...args, '--dry-run'], { command: script, cwd: dir });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('would create    src/telemetry/ip-address.ts');
      const run = await runBin(args, { command: script, cwd: dir });
      expect(run.code).toBe(0);
      const written = readFileSync(join(dir, 'src/telemetry/ip-address.ts'), 'utf8');
      expect(written).toContain("name: 'network.ipaddress.requests.total'");
      expect(written).toContain('export const ipAddressMetrics = defineMetrics(');
      expect(written).toContain("plural: 'ipaddresses',");
      expect(written).toContain("group: 'network.datumapis.com',");
      const bad = await runBin(['--service', 'Network'], { command: script, cwd: dir });
      expect(bad.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

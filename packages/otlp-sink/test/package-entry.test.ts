import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Runs a script in a child Node process from the package folder, so that the package name resolves
// through its own `exports` map to the built `dist/`: what a user who installed it gets.
function runNode(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 15_000,
  });
}

describe('the published entry point', () => {
  it('runs the README quick start, which exits by itself', () => {
    const out = runNode(['examples/quickstart.mjs']);
    expect(out).toContain("CreateVirtualMachine SERVER OK { 'http.response.status_code': 201 }");
    expect(out.trim().endsWith('quickstart ok')).toBe(true);
  });

  it('shows the quick start verbatim in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/quickstart.mjs', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
  });

  it('runs the README gRPC example: a real gRPC exporter, the span decoded', () => {
    const out = runNode(['examples/grpc.mjs']);
    expect(out).toContain('ListVirtualMachines grpc 0');
    expect(out.trim().endsWith('grpc example ok')).toBe(true);
  });

  it('shows the gRPC example verbatim in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/grpc.mjs', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
  });

  it('loads with require() on Node >= 20.19', () => {
    const out = runNode([
      '-e',
      `const s = require('@datum-telemetry/otlp-sink');
       console.log(typeof s.startOtlpSink, typeof s.decodeOtlpRequest);`,
    ]);
    expect(out.trim()).toBe('function function');
  });

  it('has no runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
  });

  it('exports nothing by accident: every export is named in src/index.ts', async () => {
    const mod = await import('../src/index.js');
    expect(Object.keys(mod).sort()).toEqual([
      'OtlpDecodeError',
      'decodeOtlpRequest',
      'startOtlpSink',
    ]);
  });
});

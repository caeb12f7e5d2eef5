import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ValidationFinding } from '../src/index.js';
import { freeLoopbackPort } from '../src/validate/free-port.js';
import { binPath, example, packageDir } from './support.js';

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('validate without a command: a receiver for a service started elsewhere', () => {
  it('prints its endpoint, receives until SIGINT, then reports', async () => {
    const cli = spawn(
      process.execPath,
      [
        binPath,
        'validate',
        '--otlp-port',
        '0',
        '--definition',
        example('telemetry.json'),
        '--format',
        'json',
        '--quiet',
      ],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    cli.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    cli.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const closed = once(cli, 'close');
    const endpoint = await until(
      async () => /receiver on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1],
    );
    expect(stderr).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`);

    // The service, started by someone else, pointed at the printed endpoint.
    const port = await freeLoopbackPort();
    const service = spawn(process.execPath, [example('compute-service.mjs')], {
      env: { ...process.env, PORT: String(port), OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    await until(async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined));
    // Still receiving: it has not reported anything yet.
    expect(stdout).toBe('');
    const created = await fetch(
      `${base}/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines`,
      {
        method: 'POST',
      },
    );
    expect(created.status).toBe(201);
    // Its SIGTERM handler flushes every signal before it exits.
    service.kill('SIGTERM');
    await once(service, 'exit');

    cli.kill('SIGINT');
    const [code] = await closed;
    const findings = (JSON.parse(stdout) as { findings: ValidationFinding[] }).findings;
    // What it did is there; what it was not asked to do is reported.
    expect(findings.map((f) => `${f.rule} ${f.name}`).sort()).toEqual([
      'span.expected.missing DeleteVirtualMachine',
      'span.expected.missing GetVirtualMachine',
    ]);
    expect(code).toBe(1);
  });
});

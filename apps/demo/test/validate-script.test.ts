// `scripts/validate-metrics.sh` with no arguments, as the seed promises it: it validates the two
// demo services (registered, emitted, named), each with the scenario in its `validate/` folder,
// and exits 0 only when both are clean. It used to sit waiting for OTLP on port 4318.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function runScript(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['scripts/validate-metrics.sh'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that the guard below can stop a hung run and what it started.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    // Only keeps a hung run (the old behaviour: waiting on port 4318) from hanging the suite.
    const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

it('with no arguments, validates compute-api and network-api with their scenarios: both clean', async () => {
  const run = await runScript();
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
  const sections = run.stdout.split(/^== /m).slice(1);
  expect(sections.map((s) => s.slice(0, s.indexOf(' ==')))).toEqual(['network-api', 'compute-api']);
  for (const [section, service] of [
    [sections[0]!, 'network'],
    [sections[1]!, 'compute'],
  ] as const) {
    expect(section).toContain(`datum-telemetry validate for the service ${service}`);
    expect(section).toContain('OK: 0 violations, 0 warnings');
    // Spans, metrics and logs were really received, and every scenario request was sent.
    expect(section).toMatch(/received [1-9]\d* spans, [1-9]\d* metrics, [1-9]\d* log records/);
  }
  expect(run.stderr).toContain('sent 5 scenario requests');
  expect(run.stderr).toContain(`apps/network-api/dist/server.js`);
  expect(run.stderr).toContain(`apps/compute-api/dist/server.js`);
  expect(run.stdout).toContain('OK: network-api and compute-api validated (exit 0)');
}, 100_000);

// The dashboards and alert rules of the two demo services, generated from their telemetry
// definitions by `datum-telemetry dashboard` and `datum-telemetry alerts`: shared by the demo
// command (run.mjs) and the test that loads them into a real Prometheus.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@datum-telemetry/cli';

const appsDir = fileURLToPath(new URL('..', import.meta.url));

/** The compiled definition module of each demo service, by service name. */
export const DEFINITIONS = Object.freeze({
  compute: join(appsDir, 'compute-api/dist/definition.js'),
  network: join(appsDir, 'network-api/dist/definition.js'),
});

/**
 * Writes `{service}.dashboard.json`, `{service}.rules.yml` and `{service}.rules.test.yml` of both
 * services into `dir` (created when missing) and returns the paths by service.
 */
export async function writeDashboardsAndAlerts(dir) {
  await mkdir(dir, { recursive: true });
  const written = {};
  for (const [service, definition] of Object.entries(DEFINITIONS)) {
    let errors = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (text) => (errors += text) },
      env: process.env,
      cwd: dir,
    };
    const files = {
      dashboard: join(dir, `${service}.dashboard.json`),
      rules: join(dir, `${service}.rules.yml`),
      tests: join(dir, `${service}.rules.test.yml`),
    };
    const codes = [
      await runCli(['dashboard', '--definition', definition, '--output', files.dashboard], io),
      await runCli(['alerts', '--definition', definition, '--output', files.rules], io),
    ];
    if (codes.some((code) => code !== 0)) {
      throw new Error(`generating the ${service} dashboard and rules failed:\n${errors}`);
    }
    written[service] = files;
  }
  return written;
}

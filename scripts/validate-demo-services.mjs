// What `scripts/validate-metrics.sh` does with no arguments: validates the two demo services as
// the seed promises (metrics registered, traces emitted, names by the conventions). Each is
// started by `datum-telemetry validate` with its definition and the scenario in its `validate/`
// folder; compute-api calls network-api on create, so a network-api runs beside it. Prints each
// report under the service's name; exits with the worst exit code (0 clean, 1 violations, 2
// usage or start-up errors).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startService } from '../apps/demo/lib.mjs';
import { DEMO_VALIDATIONS } from '../apps/demo/validate-services.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}packages/cli/dist/bin.js`;

const SERVICES = DEMO_VALIDATIONS;

for (const file of [bin, ...SERVICES.map((s) => `${root}apps/${s.name}/dist/server.js`)]) {
  if (!existsSync(file)) {
    process.stderr.write(
      `validate-metrics.sh: ${file} is missing; build it first: pnpm turbo run build --filter=@datum-telemetry/demo...\n`,
    );
    process.exit(2);
  }
}

function validate(service, env) {
  // The service command runs under this Node.
  const args = [bin, 'validate', ...service.args.map((a) => (a === 'node' ? process.execPath : a))];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 2));
  });
}

let worst = 0;
let network;
try {
  for (const service of SERVICES) {
    process.stdout.write(`\n== ${service.name} ==\n`);
    let env = {};
    if (service.needsNetwork) {
      network ??= await startService('network-api');
      env = { NETWORK_API_URL: network.url };
    }
    worst = Math.max(worst, await validate(service, env));
  }
} catch (error) {
  process.stderr.write(`validate-metrics.sh: ${error.message}\n`);
  worst = 2;
} finally {
  await network?.stop();
}
process.stdout.write(
  `\n${worst === 0 ? 'OK' : 'FAILED'}: ${SERVICES.map((s) => s.name).join(' and ')} validated (exit ${worst})\n`,
);
process.exit(worst);

import { didYouMean } from '@datum-telemetry/config';
import { runAlerts } from './alerts/command.js';
import { runDashboard } from './dashboard/command.js';
import { ExitCode } from './errors.js';
import { runScaffold } from './scaffold/command.js';
import type { CliIo } from './types.js';
import { runValidate } from './validate/command.js';
import { packageVersion } from './version.js';

/** The commands, in the order the help lists them. */
const COMMANDS: readonly string[] = ['validate', 'scaffold', 'dashboard', 'alerts'];

export const MAIN_HELP = `Usage: datum-telemetry <command> [options]

Commands:
  validate   check a service's metrics, traces and logs against its definition and Datum's
             naming rules (starts it and drives a scenario, or listens for one started elsewhere)
  scaffold   write the telemetry wiring of a new service (TypeScript, Express or Koa)
  dashboard  write the Grafana dashboard of a service from its definition
  alerts     write the Prometheus recording rules, SLO burn-rate alerts and their promtool tests

Run \`datum-telemetry <command> --help\` for its options. \`--version\` prints the version.
`;

/**
 * Runs the command line `argv` (without `node` and the script) and returns the exit code: 0 clean,
 * 1 violations (or files that would be overwritten), 2 usage or start-up errors.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate':
      return runValidate(rest, io);
    case 'scaffold':
      return runScaffold(rest, io);
    case 'dashboard':
      return runDashboard(rest, io);
    case 'alerts':
      return runAlerts(rest, io);
    case '--version':
    case '-v':
      io.stdout.write(`${packageVersion()}\n`);
      return ExitCode.Ok;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      if (COMMANDS.includes(rest[0] ?? '')) return runCli([rest[0]!, '--help'], io);
      (command === undefined ? io.stderr : io.stdout).write(MAIN_HELP);
      return command === undefined ? ExitCode.Usage : ExitCode.Ok;
    default: {
      // The same did-you-mean as a misspelt flag (`valdate`: did you mean validate?).
      const meant = didYouMean(command, COMMANDS);
      io.stderr.write(
        `datum-telemetry: unknown command ${JSON.stringify(command)}; ${meant === undefined ? `expected ${COMMANDS.slice(0, -1).join(', ')} or ${COMMANDS.at(-1)}` : `did you mean ${meant}?`}\n\n${MAIN_HELP}`,
      );
      return ExitCode.Usage;
    }
  }
}

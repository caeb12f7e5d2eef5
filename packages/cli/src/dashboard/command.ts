import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '@datum-telemetry/config';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { parseFlags } from '../flags.js';
import type { CliIo, TelemetryDefinition } from '../types.js';
import {
  definitionFilesWhere,
  mergeDefinitions,
  readDefinitionFile,
} from '../validate/definition.js';
import type { DashboardOptions } from './build.js';
import { buildDashboard, DASHBOARD_UID } from './build.js';

export const DASHBOARD_HELP = `Usage: datum-telemetry dashboard --definition FILE [--output FILE] [options]

Writes the Grafana dashboard of a service, built with Grafana's foundation SDK from its telemetry
definition: a row for the service (requests in flight, telemetry dropped), a row per declared
resource (request rate, 5xx error ratio and p50/p95/p99 latency by operation, with exemplars), a
panel per metric of its own (counter: rate; up-down counter and gauge: value; histogram: quantiles
and heatmap) and a panel of the log lines of a trace id. Variables: the Prometheus data source,
instance, operation (with a resource), and the traces and logs data sources.

Options:
  --definition FILE   the definition: defineMetrics(...).toJSON() as JSON, or the compiled module
                      that exports it (repeatable; merged)
  --output FILE       write the dashboard JSON there (default: stdout)
  --title TEXT        the dashboard title (default "{service} service")
  --uid UID           the dashboard uid (default datum-{service})
  --no-traces         no traces data source variable, no exemplars, no trace panel
  --no-logs           no logs data source variable and no logs panel
  -h, --help          this help

Exit codes: 0 written, 2 bad usage or a definition that cannot be read (nothing written).
`;

/** Reads every `--definition` and merges them. */
export async function readDefinitions(
  files: readonly string[],
  cwd: string,
): Promise<TelemetryDefinition> {
  if (files.length === 0) {
    throw new UsageError(
      'missing --definition FILE (the JSON or compiled module of the definition)',
    );
  }
  const definitions: TelemetryDefinition[] = [];
  for (const file of files) definitions.push(await readDefinitionFile(file, cwd));
  return mergeDefinitions(definitions, definitionFilesWhere(files));
}

/**
 * Refuses an output file that is one of the `--definition` files: writing it would destroy the
 * definition it was built from (`--output dist/definition.js`).
 */
export function refuseOutputOverDefinition(
  outputs: readonly (string | undefined)[],
  definitions: readonly string[],
  cwd: string,
): void {
  const read = new Set(definitions.map((file) => resolve(cwd, file)));
  for (const output of outputs) {
    if (output !== undefined && read.has(resolve(cwd, output))) {
      throw new UsageError(
        `--output ${output} is a --definition file: it would be written over the definition it is built from; give another file`,
      );
    }
  }
}

/** Writes `text` to `file` (from `cwd`), or to stdout without a file. */
export async function writeOutput(
  io: CliIo,
  file: string | undefined,
  text: string,
): Promise<string | undefined> {
  if (file === undefined) {
    io.stdout.write(text);
    return undefined;
  }
  const path = resolve(io.cwd, file);
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`);
  }
  return path;
}

/** `datum-telemetry dashboard`: returns the exit code (0 written, 2 usage or definition error). */
export async function runDashboard(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const values = parseFlags(argv, {
      definition: { type: 'string', multiple: true },
      output: { type: 'string' },
      title: { type: 'string' },
      uid: { type: 'string' },
      'no-traces': { type: 'boolean' },
      'no-logs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout.write(DASHBOARD_HELP);
      return ExitCode.Ok;
    }
    const uid = values.uid as string | undefined;
    if (uid !== undefined && !DASHBOARD_UID.test(uid)) {
      throw new UsageError(
        `--uid: got ${JSON.stringify(uid)}; expected up to 40 letters, digits, - and _`,
      );
    }
    const definitionFiles = (values.definition as string[] | undefined) ?? [];
    refuseOutputOverDefinition([values.output as string | undefined], definitionFiles, io.cwd);
    const definition = await readDefinitions(definitionFiles, io.cwd);
    const options: DashboardOptions = {
      ...(values.title === undefined ? {} : { title: values.title as string }),
      ...(uid === undefined ? {} : { uid }),
      traces: values['no-traces'] !== true,
      logs: values['no-logs'] !== true,
    };
    const dashboard = buildDashboard(definition, options);
    const path = await writeOutput(
      io,
      values.output as string | undefined,
      `${JSON.stringify(dashboard, null, 2)}\n`,
    );
    if (path !== undefined)
      io.stderr.write(`dashboard of ${definition.service} written to ${path}\n`);
    return ExitCode.Ok;
  } catch (error) {
    // A ConfigError: an option the flags let through that the dashboard refuses (an empty --title).
    if (!(error instanceof CliError) && !(error instanceof ConfigError)) throw error;
    io.stderr.write(`datum-telemetry dashboard: ${error.message}\n`);
    return ExitCode.Usage;
  }
}

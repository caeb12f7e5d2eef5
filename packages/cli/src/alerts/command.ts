import { basename, dirname, relative, resolve } from 'node:path';
import { readDefinitions, refuseOutputOverDefinition, writeOutput } from '../dashboard/command.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { parseFlags } from '../flags.js';
import type { CliIo } from '../types.js';
import { buildRuleTests } from './rule-tests.js';
import { buildRules } from './rules.js';
import { toYaml } from './yaml.js';

export const ALERTS_HELP = `Usage: datum-telemetry alerts --definition FILE [--output FILE] [--tests FILE]

Writes the Prometheus rule file of a service from its telemetry definition: recording rules for the
request rate, 5xx error ratio and p50/p95/p99 latency by operation of every declared resource, and
for each objective of the definition's \`slo\` section the multi-window, multi-burn-rate alerts of the
SRE workbook (page: 14.4x over 1h and 5m, or 6x over 6h and 30m; ticket: 3x over 1d and 2h, or 1x
over 3d and 6h), with summary and runbook_url annotations. Beside it, a \`promtool test rules\` file
with synthetic series for every SLI: just above and below each alert's threshold, twice the budget
(a ticket, no page), and burns that stopped (nothing fires).

Options:
  --definition FILE   the definition: defineMetrics(...).toJSON() as JSON, or the compiled module
                      that exports it (repeatable; merged)
  --output FILE       write the rule file there (default: stdout)
  --tests FILE        write the promtool test file there (default, with --output: the rule file's
                      name with .test.yml, in its folder)
  -h, --help          this help

Exit codes: 0 written, 2 bad usage or a bad definition: an SLO target outside (0, 100), a latency
threshold that is not a bucket boundary, a target below 83.34 (no page alert could fire), an SLO on
a resource the definition does not declare (nothing is written).
`;

/** The test file's default path: `compute.rules.yml` gets `compute.rules.test.yml`. */
function defaultTestsPath(output: string): string {
  return `${output.replace(/\.ya?ml$/i, '')}.test.yml`;
}

/** `datum-telemetry alerts`: returns the exit code (0 written, 2 usage or definition error). */
export async function runAlerts(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const values = parseFlags(argv, {
      definition: { type: 'string', multiple: true },
      output: { type: 'string' },
      tests: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout.write(ALERTS_HELP);
      return ExitCode.Ok;
    }
    const output = values.output as string | undefined;
    let tests = values.tests as string | undefined;
    if (tests !== undefined && output === undefined) {
      throw new UsageError('--tests needs --output: the test file names the rule file it loads');
    }
    if (output !== undefined) tests ??= defaultTestsPath(output);
    if (
      output !== undefined &&
      tests !== undefined &&
      resolve(io.cwd, output) === resolve(io.cwd, tests)
    ) {
      throw new UsageError(
        `--tests names the rule file itself (${output}): the tests would be written over the rules they load; give another file, or leave --tests out (${defaultTestsPath(output)})`,
      );
    }
    const definitionFiles = (values.definition as string[] | undefined) ?? [];
    refuseOutputOverDefinition([output, tests], definitionFiles, io.cwd);
    const definition = await readDefinitions(definitionFiles, io.cwd);
    // Everything is built before anything is written: a bad definition writes nothing.
    const { file, alerts } = buildRules(definition);
    const rulesText = toYaml(file);
    let testsText: string | undefined;
    if (output !== undefined && tests !== undefined) {
      const rulesPath = resolve(io.cwd, output);
      const testsPath = resolve(io.cwd, tests);
      const fromTests = relative(dirname(testsPath), rulesPath) || basename(rulesPath);
      testsText = toYaml(buildRuleTests(fromTests, alerts));
    }
    const rulesPath = await writeOutput(io, output, rulesText);
    if (rulesPath !== undefined && testsText !== undefined) {
      const testsPath = await writeOutput(io, tests, testsText);
      io.stderr.write(
        `rules of ${definition.service} written to ${rulesPath} (${file.groups.length} groups, ${alerts.length} alerts); promtool tests to ${testsPath}\n`,
      );
    }
    return ExitCode.Ok;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`datum-telemetry alerts: ${error.message}\n`);
    return ExitCode.Usage;
  }
}

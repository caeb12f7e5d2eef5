import { UsageError } from '../errors.js';
import type { FlagOptions } from '../flags.js';
import { checkServiceFlag, choiceFlag, parseFlags } from '../flags.js';
import type { FailOn } from '../types.js';
import { DEFAULT_MAX_SERIES } from '../validate-telemetry.js';

/** The report formats of `validate`. */
export type ReportFormat = 'text' | 'json' | 'junit';

/** The flags of `validate`, checked. Times are in milliseconds. */
export interface ValidateArgs {
  readonly help: boolean;
  readonly definitions: readonly string[];
  readonly scenario?: string;
  readonly prometheus: readonly string[];
  readonly expectSpans: readonly string[];
  readonly service?: string;
  readonly maxSeries: number;
  readonly format: ReportFormat;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly readyUrl?: string;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly settleTimeoutMs: number;
  /** Extra receiving time; `undefined` means the default for the mode. */
  readonly durationMs?: number;
  readonly otlpPort?: number;
  readonly otlpProtocol: 'http/protobuf' | 'http/json';
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** What follows `--`: the service to start. Empty when it runs elsewhere. */
  readonly command: readonly string[];
}

export const VALIDATE_HELP = `Usage: datum-telemetry validate [options] [-- command [args...]]

Watches a service's telemetry (an OTLP/HTTP receiver on 127.0.0.1, and/or Prometheus scrapes),
optionally starts the service and drives a scenario through it, then checks what it emitted
against its definition and Datum's naming rules.

With a command after --, the service is started with OTEL_EXPORTER_OTLP_ENDPOINT pointing at the
receiver, OTEL_EXPORTER_OTLP_PROTOCOL, short export intervals, OTEL_TRACES_SAMPLER=always_on,
PORT set to a free loopback port and OTEL_EXPORTER_PROMETHEUS_PORT to another; it is stopped with
SIGTERM when the scenario is done. Without one, the receiver runs for --duration seconds (or until
Ctrl-C) for a service started elsewhere.

Options:
  --definition FILE       what the service declares: defineMetrics(...).toJSON() as JSON, or a
                          compiled .js module exporting the definition (and span helpers);
                          repeatable
  --scenario FILE         JSON: { baseUrl?, readyPath?, canaries?, timeoutMs?, requests: [{ method,
                          path, headers?, body?, expectStatus? }] }; \${PORT} is substituted
  --prometheus URL        scrape this endpoint when the scenario is done; repeatable
  --expect-span NAME      a span that must be seen; repeatable
  --service NAME          the service metric names start with (default: the definition's, else
                          service.name)
  --max-series N          series one metric may have (default ${DEFAULT_MAX_SERIES})
  --format FORMAT         text (default), json or junit
  --output FILE           write the report there instead of stdout
  --fail-on LEVEL         violation (default) or warning: the lowest level that exits 1
  --ready-url URL         poll until it answers 2xx/3xx before the scenario (default: the
                          scenario's readyPath, else its first request)
  --ready-timeout SEC     how long the service may take to be ready (default 15)
  --stop-timeout SEC      how long it may take to exit after SIGTERM before SIGKILL (default 5)
  --settle-timeout SEC    how long to wait for the last exports (default 5)
  --duration SEC          receive this long after the scenario (default 0 with a command or a
                          scenario, else until SIGINT/SIGTERM)
  --otlp-port N           receiver port (default: a free one with a command, else 4318)
  --otlp-protocol P       given to the service: http/protobuf (default) or http/json
  --quiet                 no progress lines on stderr
  --verbose               also copy the service's output to stderr (not with --quiet)
  -h, --help              this help

Exit codes: 0 no violations, 1 violations (or warnings with --fail-on warning),
2 bad usage, unreadable files, or a service that could not start, become ready or be scraped.
`;

function seconds(
  flag: string,
  value: string | undefined,
  fallback: number,
  allowZero = false,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (
    value.trim() === '' ||
    !Number.isFinite(n) ||
    n < 0 ||
    (!allowZero && n === 0) ||
    n > 86_400
  ) {
    throw new UsageError(
      `--${flag}: got ${JSON.stringify(value)}; expected a number of seconds${allowZero ? '' : ' above 0'} (up to 86400)`,
    );
  }
  return Math.round(n * 1000);
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(
      `--${flag}: got ${JSON.stringify(value)}; expected an integer from ${min} to ${max}`,
    );
  }
  return n;
}

function url(flag: string, value: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(value)) {
    throw new UsageError(`--${flag}: got ${JSON.stringify(value)}; expected an http:// URL`);
  }
  return value;
}

const VALIDATE_FLAGS: FlagOptions = {
  definition: { type: 'string', multiple: true },
  scenario: { type: 'string' },
  prometheus: { type: 'string', multiple: true },
  'expect-span': { type: 'string', multiple: true },
  service: { type: 'string' },
  'max-series': { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  'ready-url': { type: 'string' },
  'ready-timeout': { type: 'string' },
  'stop-timeout': { type: 'string' },
  'settle-timeout': { type: 'string' },
  duration: { type: 'string' },
  'otlp-port': { type: 'string' },
  'otlp-protocol': { type: 'string' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Parses the arguments after `validate`; a `UsageError` names the flag and what it expects. */
export function parseValidateArgs(argv: readonly string[]): ValidateArgs {
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? [...argv] : argv.slice(0, dashes);
  const command = dashes === -1 ? [] : argv.slice(dashes + 1);
  const values = parseFlags(
    own,
    VALIDATE_FLAGS,
    dashes === -1
      ? 'put the command to start after --, as in: validate --scenario s.json -- node server.js'
      : '',
  );
  const str = (k: string) => values[k] as string | undefined;
  const list = (k: string) => (values[k] as string[] | undefined) ?? [];
  if (dashes !== -1 && command.length === 0) {
    throw new UsageError(
      '-- must be followed by the command that starts the service, such as: -- node dist/server.js',
    );
  }
  if (values.quiet === true && values.verbose === true) {
    throw new UsageError(
      '--quiet and --verbose cannot be used together: --quiet leaves out the progress lines, --verbose adds the service output to them; pass one',
    );
  }
  const service = str('service');
  if (service !== undefined) checkServiceFlag(service);
  for (const span of list('expect-span')) {
    if (span.trim() === '')
      throw new UsageError('--expect-span: expected a span name such as CreateVirtualMachine');
  }
  const durationText = str('duration');
  const portText = str('otlp-port');
  return {
    help: values.help === true,
    definitions: list('definition'),
    ...(str('scenario') === undefined ? {} : { scenario: str('scenario')! }),
    prometheus: list('prometheus').map((u) => url('prometheus', u)),
    expectSpans: list('expect-span'),
    ...(service === undefined ? {} : { service }),
    maxSeries:
      str('max-series') === undefined
        ? DEFAULT_MAX_SERIES
        : integer('max-series', str('max-series')!, 1, 10_000_000),
    format: choiceFlag('format', str('format'), ['text', 'json', 'junit'], 'text'),
    ...(str('output') === undefined ? {} : { output: str('output')! }),
    failOn: choiceFlag('fail-on', str('fail-on'), ['violation', 'warning'], 'violation'),
    ...(str('ready-url') === undefined ? {} : { readyUrl: url('ready-url', str('ready-url')!) }),
    readyTimeoutMs: seconds('ready-timeout', str('ready-timeout'), 15_000),
    stopTimeoutMs: seconds('stop-timeout', str('stop-timeout'), 5_000),
    settleTimeoutMs: seconds('settle-timeout', str('settle-timeout'), 5_000, true),
    ...(durationText === undefined
      ? {}
      : { durationMs: seconds('duration', durationText, 0, true) }),
    ...(portText === undefined ? {} : { otlpPort: integer('otlp-port', portText, 0, 65_535) }),
    otlpProtocol: choiceFlag(
      'otlp-protocol',
      str('otlp-protocol'),
      ['http/protobuf', 'http/json'],
      'http/protobuf',
    ),
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    command,
  };
}

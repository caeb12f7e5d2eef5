import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { CliError, ExitCode, StartupError, UsageError } from '../errors.js';
import { formatJsonReport } from '../report/json.js';
import { formatJunitReport } from '../report/junit.js';
import { fails, levelSummary, receivedCounts } from '../report/summary.js';
import { formatTextReport } from '../report/text.js';
import type {
  CliIo,
  CollectedTelemetry,
  ExportProblem,
  ReportData,
  Scenario,
  ServiceRun,
  TelemetryDefinition,
} from '../types.js';
import { runChecks } from '../validate-telemetry.js';
import type { ValidateArgs } from './args.js';
import { parseValidateArgs, VALIDATE_HELP } from './args.js';
import { definitionFilesWhere, mergeDefinitions, readDefinitionFile } from './definition.js';
import type { DriveContext } from './drive.js';
import { driveScenario, exitedError, pollReady } from './drive.js';
import { freeLoopbackPort } from './free-port.js';
import { loadScenarioFile, substitute } from './scenario.js';
import { scrapePrometheus } from './scrape.js';
import { ServiceProcess, serviceEnv } from './service.js';
import { settleExports } from './settle.js';
import { checkTargets, readinessUrl } from './targets.js';
import { sleep } from './wait.js';

const QUIET_MS = 300;

async function startSink(port: number): Promise<OtlpSink> {
  try {
    return await startOtlpSink({ host: '127.0.0.1', port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartupError(
      code === 'EADDRINUSE'
        ? `port ${port} on 127.0.0.1 is taken, so the OTLP receiver cannot listen: pass --otlp-port with another port (0 picks a free one)`
        : `the OTLP receiver cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`,
    );
  }
}

function exportProblems(sink: OtlpSink): ExportProblem[] {
  const problems: ExportProblem[] = [];
  for (const r of sink.requests()) {
    if (r.status >= 400) {
      problems.push({ path: `/v1/${r.signal}`, status: r.status, reason: r.error ?? 'refused' });
    }
  }
  for (const r of sink.rejected()) {
    problems.push({
      path: r.path,
      status: r.status,
      reason:
        r.status === 415 ? `content type ${r.contentType || 'none'}` : `${r.method} ${r.path}`,
    });
  }
  return problems;
}

/** Ends the waits on SIGINT / SIGTERM: the run then reports what it has. */
function interruptions(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    },
  };
}

interface Loaded {
  readonly definition: TelemetryDefinition;
  readonly scenario?: Scenario;
}

async function load(args: ValidateArgs, io: CliIo): Promise<Loaded> {
  const definitions = [];
  for (const path of args.definitions) definitions.push(await readDefinitionFile(path, io.cwd));
  const definition = mergeDefinitions(definitions, definitionFilesWhere(args.definitions));
  const scenario =
    args.scenario === undefined ? undefined : await loadScenarioFile(args.scenario, io.cwd);
  return { definition, ...(scenario === undefined ? {} : { scenario }) };
}

/** Starts what was asked for, drives the scenario, stops, and returns everything received. */
async function collect(
  args: ValidateArgs,
  io: CliIo,
  loaded: Loaded,
  progress: (message: string) => void,
): Promise<CollectedTelemetry> {
  const managed = args.command.length > 0;
  const { scenario } = loaded;
  const sink = await startSink(args.otlpPort ?? (managed ? 0 : 4318));
  const interrupt = interruptions();
  let service: ServiceProcess | undefined;
  try {
    const values: Record<string, string> = {};
    if (managed) {
      const port = await freeLoopbackPort();
      const prometheusPort = await freeLoopbackPort();
      values.PORT = String(port);
      values.PROMETHEUS_PORT = String(prometheusPort);
      progress(
        `starting \`${args.command.join(' ')}\` with PORT=${port}, exporting to ${sink.endpoint}`,
      );
      service = await ServiceProcess.start(args.command, {
        env: serviceEnv(io.env, {
          endpoint: sink.endpoint,
          protocol: args.otlpProtocol,
          port,
          prometheusPort,
        }),
        cwd: io.cwd,
        ...(args.verbose
          ? { echo: (line) => io.stderr.write(`[service ${line.stream}] ${line.text}\n`) }
          : {}),
      });
    } else {
      // Printed whatever --quiet says: the service started elsewhere needs it.
      io.stderr.write(
        `datum-telemetry: OTLP/HTTP receiver on ${sink.endpoint}: start the service with OTEL_EXPORTER_OTLP_ENDPOINT=${sink.endpoint} OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n`,
      );
    }
    const context: DriveContext = {
      values,
      ...(service === undefined ? {} : { service }),
      readyDeadline: Date.now() + args.readyTimeoutMs,
      readyTimeoutMs: args.readyTimeoutMs,
      signal: interrupt.signal,
    };
    const readyUrl = readinessUrl(args, scenario);
    if (readyUrl !== undefined) {
      await pollReady(substitute(readyUrl, values), context);
      progress('the service is ready');
    }
    const requests =
      scenario === undefined ? [] : await driveScenario(scenario, context, readyUrl !== undefined);
    if (scenario !== undefined)
      progress(`sent ${requests.length} scenario request${requests.length === 1 ? '' : 's'}`);

    const durationMs =
      args.durationMs ?? (managed || scenario !== undefined ? 0 : Number.POSITIVE_INFINITY);
    if (durationMs > 0) {
      progress(
        Number.isFinite(durationMs)
          ? `receiving for ${durationMs / 1000} s`
          : 'receiving until Ctrl-C (SIGINT) or SIGTERM',
      );
      const exited = service?.exited().then(() => undefined);
      await Promise.race([sleep(durationMs, interrupt.signal), ...(exited ? [exited] : [])]);
    }

    const metricsSoFar = sink.requests().some((r) => r.signal === 'metrics');
    await settleExports(sink, {
      quietMs: QUIET_MS,
      maxMs: args.settleTimeoutMs,
      // A periodic reader may hold the scenario's last values until its next export.
      awaitMetricsExport:
        service?.exitInfo === undefined &&
        managed &&
        (metricsSoFar || (loaded.definition.metrics.length > 0 && args.prometheus.length === 0)),
      signal: interrupt.signal,
    });
    const prometheus = [];
    for (const url of args.prometheus)
      prometheus.push(await scrapePrometheus(substitute(url, values)));

    let run: ServiceRun | undefined;
    if (service !== undefined) {
      const exitedEarly = service.exitInfo !== undefined;
      const exit = await service.stop(args.stopTimeoutMs);
      progress(
        `the service exited ${exit.signal === null ? `with code ${exit.code}` : `on ${exit.signal}`}`,
      );
      run = {
        command: service.command,
        exitCode: exit.code,
        signal: exit.signal,
        exitedEarly,
        killed: exit.killed,
      };
      // Its shutdown flush may still be in flight when it exits.
      await settleExports(sink, {
        quietMs: 200,
        maxMs: Math.min(2000, args.settleTimeoutMs),
        awaitMetricsExport: false,
      });
    }
    return {
      spans: sink.spans(),
      metrics: sink.metrics(),
      logs: sink.logs(),
      lines: service?.capture.lines ?? [],
      prometheus,
      requests,
      ...(run === undefined ? {} : { service: run }),
      exportProblems: exportProblems(sink),
    };
  } catch (error) {
    if (
      error instanceof StartupError &&
      service?.exitInfo !== undefined &&
      !/exited/.test(error.message)
    ) {
      throw exitedError(service, 'during the run');
    }
    throw error;
  } finally {
    interrupt.dispose();
    await service?.kill();
    await sink.close();
  }
}

/**
 * `datum-telemetry validate`: returns the exit code (0 clean, 1 violations, 2 usage or start-up
 * errors) after writing the report.
 */
export async function runValidate(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ValidateArgs;
  try {
    args = parseValidateArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(
      `datum-telemetry validate: ${error.message}\nRun \`datum-telemetry validate --help\` for the options.\n`,
    );
    return ExitCode.Usage;
  }
  if (args.help) {
    io.stdout.write(VALIDATE_HELP);
    return ExitCode.Ok;
  }
  const progress = (message: string) => {
    if (!args.quiet) io.stderr.write(`datum-telemetry: ${message}\n`);
  };
  try {
    const loaded = await load(args, io);
    checkTargets(args, loaded.scenario);
    const collected = await collect(args, io, loaded, progress);
    const result = runChecks(collected, loaded.definition, {
      ...(args.service === undefined ? {} : { service: args.service }),
      maxSeries: args.maxSeries,
      expectSpans: args.expectSpans,
      canaries: loaded.scenario?.canaries ?? [],
    });
    const data: ReportData = { result, received: receivedCounts(collected), failOn: args.failOn };
    const toTerminal = args.output === undefined;
    const colour = toTerminal && io.stdout.isTTY === true && (io.env.NO_COLOR ?? '') === '';
    const report =
      args.format === 'json'
        ? formatJsonReport(data)
        : args.format === 'junit'
          ? formatJunitReport(data)
          : formatTextReport(data, { colour });
    if (args.output === undefined) {
      io.stdout.write(report);
    } else {
      try {
        await writeFile(resolve(io.cwd, args.output), report);
      } catch (error) {
        throw new CliError(
          `--output ${args.output}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
      io.stderr.write(
        `datum-telemetry: ${levelSummary(result.findings)}; report written to ${args.output}\n`,
      );
    }
    return fails(result.findings, args.failOn) ? ExitCode.Violations : ExitCode.Ok;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`datum-telemetry validate: ${error.message}\n`);
    return ExitCode.Usage;
  }
}

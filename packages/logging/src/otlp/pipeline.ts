import type { MeterProvider, Logger as OtelLogger } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import { createLogExporter } from './create-exporter.js';
import type { ExportPlan } from './export-plan.js';
import { packageScope } from './scope.js';

/** The started logs SDK. */
export interface LogPipeline {
  readonly provider: LoggerProvider;
  readonly logger: OtelLogger;
}

/**
 * Imports the logs SDK and the exporter (only now: a logger-only user never loads them) and wires
 * provider, batch processor and exporter. The resource is the one every signal carries (from
 * `@datum-telemetry/config`: the service, `telemetry.sdk.*`, `host.name`, `process.pid`, ...).
 * `selfObsMeterProvider` receives the batch processor's own metrics (where its drops are counted).
 */
export async function startPipeline(
  plan: Extract<ExportPlan, { kind: 'otlp' }>,
  selfObsMeterProvider: MeterProvider,
): Promise<LogPipeline> {
  const [{ BatchLogRecordProcessor, LoggerProvider }, { createResource }] = await Promise.all([
    import('@opentelemetry/sdk-logs'),
    import('@datum-telemetry/config/resource'),
  ]);
  const exporter = await createLogExporter(plan.otlp, plan.exporter);
  const resource = createResource(plan.resource);
  const provider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter, ...plan.batch, selfObsMeterProvider })],
  });
  const scope = packageScope();
  return { provider, logger: provider.getLogger(scope.name, scope.version) };
}

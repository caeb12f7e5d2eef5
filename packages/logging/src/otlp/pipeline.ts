import { hostname } from 'node:os';
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
 * provider, batch processor and exporter. The resource is the SDK's default (`telemetry.sdk.*`),
 * `host.name` and `process.pid` (which the JSON lines carry as `hostname` and `pid`), then the
 * service's attributes from options and `OTEL_*`. `selfObsMeterProvider` receives the batch
 * processor's own metrics (that is where its drops are counted).
 */
export async function startPipeline(
  plan: Extract<ExportPlan, { kind: 'otlp' }>,
  selfObsMeterProvider: MeterProvider,
): Promise<LogPipeline> {
  const [{ BatchLogRecordProcessor, LoggerProvider }, { defaultResource, resourceFromAttributes }] =
    await Promise.all([import('@opentelemetry/sdk-logs'), import('@opentelemetry/resources')]);
  const exporter = await createLogExporter(plan.otlp);
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'host.name': hostname(),
      'process.pid': process.pid,
      ...plan.resource,
    }),
  );
  const provider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter, ...plan.batch, selfObsMeterProvider })],
  });
  const scope = packageScope();
  return { provider, logger: provider.getLogger(scope.name, scope.version) };
}

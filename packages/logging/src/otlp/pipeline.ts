import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type { Logger as OtelLogger } from '@opentelemetry/api-logs';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import { createLogExporter } from './create-exporter.js';
import type { ExportPlan } from './export-plan.js';

/** The started logs SDK. */
export interface LogPipeline {
  readonly provider: LoggerProvider;
  readonly logger: OtelLogger;
}

const SCOPE_NAME = '@datum-telemetry/logging';

function packageVersion(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Imports the logs SDK and the exporter (only now: a logger-only user never loads them) and wires
 * provider, batch processor and exporter. The resource is the SDK's default (`telemetry.sdk.*`),
 * `host.name` and `process.pid` (which the JSON lines carry as `hostname` and `pid`), then the
 * service's attributes from options and `OTEL_*`.
 */
export async function startPipeline(
  plan: Extract<ExportPlan, { kind: 'otlp' }>,
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
    processors: [new BatchLogRecordProcessor({ exporter, ...plan.batch })],
  });
  return { provider, logger: provider.getLogger(SCOPE_NAME, packageVersion()) };
}

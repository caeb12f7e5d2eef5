import { diag } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * An exporter whose module is loaded with a dynamic `import()` (the optional gRPC exporter) while
 * `setupTracing` stays synchronous: exports wait for the load instead of being lost.
 */
export class DeferredSpanExporter implements SpanExporter {
  private exporter: SpanExporter | undefined;
  private readonly ready: Promise<SpanExporter | undefined>;

  constructor(load: () => Promise<SpanExporter>, what: string) {
    this.ready = load().then(
      (exporter) => {
        this.exporter = exporter;
        return exporter;
      },
      (error: unknown) => {
        diag.error(`@datum-telemetry/tracing: could not load the ${what}`, error);
        return undefined;
      },
    );
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.exporter !== undefined) {
      this.exporter.export(spans, resultCallback);
      return;
    }
    void this.ready.then((exporter) => {
      if (exporter === undefined) {
        resultCallback({ code: ExportResultCode.FAILED, error: new Error('exporter not loaded') });
      } else {
        exporter.export(spans, resultCallback);
      }
    });
  }

  async shutdown(): Promise<void> {
    await (await this.ready)?.shutdown();
  }

  async forceFlush(): Promise<void> {
    await (await this.ready)?.forceFlush?.();
  }
}

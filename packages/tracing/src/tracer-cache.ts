import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';

/**
 * The helpers' tracer, looked up through the global API so that they work with any registered
 * provider. It is cached per global provider object: `trace.disable()` replaces that object, so a
 * provider registered later (or again, in tests) is picked up, and the hot path pays one comparison.
 */
export class TracerCache {
  private provider: TracerProvider | undefined;
  private tracer: Tracer | undefined;

  constructor(
    private readonly name: string,
    private readonly version: string | undefined,
  ) {}

  get(): Tracer {
    const provider = trace.getTracerProvider();
    if (provider !== this.provider || this.tracer === undefined) {
      this.provider = provider;
      this.tracer = provider.getTracer(this.name, this.version);
    }
    return this.tracer;
  }
}

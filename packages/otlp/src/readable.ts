// The parts of the SDK's `ReadableSpan` (@opentelemetry/sdk-trace) and `ReadableLogRecord`
// (@opentelemetry/sdk-logs) that the encoders read, declared here so that this package needs
// neither SDK: the SDK's own objects fit these shapes.
import type { AnyValue, Attributes, HrTime, SpanContext, SpanStatus } from '@opentelemetry/api';

/** An SDK `Resource`: its attributes and schema URL. */
export interface OtlpResource {
  readonly attributes: Attributes;
  readonly schemaUrl?: string | undefined;
  /** True while asynchronous attributes are pending: such a resource is not cached. */
  readonly asyncAttributesPending?: boolean | undefined;
}

/** An SDK `InstrumentationScope`, attributes included (the logs SDK has them). */
export interface OtlpScope {
  readonly name: string;
  readonly version?: string | undefined;
  readonly schemaUrl?: string | undefined;
  readonly attributes?: Attributes | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

/** An SDK span event (`TimedEvent`). */
export interface OtlpSpanEvent {
  readonly time: HrTime;
  readonly name: string;
  readonly attributes?: Attributes | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

/** An SDK span link. */
export interface OtlpSpanLink {
  readonly context: SpanContext;
  readonly attributes?: Attributes | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

/** What the trace encoders read of an SDK `ReadableSpan`. */
export interface OtlpReadableSpan {
  readonly name: string;
  readonly kind: number;
  spanContext(): SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: readonly OtlpSpanLink[];
  readonly events: readonly OtlpSpanEvent[];
  readonly resource: OtlpResource;
  readonly instrumentationScope: OtlpScope;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** What the log encoders read of an SDK `ReadableLogRecord`. */
export interface OtlpReadableLogRecord {
  readonly hrTime: HrTime;
  readonly hrTimeObserved: HrTime;
  readonly spanContext?: SpanContext | undefined;
  readonly severityText?: string | undefined;
  readonly severityNumber?: number | undefined;
  readonly body?: AnyValue | undefined;
  readonly eventName?: string | undefined;
  readonly resource: OtlpResource;
  readonly instrumentationScope: OtlpScope;
  readonly attributes: Attributes | Readonly<Record<string, AnyValue>>;
  readonly droppedAttributesCount: number;
}

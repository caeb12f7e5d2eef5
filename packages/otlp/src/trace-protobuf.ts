import { groupByResourceAndScope } from './grouping.js';
import { ProtobufMessageCache } from './message-cache.js';
import { tag, writeKeyValues, writeResourceMessage, writeTime } from './protobuf-common.js';
import { ProtobufWriter } from './protobuf-writer.js';
import type { OtlpReadableSpan, OtlpSpanEvent, OtlpSpanLink } from './readable.js';
import { spanFlags } from './span-flags.js';

const LEN = 2;
const VARINT = 0;
const I32 = 5;

function writeEvent(w: ProtobufWriter, event: OtlpSpanEvent): void {
  w.byte(tag(11, LEN));
  const start = w.begin(1);
  writeTime(w, 1, event.time);
  w.byte(tag(2, LEN));
  w.string(event.name);
  if (event.attributes) writeKeyValues(w, event.attributes, 3);
  w.byte(tag(4, VARINT));
  w.varint(event.droppedAttributesCount || 0);
  w.end(start, 1);
}

function writeLink(w: ProtobufWriter, link: OtlpSpanLink): void {
  w.byte(tag(13, LEN));
  const start = w.begin(1);
  const context = link.context;
  w.byte(tag(1, LEN));
  w.hex(context.traceId);
  w.byte(tag(2, LEN));
  w.hex(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.byte(tag(3, LEN));
    w.string(traceState);
  }
  if (link.attributes) writeKeyValues(w, link.attributes, 4);
  w.byte(tag(5, VARINT));
  w.varint(link.droppedAttributesCount || 0);
  w.byte(tag(6, I32));
  w.fixed32(spanFlags(context.traceFlags, context.isRemote));
  w.end(start, 1);
}

/** One `Span` message (`trace.proto`), tag included: field 2 of ScopeSpans. */
function writeSpan(w: ProtobufWriter, span: OtlpReadableSpan): void {
  w.byte(tag(2, LEN));
  const start = w.begin(2);
  const context = span.spanContext();
  w.byte(tag(1, LEN));
  w.hex(context.traceId);
  w.byte(tag(2, LEN));
  w.hex(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.byte(tag(3, LEN));
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.byte(tag(4, LEN));
    w.hex(parent.spanId);
  }
  w.byte(tag(5, LEN));
  w.string(span.name);
  // The OTLP enum counts from SPAN_KIND_UNSPECIFIED = 0; the API's SpanKind from INTERNAL = 0.
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.byte(tag(6, VARINT));
    w.varint(kind);
  }
  writeTime(w, 7, span.startTime);
  writeTime(w, 8, span.endTime);
  if (span.attributes) writeKeyValues(w, span.attributes, 9);
  w.byte(tag(10, VARINT));
  w.varint(span.droppedAttributesCount);
  const events = span.events;
  for (let i = 0; i < events.length; i++) writeEvent(w, events[i]!);
  w.byte(tag(12, VARINT));
  w.varint(span.droppedEventsCount);
  const links = span.links;
  for (let i = 0; i < links.length; i++) writeLink(w, links[i]!);
  w.byte(tag(14, VARINT));
  w.varint(span.droppedLinksCount);
  // Status, field 15: message (2) when set, then code (3).
  w.byte(tag(15, LEN));
  const status = w.begin(1);
  if (span.status.message) {
    w.byte(tag(2, LEN));
    w.string(span.status.message);
  }
  w.byte(tag(3, VARINT));
  w.varint(span.status.code);
  w.end(status, 1);
  // flags, field 16 (fixed32): its tag, 133, is the varint 0x85 0x01.
  w.byte(0x85);
  w.byte(0x01);
  w.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
  w.end(start, 2);
}

/**
 * Encodes `ReadableSpan`s as an OTLP `ExportTraceServiceRequest` in protobuf, straight from the
 * spans into one buffer that is reused from batch to batch; each resource and scope is encoded
 * once and copied in after that. The bytes are those `ProtobufTraceSerializer` of
 * `@opentelemetry/otlp-transformer` 0.301 writes for the same spans (checked by this package's
 * tests, which also decode both with the official `.proto` files).
 */
export class ProtobufTraceEncoder {
  private readonly writer = new ProtobufWriter();
  private readonly cache = new ProtobufMessageCache();

  /** The request for `spans`, as a Buffer of its own. */
  encode(spans: readonly OtlpReadableSpan[]): Buffer {
    this.write(spans);
    return this.writer.copy();
  }

  /**
   * The request for `spans` as a view into the reused buffer: valid only until the next call.
   * For a caller that copies or compresses it at once.
   */
  encodeShared(spans: readonly OtlpReadableSpan[]): Buffer {
    this.write(spans);
    return this.writer.view();
  }

  private write(spans: readonly OtlpReadableSpan[]): void {
    const w = this.writer;
    w.reset();
    for (const [resource, scopes] of groupByResourceAndScope(spans)) {
      // ResourceSpans, field 1 of the request.
      writeResourceMessage(w, this.cache, resource, scopes, writeSpan);
    }
  }
}

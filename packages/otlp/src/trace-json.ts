import { groupByResourceAndScope } from './grouping.js';
import { OtlpJsonWriter } from './json-common.js';
import { CLOSE_BRACE, CLOSE_BRACKET, COMMA, utf8 } from './json-writer.js';
import { JsonMessageCache } from './message-cache.js';
import type { OtlpReadableSpan, OtlpSpanEvent, OtlpSpanLink } from './readable.js';
import { spanFlags } from './span-flags.js';

// The fixed text of a request, in the order the transformer's objects have their keys.
const TRACE_ID = utf8('{"traceId":');
const SPAN_ID = utf8(',"spanId":');
const PARENT_SPAN_ID = utf8(',"parentSpanId":');
const TRACE_STATE = utf8(',"traceState":');
const NAME = utf8(',"name":');
const KIND = utf8(',"kind":');
const START_TIME = utf8(',"startTimeUnixNano":');
const END_TIME = utf8(',"endTimeUnixNano":');
const ATTRIBUTES = utf8(',"attributes":');
const DROPPED_ATTRIBUTES = utf8(',"droppedAttributesCount":');
const EVENTS = utf8(',"events":[');
const DROPPED_EVENTS = utf8(',"droppedEventsCount":');
const STATUS_CODE = utf8(',"status":{"code":');
const STATUS_NO_CODE = utf8(',"status":{');
const STATUS_MESSAGE = utf8(',"message":');
const STATUS_ONLY_MESSAGE = utf8('"message":');
const LINKS = utf8(',"links":[');
const DROPPED_LINKS = utf8(',"droppedLinksCount":');
const FLAGS = utf8(',"flags":');
const OPEN_WITH_ATTRIBUTES = utf8('{"attributes":');
const EVENT_TIME = utf8(',"timeUnixNano":');
const TRACE_ID_FIELD = utf8(',"traceId":');
const REQUEST = utf8('{"resourceSpans":[');
const RESOURCE = utf8('{"resource":');
const SCOPE_SPANS = utf8(',"scopeSpans":[');
const SCOPE = utf8('{"scope":');
const SPANS = utf8(',"spans":[');
const SCHEMA_URL = utf8(',"schemaUrl":');
const REQUEST_END = utf8(']}');

function writeEvent(w: OtlpJsonWriter, event: OtlpSpanEvent): void {
  w.raw(OPEN_WITH_ATTRIBUTES);
  w.keyValues(event.attributes);
  w.field(NAME, event.name);
  w.raw(EVENT_TIME);
  w.time(event.time);
  w.raw(DROPPED_ATTRIBUTES);
  w.value(event.droppedAttributesCount || 0);
  w.byte(CLOSE_BRACE);
}

function writeLink(w: OtlpJsonWriter, link: OtlpSpanLink): void {
  const context = link.context;
  w.raw(OPEN_WITH_ATTRIBUTES);
  w.keyValues(link.attributes);
  w.field(SPAN_ID, context.spanId);
  w.field(TRACE_ID_FIELD, context.traceId);
  w.field(TRACE_STATE, context.traceState?.serialize());
  w.raw(DROPPED_ATTRIBUTES);
  w.value(link.droppedAttributesCount || 0);
  w.raw(FLAGS);
  w.number(spanFlags(context.traceFlags, context.isRemote));
  w.byte(CLOSE_BRACE);
}

function writeStatus(w: OtlpJsonWriter, code: unknown, message: unknown): void {
  if (code === undefined) {
    w.raw(STATUS_NO_CODE);
    if (message !== undefined) {
      w.raw(STATUS_ONLY_MESSAGE);
      w.value(message);
    }
  } else {
    w.raw(STATUS_CODE);
    w.value(code);
    w.field(STATUS_MESSAGE, message);
  }
  w.byte(CLOSE_BRACE);
}

function writeSpan(w: OtlpJsonWriter, span: OtlpReadableSpan): void {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  w.raw(TRACE_ID);
  w.value(context.traceId);
  w.field(SPAN_ID, context.spanId);
  if (parent?.spanId) {
    w.raw(PARENT_SPAN_ID);
    w.value(parent.spanId);
  }
  w.field(TRACE_STATE, context.traceState?.serialize());
  w.field(NAME, span.name);
  w.raw(KIND);
  w.value(span.kind == null ? 0 : span.kind + 1);
  w.raw(START_TIME);
  w.time(span.startTime);
  w.raw(END_TIME);
  w.time(span.endTime);
  w.raw(ATTRIBUTES);
  w.keyValues(span.attributes);
  w.field(DROPPED_ATTRIBUTES, span.droppedAttributesCount);
  w.raw(EVENTS);
  const events = span.events;
  for (let i = 0; i < events.length; i++) {
    if (i > 0) w.byte(COMMA);
    writeEvent(w, events[i]!);
  }
  w.byte(CLOSE_BRACKET);
  w.field(DROPPED_EVENTS, span.droppedEventsCount);
  writeStatus(w, span.status.code, span.status.message);
  w.raw(LINKS);
  const links = span.links;
  for (let i = 0; i < links.length; i++) {
    if (i > 0) w.byte(COMMA);
    writeLink(w, links[i]!);
  }
  w.byte(CLOSE_BRACKET);
  w.field(DROPPED_LINKS, span.droppedLinksCount);
  w.raw(FLAGS);
  w.number(spanFlags(context.traceFlags, parent?.isRemote));
  w.byte(CLOSE_BRACE);
}

/**
 * Encodes `ReadableSpan`s as an OTLP/JSON `ExportTraceServiceRequest`: the JSON the stock
 * `@opentelemetry/exporter-trace-otlp-http` sends (`JsonTraceSerializer` of
 * `@opentelemetry/otlp-transformer` 0.301), written as UTF-8 straight into one buffer that is
 * reused from batch to batch (see `JsonWriter`), with no object tree or string in between; each
 * resource and scope is written once and copied in after that. One difference, on purpose: two
 * distinct scope objects with the same name, version and schema URL stay two ScopeSpans (as in
 * protobuf), where the transformer's JSON path merges them and keeps the first one's attributes.
 */
export class JsonTraceEncoder {
  private readonly writer = new OtlpJsonWriter();
  private readonly cache = new JsonMessageCache();

  /** The request for `spans`, UTF-8, as a Buffer of its own. */
  encode(spans: readonly OtlpReadableSpan[]): Buffer {
    this.write(spans);
    return this.writer.copy();
  }

  /** The request for `spans` as a JSON string. */
  encodeString(spans: readonly OtlpReadableSpan[]): string {
    this.write(spans);
    return this.writer.view().toString('utf8');
  }

  private write(spans: readonly OtlpReadableSpan[]): void {
    const w = this.writer;
    w.reset();
    w.raw(REQUEST);
    let firstResource = true;
    for (const [resource, scopes] of groupByResourceAndScope(spans)) {
      if (!firstResource) w.byte(COMMA);
      firstResource = false;
      w.raw(RESOURCE);
      w.raw(this.cache.resource(resource));
      w.raw(SCOPE_SPANS);
      let firstScope = true;
      for (const [scope, scopeSpans] of scopes) {
        if (!firstScope) w.byte(COMMA);
        firstScope = false;
        w.raw(SCOPE);
        w.raw(this.cache.scope(scope));
        w.raw(SPANS);
        for (let i = 0; i < scopeSpans.length; i++) {
          if (i > 0) w.byte(COMMA);
          writeSpan(w, scopeSpans[i]!);
        }
        w.byte(CLOSE_BRACKET);
        w.field(SCHEMA_URL, scope.schemaUrl);
        w.byte(CLOSE_BRACE);
      }
      w.byte(CLOSE_BRACKET);
      if (resource.schemaUrl) w.field(SCHEMA_URL, resource.schemaUrl);
      w.byte(CLOSE_BRACE);
    }
    w.raw(REQUEST_END);
  }
}

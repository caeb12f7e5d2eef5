import { groupByResourceAndScope } from './grouping.js';
import { JsonMessageCache, jsonField, jsonKeyValues, jsonTime } from './json-common.js';
import type { OtlpReadableSpan, OtlpSpanEvent, OtlpSpanLink } from './readable.js';
import { spanFlags } from './span-flags.js';

const stringify = JSON.stringify;

function jsonEvent(event: OtlpSpanEvent): string {
  return `{"attributes":${jsonKeyValues(event.attributes)},"name":${stringify(event.name)},"timeUnixNano":${jsonTime(
    event.time,
  )},"droppedAttributesCount":${stringify(event.droppedAttributesCount || 0)}}`;
}

function jsonLink(link: OtlpSpanLink): string {
  const context = link.context;
  return `{"attributes":${jsonKeyValues(link.attributes)},"spanId":${stringify(context.spanId)},"traceId":${stringify(
    context.traceId,
  )}${jsonField('traceState', context.traceState?.serialize())},"droppedAttributesCount":${stringify(
    link.droppedAttributesCount || 0,
  )},"flags":${spanFlags(context.traceFlags, context.isRemote)}}`;
}

function jsonSpan(span: OtlpReadableSpan): string {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  let out = `{"traceId":${stringify(context.traceId)},"spanId":${stringify(context.spanId)}`;
  if (parent?.spanId) out += `,"parentSpanId":${stringify(parent.spanId)}`;
  out += jsonField('traceState', context.traceState?.serialize());
  out += `,"name":${stringify(span.name)},"kind":${span.kind == null ? 0 : span.kind + 1}`;
  out += `,"startTimeUnixNano":${jsonTime(span.startTime)},"endTimeUnixNano":${jsonTime(span.endTime)}`;
  out += `,"attributes":${jsonKeyValues(span.attributes)}`;
  out += jsonField('droppedAttributesCount', span.droppedAttributesCount);
  out += ',"events":[';
  for (let i = 0; i < span.events.length; i++) {
    out += (i > 0 ? ',' : '') + jsonEvent(span.events[i]!);
  }
  out += `]${jsonField('droppedEventsCount', span.droppedEventsCount)}`;
  out += `,"status":{"code":${stringify(span.status.code)}${jsonField('message', span.status.message)}}`;
  out += ',"links":[';
  for (let i = 0; i < span.links.length; i++) {
    out += (i > 0 ? ',' : '') + jsonLink(span.links[i]!);
  }
  out += `]${jsonField('droppedLinksCount', span.droppedLinksCount)}`;
  return `${out},"flags":${spanFlags(context.traceFlags, parent?.isRemote)}}`;
}

/**
 * Encodes `ReadableSpan`s as an OTLP/JSON `ExportTraceServiceRequest`: the JSON the stock
 * `@opentelemetry/exporter-trace-otlp-http` sends (`JsonTraceSerializer` of
 * `@opentelemetry/otlp-transformer` 0.301), written as one string with no object tree in between;
 * resource and scope are written once per object. One difference, on purpose: two distinct scope
 * objects with the same name, version and schema URL stay two ScopeSpans (as in protobuf), where
 * the transformer's JSON path merges them and keeps the first one's attributes.
 */
export class JsonTraceEncoder {
  private readonly cache = new JsonMessageCache();

  /** The request for `spans`, UTF-8. */
  encode(spans: readonly OtlpReadableSpan[]): Buffer {
    return Buffer.from(this.encodeString(spans), 'utf8');
  }

  /** The request for `spans` as a JSON string. */
  encodeString(spans: readonly OtlpReadableSpan[]): string {
    let out = '{"resourceSpans":[';
    let firstResource = true;
    for (const [resource, scopes] of groupByResourceAndScope(spans)) {
      out += `${firstResource ? '' : ','}{"resource":${this.cache.resource(resource)},"scopeSpans":[`;
      firstResource = false;
      let firstScope = true;
      for (const [scope, scopeSpans] of scopes) {
        out += `${firstScope ? '' : ','}{"scope":${this.cache.scope(scope)},"spans":[`;
        firstScope = false;
        for (let i = 0; i < scopeSpans.length; i++) {
          out += (i > 0 ? ',' : '') + jsonSpan(scopeSpans[i]!);
        }
        out += `]${jsonField('schemaUrl', scope.schemaUrl)}}`;
      }
      out += `]${resource.schemaUrl ? jsonField('schemaUrl', resource.schemaUrl) : ''}}`;
    }
    return `${out}]}`;
  }
}

import { buildLink, buildSpan } from './builders.js';
import type { ItemContext } from './normalize.js';
import { toHex } from './normalize.js';
import { readId, readKeyValueInto, readResource, readScope } from './proto-common.js';
import { ProtobufReader } from './protobuf-reader.js';
import type { SinkAttributes, SinkSpan, SinkSpanEvent, SinkSpanLink } from './types.js';

// Field numbers from opentelemetry/proto/trace/v1/trace.proto and
// collector/trace/v1/trace_service.proto.

/** Decodes an `ExportTraceServiceRequest`. */
export function decodeTracesProtobuf(body: Uint8Array): SinkSpan[] {
  const spans: SinkSpan[] = [];
  const request = new ProtobufReader(body, 'ExportTraceServiceRequest');
  request.forEachField((field, wire) => {
    if (field === 1) readResourceSpans(request.message(wire, 'resource_spans'), spans);
  });
  return spans;
}

function readResourceSpans(reader: ProtobufReader, out: SinkSpan[]): void {
  let resource: SinkAttributes = {};
  const blocks: ProtobufReader[] = [];
  reader.forEachField((field, wire) => {
    if (field === 1) resource = readResource(reader.message(wire, 'resource'));
    // Scope blocks are read after the whole message: the resource may come after them on the wire.
    else if (field === 2) blocks.push(reader.message(wire, 'scope_spans'));
  });
  for (const block of blocks) readScopeSpans(block, resource, out);
}

function readScopeSpans(reader: ProtobufReader, resource: SinkAttributes, out: SinkSpan[]): void {
  const context: ItemContext = { resource, scope: { name: '' } };
  const spans: ProtobufReader[] = [];
  reader.forEachField((field, wire) => {
    if (field === 1) context.scope = readScope(reader.message(wire, 'scope'));
    else if (field === 2) spans.push(reader.message(wire, 'spans'));
  });
  for (const span of spans) out.push(readSpan(span, context));
}

function readSpan(reader: ProtobufReader, context: ItemContext): SinkSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let flags: number | undefined;
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attributes: SinkAttributes = {};
  const events: SinkSpanEvent[] = [];
  const links: SinkSpanLink[] = [];
  let statusCode = 0;
  let statusMessage = '';
  reader.forEachField((field, wire) => {
    switch (field) {
      case 1:
        traceId = toHex(readId(reader, wire, 'trace_id', 16));
        break;
      case 2:
        spanId = toHex(readId(reader, wire, 'span_id', 8));
        break;
      case 3:
        traceState = reader.string(wire, 'trace_state');
        break;
      case 4:
        parentSpanId = toHex(readId(reader, wire, 'parent_span_id', 8));
        break;
      case 5:
        name = reader.string(wire, 'name');
        break;
      case 6:
        kind = reader.int32(wire, 'kind');
        break;
      case 7:
        start = reader.fixed64(wire, 'start_time_unix_nano');
        break;
      case 8:
        end = reader.fixed64(wire, 'end_time_unix_nano');
        break;
      case 9:
        readKeyValueInto(reader.message(wire, 'attributes'), attributes);
        break;
      case 11:
        events.push(readEvent(reader.message(wire, 'events')));
        break;
      case 13:
        links.push(readLink(reader.message(wire, 'links')));
        break;
      case 15: {
        const status = reader.message(wire, 'status');
        status.forEachField((f, w) => {
          if (f === 2) statusMessage = status.string(w, 'message');
          else if (f === 3) statusCode = status.int32(w, 'code');
        });
        break;
      }
      case 16:
        flags = reader.fixed32(wire, 'flags');
        break;
    }
  });
  return buildSpan({
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags,
    name,
    kind,
    start,
    end,
    attributes,
    events,
    links,
    statusCode,
    statusMessage,
    context,
  });
}

function readEvent(reader: ProtobufReader): SinkSpanEvent {
  const event: SinkSpanEvent = { name: '', timeUnixNano: 0n, attributes: {} };
  reader.forEachField((field, wire) => {
    if (field === 1) event.timeUnixNano = reader.fixed64(wire, 'time_unix_nano');
    else if (field === 2) event.name = reader.string(wire, 'name');
    else if (field === 3) readKeyValueInto(reader.message(wire, 'attributes'), event.attributes);
  });
  return event;
}

function readLink(reader: ProtobufReader): SinkSpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: SinkAttributes = {};
  reader.forEachField((field, wire) => {
    if (field === 1) traceId = toHex(readId(reader, wire, 'trace_id', 16));
    else if (field === 2) spanId = toHex(readId(reader, wire, 'span_id', 8));
    else if (field === 3) traceState = reader.string(wire, 'trace_state');
    else if (field === 4) readKeyValueInto(reader.message(wire, 'attributes'), attributes);
  });
  return buildLink(traceId, spanId, traceState, attributes);
}

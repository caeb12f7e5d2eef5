import { buildLink, buildSpan } from './builders.js';
import {
  enumValue,
  forEachItem,
  get,
  hexId,
  int32,
  int64,
  keyValues,
  object,
  objects,
  string,
} from './json-common.js';
import { SPAN_KIND_NUMBERS, STATUS_CODE_NUMBERS } from './normalize.js';
import type { SinkSpan } from './types.js';

/** Decodes an OTLP/JSON `ExportTraceServiceRequest` (already parsed). */
export function decodeTracesJson(request: unknown): SinkSpan[] {
  const spans: SinkSpan[] = [];
  const names = { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' };
  forEachItem(request, names, (s, path, context) => {
    const status = object(get(s, 'status'), `${path}.status`) ?? {};
    const flags = get(s, 'flags');
    spans.push(
      buildSpan({
        traceId: hexId(get(s, 'traceId'), `${path}.traceId`, 16),
        spanId: hexId(get(s, 'spanId'), `${path}.spanId`, 8),
        parentSpanId: hexId(get(s, 'parentSpanId'), `${path}.parentSpanId`, 8),
        traceState: string(get(s, 'traceState'), `${path}.traceState`),
        flags: flags === undefined ? undefined : int32(flags, `${path}.flags`) >>> 0,
        name: string(get(s, 'name'), `${path}.name`),
        kind: enumValue(get(s, 'kind'), `${path}.kind`, SPAN_KIND_NUMBERS),
        start: int64(get(s, 'startTimeUnixNano'), `${path}.startTimeUnixNano`),
        end: int64(get(s, 'endTimeUnixNano'), `${path}.endTimeUnixNano`),
        attributes: keyValues(get(s, 'attributes'), `${path}.attributes`),
        events: objects(get(s, 'events'), `${path}.events`).map((e, i) => {
          const at = `${path}.events[${i}]`;
          return {
            name: string(get(e, 'name'), `${at}.name`),
            timeUnixNano: int64(get(e, 'timeUnixNano'), `${at}.timeUnixNano`),
            attributes: keyValues(get(e, 'attributes'), `${at}.attributes`),
          };
        }),
        links: objects(get(s, 'links'), `${path}.links`).map((l, i) => {
          const at = `${path}.links[${i}]`;
          return buildLink(
            hexId(get(l, 'traceId'), `${at}.traceId`, 16),
            hexId(get(l, 'spanId'), `${at}.spanId`, 8),
            string(get(l, 'traceState'), `${at}.traceState`),
            keyValues(get(l, 'attributes'), `${at}.attributes`),
          );
        }),
        statusCode: enumValue(get(status, 'code'), `${path}.status.code`, STATUS_CODE_NUMBERS),
        statusMessage: string(get(status, 'message'), `${path}.status.message`),
        context,
      }),
    );
  });
  return spans;
}

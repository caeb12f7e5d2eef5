import { decodeLogsJson } from './json-logs.js';
import { decodeMetricsJson } from './json-metrics.js';
import { decodeTracesJson } from './json-traces.js';
import { decodeLogsProtobuf } from './proto-logs.js';
import { decodeMetricsProtobuf } from './proto-metrics.js';
import { decodeTracesProtobuf } from './proto-traces.js';
import { OtlpDecodeError } from './protobuf-reader.js';
import type { SinkEncoding, SinkLogRecord, SinkMetric, SinkSignal, SinkSpan } from './types.js';

/** What one export request carried, by signal. */
export type DecodedOtlpRequest =
  | { signal: 'traces'; spans: SinkSpan[] }
  | { signal: 'metrics'; metrics: SinkMetric[] }
  | { signal: 'logs'; logs: SinkLogRecord[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(body));
  } catch (error) {
    throw new OtlpDecodeError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Decodes one uncompressed OTLP export request body (`Export{Trace,Metrics,Logs}ServiceRequest`) into
 * the objects the sink records. Throws {@link OtlpDecodeError} when the body is not a well-formed
 * request.
 */
export function decodeOtlpRequest(
  signal: SinkSignal,
  encoding: SinkEncoding,
  body: Uint8Array,
): DecodedOtlpRequest {
  if (encoding === 'json') {
    const parsed = parseJson(body);
    if (signal === 'traces') return { signal, spans: decodeTracesJson(parsed) };
    if (signal === 'metrics') return { signal, metrics: decodeMetricsJson(parsed) };
    return { signal, logs: decodeLogsJson(parsed) };
  }
  if (signal === 'traces') return { signal, spans: decodeTracesProtobuf(body) };
  if (signal === 'metrics') return { signal, metrics: decodeMetricsProtobuf(body) };
  return { signal, logs: decodeLogsProtobuf(body) };
}

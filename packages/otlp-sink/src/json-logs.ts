import { buildLogRecord } from './builders.js';
import {
  anyValue,
  forEachItem,
  get,
  hexId,
  int32,
  int64,
  keyValues,
  string,
} from './json-common.js';
import type { SinkLogRecord } from './types.js';

const SEVERITY_NAMES: ReadonlyMap<string, number> = new Map(
  ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4']
    .concat(['INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR'])
    .concat(['ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'])
    .map((name, n) => [`SEVERITY_NUMBER_${name}`, n]),
);

/** Decodes an OTLP/JSON `ExportLogsServiceRequest` (already parsed). */
export function decodeLogsJson(request: unknown): SinkLogRecord[] {
  const records: SinkLogRecord[] = [];
  const names = { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' };
  forEachItem(request, names, (r, path, context) => {
    const severity = get(r, 'severityNumber');
    records.push(
      buildLogRecord({
        time: int64(get(r, 'timeUnixNano'), `${path}.timeUnixNano`),
        observedTime: int64(get(r, 'observedTimeUnixNano'), `${path}.observedTimeUnixNano`),
        severityNumber:
          typeof severity === 'string' && SEVERITY_NAMES.has(severity)
            ? SEVERITY_NAMES.get(severity)!
            : int32(severity, `${path}.severityNumber`),
        severityText: string(get(r, 'severityText'), `${path}.severityText`),
        body: anyValue(get(r, 'body'), `${path}.body`),
        attributes: keyValues(get(r, 'attributes'), `${path}.attributes`),
        traceId: hexId(get(r, 'traceId'), `${path}.traceId`, 16),
        spanId: hexId(get(r, 'spanId'), `${path}.spanId`, 8),
        flags: int32(get(r, 'flags'), `${path}.flags`) >>> 0,
        eventName: string(get(r, 'eventName'), `${path}.eventName`),
        context,
      }),
    );
  });
  return records;
}

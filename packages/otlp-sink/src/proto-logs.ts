import type { LogFields } from './builders.js';
import { buildLogRecord } from './builders.js';
import type { ItemContext } from './normalize.js';
import { toHex } from './normalize.js';
import { readAnyValue, readId, readKeyValueInto, readResource, readScope } from './proto-common.js';
import { ProtobufReader } from './protobuf-reader.js';
import type { SinkAttributes, SinkLogRecord } from './types.js';

// Field numbers from opentelemetry/proto/logs/v1/logs.proto and
// collector/logs/v1/logs_service.proto.

/** Decodes an `ExportLogsServiceRequest`. */
export function decodeLogsProtobuf(body: Uint8Array): SinkLogRecord[] {
  const records: SinkLogRecord[] = [];
  const request = new ProtobufReader(body, 'ExportLogsServiceRequest');
  request.forEachField((field, wire) => {
    if (field === 1) readResourceLogs(request.message(wire, 'resource_logs'), records);
  });
  return records;
}

function readResourceLogs(reader: ProtobufReader, out: SinkLogRecord[]): void {
  let resource: SinkAttributes = {};
  const blocks: ProtobufReader[] = [];
  reader.forEachField((field, wire) => {
    if (field === 1) resource = readResource(reader.message(wire, 'resource'));
    else if (field === 2) blocks.push(reader.message(wire, 'scope_logs'));
  });
  for (const block of blocks) {
    const context: ItemContext = { resource, scope: { name: '' } };
    const records: ProtobufReader[] = [];
    block.forEachField((field, wire) => {
      if (field === 1) context.scope = readScope(block.message(wire, 'scope'));
      else if (field === 2) records.push(block.message(wire, 'log_records'));
    });
    for (const record of records) out.push(readLogRecord(record, context));
  }
}

function readLogRecord(reader: ProtobufReader, context: ItemContext): SinkLogRecord {
  const f: LogFields = {
    time: 0n,
    observedTime: 0n,
    severityNumber: 0,
    severityText: '',
    body: undefined,
    attributes: {},
    traceId: '',
    spanId: '',
    flags: 0,
    eventName: '',
    context,
  };
  reader.forEachField((field, wire) => {
    switch (field) {
      case 1:
        f.time = reader.fixed64(wire, 'time_unix_nano');
        break;
      case 2:
        f.severityNumber = reader.int32(wire, 'severity_number');
        break;
      case 3:
        f.severityText = reader.string(wire, 'severity_text');
        break;
      case 5:
        f.body = readAnyValue(reader.message(wire, 'body'));
        break;
      case 6:
        readKeyValueInto(reader.message(wire, 'attributes'), f.attributes);
        break;
      case 8:
        f.flags = reader.fixed32(wire, 'flags');
        break;
      case 9:
        f.traceId = toHex(readId(reader, wire, 'trace_id', 16));
        break;
      case 10:
        f.spanId = toHex(readId(reader, wire, 'span_id', 8));
        break;
      case 11:
        f.observedTime = reader.fixed64(wire, 'observed_time_unix_nano');
        break;
      case 12:
        f.eventName = reader.string(wire, 'event_name');
        break;
    }
  });
  return buildLogRecord(f);
}

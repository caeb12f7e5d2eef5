import { setAttribute } from './attributes.js';
import { buildScope, integerValue } from './normalize.js';
import type { ProtobufReader } from './protobuf-reader.js';
import type { SinkAttributes, SinkScope } from './types.js';

// Field numbers from opentelemetry/proto/common/v1/common.proto and resource/v1/resource.proto.

// Deeply nested AnyValues are legal but no real exporter sends them; the cap keeps a hostile body
// from exhausting the stack.
const MAX_DEPTH = 64;

export function readAnyValue(reader: ProtobufReader, depth = 0): unknown {
  if (depth > MAX_DEPTH) reader.fail(`AnyValue is nested deeper than ${MAX_DEPTH} levels`);
  let value: unknown;
  reader.forEachField((field, wire) => {
    switch (field) {
      case 1:
        value = reader.string(wire, 'string_value');
        break;
      case 2:
        value = reader.bool(wire, 'bool_value');
        break;
      case 3:
        value = integerValue(reader.int64(wire, 'int_value'));
        break;
      case 4:
        value = reader.double(wire, 'double_value');
        break;
      case 5: {
        const array: unknown[] = [];
        const values = reader.message(wire, 'array_value');
        values.forEachField((f, w) => {
          if (f === 1) array.push(readAnyValue(values.message(w, 'values'), depth + 1));
        });
        value = array;
        break;
      }
      case 6: {
        const kvlist = reader.message(wire, 'kvlist_value');
        value = readKeyValues(kvlist, 1, depth + 1);
        break;
      }
      case 7:
        value = new Uint8Array(reader.bytes(wire, 'bytes_value'));
        break;
    }
  });
  return value;
}

/** Reads every `repeated KeyValue` with number `keyValueField` of this message into a record. */
export function readKeyValues(
  reader: ProtobufReader,
  keyValueField: number,
  depth = 0,
): SinkAttributes {
  const out: SinkAttributes = {};
  reader.forEachField((field, wire) => {
    if (field === keyValueField) readKeyValueInto(reader.message(wire, 'values'), out, depth);
  });
  return out;
}

export function readKeyValueInto(reader: ProtobufReader, out: SinkAttributes, depth = 0): void {
  let key = '';
  let value: unknown;
  reader.forEachField((field, wire) => {
    if (field === 1) key = reader.string(wire, 'key');
    else if (field === 2) value = readAnyValue(reader.message(wire, 'value'), depth);
  });
  setAttribute(out, key, value);
}

export function readResource(reader: ProtobufReader): SinkAttributes {
  const attributes: SinkAttributes = {};
  reader.forEachField((field, wire) => {
    if (field === 1) readKeyValueInto(reader.message(wire, 'attributes'), attributes);
  });
  return attributes;
}

export function readScope(reader: ProtobufReader): SinkScope {
  let name = '';
  let version = '';
  const attributes: SinkAttributes = {};
  reader.forEachField((field, wire) => {
    if (field === 1) name = reader.string(wire, 'name');
    else if (field === 2) version = reader.string(wire, 'version');
    else if (field === 3) readKeyValueInto(reader.message(wire, 'attributes'), attributes);
  });
  return buildScope(name, version, attributes);
}

/** Reads a trace or span id field; the OTLP spec allows only empty or exactly `length` bytes. */
export function readId(
  reader: ProtobufReader,
  wire: number,
  what: string,
  length: number,
): Uint8Array {
  const bytes = reader.bytes(wire, what);
  if (bytes.length !== 0 && bytes.length !== length) {
    reader.fail(`${what} is ${bytes.length} bytes, expected ${length}`);
  }
  return bytes;
}

import type { ProtobufMessageCache } from './message-cache.js';
import type { ProtobufWriter } from './protobuf-writer.js';
import type { OtlpResource, OtlpScope } from './readable.js';

// Wire types.
const LEN = 2;
const VARINT = 0;
const I64 = 1;

/** The tag byte of a field whose number is below 16. */
export function tag(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/**
 * An `AnyValue` message body (`common.proto`) from an attribute or log body value, deciding as
 * `@opentelemetry/otlp-transformer` does: a string, a boolean, an integer in the int64 range is
 * `int_value` and any other number `double_value`, a Uint8Array is `bytes_value`, an array
 * `array_value`, another object `kvlist_value`; anything else (null, undefined, a bigint) is an
 * empty AnyValue.
 */
export function writeAnyValue(w: ProtobufWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.byte(tag(1, LEN));
      w.string(value);
      return;
    case 'boolean':
      w.byte(tag(2, VARINT));
      w.byte(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.byte(tag(3, VARINT));
        w.varint(value);
      } else {
        w.byte(tag(4, I64));
        w.double(value);
      }
      return;
    case 'object':
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.byte(tag(7, LEN));
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.byte(tag(5, LEN));
        const array = w.begin(1);
        for (let i = 0; i < value.length; i++) {
          w.byte(tag(1, LEN));
          const item = w.begin(1);
          writeAnyValue(w, value[i]);
          w.end(item, 1);
        }
        w.end(array, 1);
      } else {
        w.byte(tag(6, LEN));
        const list = w.begin(1);
        writeKeyValues(w, value as Record<string, unknown>, 1);
        w.end(list, 1);
      }
      return;
    default:
      return;
  }
}

/** One `KeyValue` per own enumerable key, each as field `field` of the enclosing message. */
export function writeKeyValues(
  w: ProtobufWriter,
  values: Readonly<Record<string, unknown>>,
  field: number,
): void {
  const fieldTag = tag(field, LEN);
  for (const key in values) {
    if (!Object.hasOwn(values, key)) continue;
    w.byte(fieldTag);
    const keyValue = w.begin(1);
    w.byte(tag(1, LEN));
    w.string(key);
    w.byte(tag(2, LEN));
    const anyValue = w.begin(1);
    writeAnyValue(w, values[key]);
    w.end(anyValue, 1);
    w.end(keyValue, 1);
  }
}

/** HrTime as a fixed64 field. */
export function writeTime(w: ProtobufWriter, field: number, time: readonly [number, number]): void {
  w.byte(tag(field, I64));
  w.hrTime(time);
}

/** The `Resource` message (field 1 of ResourceSpans / ResourceLogs), tag included. */
export function writeResource(w: ProtobufWriter, resource: OtlpResource): void {
  w.byte(tag(1, LEN));
  const start = w.begin(2);
  const attributes = resource.attributes;
  if (attributes) writeKeyValues(w, attributes, 1);
  // dropped_attributes_count: the SDK keeps none, and the transformer writes the 0.
  w.byte(tag(2, VARINT));
  w.byte(0);
  w.end(start, 2);
}

/** The `InstrumentationScope` message (field 1 of ScopeSpans / ScopeLogs), tag included. */
export function writeScope(w: ProtobufWriter, scope: OtlpScope): void {
  w.byte(tag(1, LEN));
  const start = w.begin(1);
  w.byte(tag(1, LEN));
  w.string(scope.name);
  if (scope.version) {
    w.byte(tag(2, LEN));
    w.string(scope.version);
  }
  if (scope.attributes) writeKeyValues(w, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    w.byte(tag(4, VARINT));
    w.varint(scope.droppedAttributesCount);
  }
  w.end(start, 1);
}

/**
 * Writes one `ResourceSpans` / `ResourceLogs` / `ResourceMetrics` message as field 1 of an export
 * request; the three signals share its shape: the resource (field 1, cached), then per scope a
 * `Scope*` message (field 2) holding the scope (field 1, cached), its items (field 2 each, written
 * by `writeItem`) and the scope's schema URL (field 3), then the resource's schema URL (field 3).
 */
export function writeResourceMessage<T>(
  w: ProtobufWriter,
  cache: ProtobufMessageCache,
  resource: OtlpResource & { readonly schemaUrl?: string },
  scopes: Iterable<readonly [OtlpScope, readonly T[]]>,
  writeItem: (w: ProtobufWriter, item: T) => void,
): void {
  w.byte(tag(1, LEN));
  const resourceMessage = w.begin(3);
  w.raw(cache.resource(resource));
  for (const [scope, items] of scopes) {
    w.byte(tag(2, LEN));
    const scopeMessage = w.begin(3);
    w.raw(cache.scope(scope));
    for (let i = 0; i < items.length; i++) writeItem(w, items[i]!);
    if (scope.schemaUrl) {
      w.byte(tag(3, LEN));
      w.string(scope.schemaUrl);
    }
    w.end(scopeMessage, 3);
  }
  if (resource.schemaUrl) {
    w.byte(tag(3, LEN));
    w.string(resource.schemaUrl);
  }
  w.end(resourceMessage, 3);
}

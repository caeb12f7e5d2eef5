import type { OtlpResource, OtlpScope } from './readable.js';

const stringify = JSON.stringify;

/**
 * A JSON value for `value`, or `undefined` when `JSON.stringify` leaves the key out (an
 * `undefined` field of the transformer's object tree).
 */
export function jsonValue(value: unknown): string | undefined {
  return value === undefined ? undefined : stringify(value);
}

/** `,"name":value`, or nothing when the value is `undefined` (as `JSON.stringify` omits it). */
export function jsonField(name: string, value: unknown): string {
  return value === undefined ? '' : `,"${name}":${stringify(value)}`;
}

/** A JSON number as `JSON.stringify` writes it (`null` for NaN and the infinities). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * An OTLP/JSON `AnyValue` from an attribute or log body value, deciding as the transformer's JSON
 * path does: any integer is `intValue` (JSON has no int64 limit), other numbers `doubleValue`,
 * bytes base64, arrays and objects nested, anything else `{}`.
 */
export function jsonAnyValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `{"stringValue":${stringify(value)}}`;
    case 'number':
      return Number.isInteger(value)
        ? `{"intValue":${jsonNumber(value)}}`
        : `{"doubleValue":${jsonNumber(value)}}`;
    case 'boolean':
      return value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'object': {
      if (value === null) return '{}';
      if (value instanceof Uint8Array) {
        const base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString(
          'base64',
        );
        return `{"bytesValue":"${base64}"}`;
      }
      if (Array.isArray(value)) {
        let out = '{"arrayValue":{"values":[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += jsonAnyValue(value[i]);
        }
        return `${out}]}}`;
      }
      return `{"kvlistValue":{"values":${jsonKeyValues(value as Record<string, unknown>)}}}`;
    }
    default:
      return '{}';
  }
}

/** A JSON array of `KeyValue`s, one per own enumerable key. */
export function jsonKeyValues(values: Readonly<Record<string, unknown>> | undefined): string {
  if (!values) return '[]';
  let out = '[';
  let first = true;
  for (const key in values) {
    if (!Object.hasOwn(values, key)) continue;
    out += `${first ? '' : ','}{"key":${stringify(key)},"value":${jsonAnyValue(values[key])}}`;
    first = false;
  }
  return `${out}]`;
}

/**
 * HrTime as the transformer's JSON writes it: a string of whole nanoseconds. The usual case (whole
 * seconds and nanoseconds below 1e9) is two numbers side by side; anything else goes through BigInt
 * as in the transformer.
 */
export function jsonTime(time: readonly [number, number]): string {
  const seconds = time[0];
  const nanos = time[1];
  if (
    Number.isSafeInteger(seconds) &&
    seconds > 0 &&
    Number.isInteger(nanos) &&
    nanos >= 0 &&
    nanos < 1e9
  ) {
    const digits = String(nanos);
    return `"${seconds}${'000000000'.slice(digits.length)}${digits}"`;
  }
  return `"${(BigInt(Math.trunc(seconds)) * 1_000_000_000n + BigInt(Math.trunc(nanos))).toString()}"`;
}

/**
 * The JSON `Resource` and `InstrumentationScope` objects, kept per object as the protobuf ones
 * are (see `ProtobufMessageCache`).
 */
export class JsonMessageCache {
  private readonly resources = new WeakMap<OtlpResource, string>();
  private readonly scopes = new WeakMap<OtlpScope, string>();

  resource(resource: OtlpResource): string {
    let json = this.resources.get(resource);
    if (json === undefined) {
      json = `{"attributes":${jsonKeyValues(resource.attributes)},"droppedAttributesCount":0${
        resource.schemaUrl ? jsonField('schemaUrl', resource.schemaUrl) : ''
      }}`;
      if (resource.asyncAttributesPending !== true) this.resources.set(resource, json);
    }
    return json;
  }

  scope(scope: OtlpScope): string {
    let json = this.scopes.get(scope);
    if (json === undefined) {
      let out = `{"name":${stringify(scope.name)}${jsonField('version', scope.version)}`;
      if (scope.attributes && Object.keys(scope.attributes).length > 0) {
        out += `,"attributes":${jsonKeyValues(scope.attributes)},"droppedAttributesCount":${stringify(
          scope.droppedAttributesCount ?? 0,
        )}`;
      }
      json = `${out}}`;
      this.scopes.set(scope, json);
    }
    return json;
  }
}

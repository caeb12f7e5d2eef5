import { setAttribute } from './attributes.js';
import { buildScope, integerValue } from './normalize.js';
import { OtlpDecodeError } from './protobuf-reader.js';
import type { SinkAttributes, SinkScope } from './types.js';

// OTLP/JSON is the protobuf JSON mapping with OTLP's exceptions: trace and span ids are hex strings,
// enums are integers. Keys are lowerCamelCase; the original snake_case names are accepted as well,
// as protobuf JSON parsers do. 64-bit integers may be strings or numbers. `null` means absent.

export type JsonObject = Record<string, unknown>;

const MAX_DEPTH = 64;

export function fail(path: string, expected: string): never {
  throw new OtlpDecodeError(`${path}: expected ${expected}`);
}

/** Reads `camelName` (or its snake_case spelling) from an object. */
export function get(o: JsonObject, camelName: string): unknown {
  const value = o[camelName];
  if (value !== undefined && value !== null) return value;
  const snake = camelName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake === camelName ? undefined : (o[snake] ?? undefined);
}

export function object(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object');
  return value as JsonObject;
}

export function objects(value: unknown, path: string): JsonObject[] {
  return list(value, path).map((item, i) => object(item, `${path}[${i}]`) ?? {});
}

export function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, 'an array');
  return value;
}

export function string(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(path, 'a string');
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') fail(path, 'true or false');
  return value;
}

const INTEGER = /^-?\d+$/;

/** int64, uint64, fixed64 and sfixed64 fields: a JSON number or a decimal string. */
export function int64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
  fail(path, 'an integer (a number or a decimal string)');
}

/** int32 and uint32 fields. */
export function int32(value: unknown, path: string): number {
  return Number(BigInt.asIntN(32, int64(value, path)));
}

const SPECIAL_DOUBLES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** double fields: a number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
export function double(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const special = SPECIAL_DOUBLES[value];
    if (special !== undefined) return special;
    const parsed = Number(value);
    if (value.trim() !== '' && !Number.isNaN(parsed)) return parsed;
  }
  fail(path, 'a number');
}

/** An `optional double`: absent stays absent. */
export function optionalDouble(value: unknown, path: string): number | undefined {
  return value === undefined || value === null ? undefined : double(value, path);
}

/** An enum: the integer OTLP/JSON requires, or the value's name, which protobuf JSON also allows. */
export function enumValue(
  value: unknown,
  path: string,
  names: ReadonlyMap<string, number>,
): number {
  if (typeof value === 'string' && !INTEGER.test(value)) {
    const n = names.get(value);
    if (n === undefined) fail(path, `an enum number or one of ${[...names.keys()].join(', ')}`);
    return n;
  }
  return int32(value, path);
}

/** A trace or span id: a hex string of exactly `bytes` bytes, or empty. Lowercased. */
export function hexId(value: unknown, path: string, bytes: number): string {
  const text = string(value, path);
  if (text === '') return '';
  if (text.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(text)) {
    fail(path, `${bytes * 2} hex characters`);
  }
  return text.toLowerCase();
}

export function anyValue(value: unknown, path: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) fail(path, `an AnyValue nested at most ${MAX_DEPTH} levels deep`);
  const o = object(value, path);
  if (!o) return undefined;
  let v = get(o, 'stringValue');
  if (v !== undefined) return string(v, `${path}.stringValue`);
  v = get(o, 'boolValue');
  if (v !== undefined) return boolean(v, `${path}.boolValue`);
  v = get(o, 'intValue');
  if (v !== undefined) return integerValue(int64(v, `${path}.intValue`));
  v = get(o, 'doubleValue');
  if (v !== undefined) return double(v, `${path}.doubleValue`);
  v = get(o, 'arrayValue');
  if (v !== undefined) {
    const arrayPath = `${path}.arrayValue`;
    const values = list(get(object(v, arrayPath) ?? {}, 'values'), `${arrayPath}.values`);
    return values.map((item, i) => anyValue(item, `${arrayPath}.values[${i}]`, depth + 1));
  }
  v = get(o, 'kvlistValue');
  if (v !== undefined) {
    const kvPath = `${path}.kvlistValue`;
    return keyValues(get(object(v, kvPath) ?? {}, 'values'), `${kvPath}.values`, depth + 1);
  }
  v = get(o, 'bytesValue');
  if (v !== undefined) {
    return new Uint8Array(Buffer.from(string(v, `${path}.bytesValue`), 'base64'));
  }
  return undefined;
}

/** A `repeated KeyValue` as a record. */
export function keyValues(value: unknown, path: string, depth = 0): SinkAttributes {
  const out: SinkAttributes = {};
  objects(value, path).forEach((kv, i) => {
    const at = `${path}[${i}]`;
    setAttribute(
      out,
      string(get(kv, 'key'), `${at}.key`),
      anyValue(get(kv, 'value'), `${at}.value`, depth),
    );
  });
  return out;
}

export function resource(value: unknown, path: string): SinkAttributes {
  const o = object(value, path);
  return o ? keyValues(get(o, 'attributes'), `${path}.attributes`) : {};
}

export function scope(value: unknown, path: string): SinkScope {
  const o = object(value, path) ?? {};
  return buildScope(
    string(get(o, 'name'), `${path}.name`),
    string(get(o, 'version'), `${path}.version`),
    keyValues(get(o, 'attributes'), `${path}.attributes`),
  );
}

/** Walks `resource*[] -> scope*[] -> items[]`, the shape every OTLP export request shares. */
export function forEachItem(
  request: unknown,
  names: { resources: string; scopes: string; items: string },
  visit: (
    item: JsonObject,
    path: string,
    context: { resource: SinkAttributes; scope: SinkScope },
  ) => void,
): void {
  const root = object(request, '$') ?? fail('$', 'an object');
  objects(get(root, names.resources), names.resources).forEach((r, i) => {
    const rPath = `${names.resources}[${i}]`;
    const res = resource(get(r, 'resource'), `${rPath}.resource`);
    objects(get(r, names.scopes), `${rPath}.${names.scopes}`).forEach((s, j) => {
      const sPath = `${rPath}.${names.scopes}[${j}]`;
      const context = { resource: res, scope: scope(get(s, 'scope'), `${sPath}.scope`) };
      objects(get(s, names.items), `${sPath}.${names.items}`).forEach((item, k) => {
        visit(item, `${sPath}.${names.items}[${k}]`, context);
      });
    });
  });
}

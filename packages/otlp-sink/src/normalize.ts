import type {
  SinkAttributes,
  SinkScope,
  SinkSpanKind,
  SinkStatusCode,
  SinkTemporality,
} from './types.js';

// Both decoders build their output through these helpers, so protobuf and JSON bodies that carry
// the same data produce equal objects.

const SPAN_KINDS: readonly SinkSpanKind[] = [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];
const STATUS_CODES: readonly SinkStatusCode[] = ['UNSET', 'OK', 'ERROR'];
const TEMPORALITIES: readonly SinkTemporality[] = ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'];

// Unknown enum numbers are legal on the wire (a newer sender); they read as the zero value.
export const spanKindName = (n: number): SinkSpanKind => SPAN_KINDS[n] ?? 'UNSPECIFIED';
export const statusCodeName = (n: number): SinkStatusCode => STATUS_CODES[n] ?? 'UNSET';
export const temporalityName = (n: number): SinkTemporality => TEMPORALITIES[n] ?? 'UNSPECIFIED';

export const SPAN_KIND_NUMBERS = enumNumbers(SPAN_KINDS, 'SPAN_KIND_');
export const STATUS_CODE_NUMBERS = enumNumbers(STATUS_CODES, 'STATUS_CODE_');
export const TEMPORALITY_NUMBERS = enumNumbers(TEMPORALITIES, 'AGGREGATION_TEMPORALITY_');

function enumNumbers(names: readonly string[], prefix: string): ReadonlyMap<string, number> {
  return new Map(names.map((name, index) => [`${prefix}${name}`, index]));
}

/** Integers stay exact: `number` while safe, `bigint` beyond. */
export function integerValue(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function buildScope(name: string, version: string, attributes: SinkAttributes): SinkScope {
  const scope: SinkScope = { name };
  if (version !== '') scope.version = version;
  if (Object.keys(attributes).length > 0) scope.attributes = attributes;
  return scope;
}

/** Resource and scope context shared by every item of one `Scope*` block. */
export interface ItemContext {
  resource: SinkAttributes;
  scope: SinkScope;
}

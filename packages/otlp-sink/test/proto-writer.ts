// A tiny protobuf writer for hand-made test bodies: what a real exporter would never send
// (unpacked repeated fields, unknown fields, truncations, hostile values).

export function varint(value: number | bigint): number[] {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return out;
}

export const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);

export const varintField = (field: number, value: number | bigint): number[] => [
  ...tag(field, 0),
  ...varint(value),
];

export function fixed64Field(field: number, value: bigint): number[] {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64LE(BigInt.asUintN(64, value));
  return [...tag(field, 1), ...buf];
}

export function doubleField(field: number, value: number): number[] {
  const buf = Buffer.alloc(8);
  buf.writeDoubleLE(value);
  return [...tag(field, 1), ...buf];
}

export function fixed32Field(field: number, value: number): number[] {
  const buf = Buffer.alloc(4);
  buf.writeUInt32LE(value);
  return [...tag(field, 5), ...buf];
}

export function bytesField(field: number, bytes: ArrayLike<number>): number[] {
  return [...tag(field, 2), ...varint(bytes.length), ...Array.from(bytes)];
}

export const stringField = (field: number, text: string): number[] =>
  bytesField(field, Buffer.from(text, 'utf8'));

export const messageField = (field: number, ...parts: number[][]): number[] =>
  bytesField(field, parts.flat());

export const body = (...parts: number[][]): Uint8Array => new Uint8Array(parts.flat());

/** `KeyValue { key = 1; AnyValue value = 2 }` as a field of the given number. */
export const keyValue = (field: number, key: string, anyValue: number[]): number[] =>
  messageField(field, stringField(1, key), messageField(2, anyValue));

export const hexBytes = (hex: string): number[] => [...Buffer.from(hex, 'hex')];

import { diag } from '@opentelemetry/api';

/** What a collector reports when it accepted only part of a request. */
export type PartialSuccess = Readonly<Record<string, number | string>>;

/** Reads protobuf fields one by one; enough for the small OTLP response messages. */
class FieldReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  atEnd(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++]!;
      result += (byte & 127) * scale;
      if ((byte & 128) === 0) return result;
      scale *= 128;
    }
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.buf.length) throw new Error('truncated field');
    const slice = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

/**
 * The `partial_success` of an `Export{Trace,Logs}ServiceResponse` in protobuf, with the rejected
 * count under `rejectedKey` (`rejectedSpans`, `rejectedLogRecords`); `undefined` when absent.
 */
export function protobufPartialSuccess(
  body: Uint8Array,
  rejectedKey: string,
): PartialSuccess | undefined {
  const response = new FieldReader(body);
  let found: Record<string, number | string> | undefined;
  while (!response.atEnd()) {
    const key = response.varint();
    if (key >>> 3 !== 1 || (key & 7) !== 2) {
      response.skip(key & 7);
      continue;
    }
    found = {};
    const partial = new FieldReader(response.bytes());
    while (!partial.atEnd()) {
      const inner = partial.varint();
      const field = inner >>> 3;
      const wireType = inner & 7;
      if (field === 1 && wireType === 0) found[rejectedKey] = partial.varint();
      else if (field === 2 && wireType === 2) {
        found.errorMessage = Buffer.from(partial.bytes()).toString('utf8');
      } else partial.skip(wireType);
    }
  }
  return found;
}

/** The `partialSuccess` of an OTLP/JSON response; `undefined` when absent. */
export function jsonPartialSuccess(body: Uint8Array): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
  const partial = (parsed as { partialSuccess?: unknown } | null)?.partialSuccess;
  return partial !== null && typeof partial === 'object' ? (partial as PartialSuccess) : undefined;
}

/**
 * Reports a partial success through `diag.warn`, in the words of the stock exporter (so a search
 * for its message finds ours too); an empty one, which collectors send for "all accepted", is
 * not reported. A response that cannot be read is reported and otherwise ignored: the export
 * succeeded.
 */
export function reportPartialSuccess(read: () => PartialSuccess | undefined): void {
  let partial: PartialSuccess | undefined;
  try {
    partial = read();
  } catch (error) {
    diag.warn(
      'Export succeeded but could not deserialize response - is the response specification compliant?',
      error,
    );
    return;
  }
  if (partial === undefined || Object.keys(partial).length === 0) return;
  diag.warn('Received Partial Success response:', JSON.stringify(partial));
}

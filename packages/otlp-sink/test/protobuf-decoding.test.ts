import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest, OtlpDecodeError } from '../src/index.js';
import {
  body,
  bytesField,
  doubleField,
  fixed32Field,
  fixed64Field,
  hexBytes,
  keyValue,
  messageField,
  stringField,
  tag,
  varint,
  varintField,
} from './proto-writer.js';

const TRACE = '0102030405060708090a0b0c0d0e0f10';
const SPAN = 'a1a2a3a4a5a6a7a8';

/** One ExportTraceServiceRequest holding one span made of `spanFields`. */
function traceRequest(...spanFields: number[][]): Uint8Array {
  return body(
    messageField(
      1,
      messageField(
        2,
        messageField(
          2,
          bytesField(1, hexBytes(TRACE)),
          bytesField(2, hexBytes(SPAN)),
          ...spanFields,
        ),
      ),
    ),
  );
}

function decodeSpans(bytes: Uint8Array) {
  const decoded = decodeOtlpRequest('traces', 'protobuf', bytes);
  if (decoded.signal !== 'traces') throw new Error('wrong signal');
  return decoded.spans;
}

function decodeError(signal: 'traces' | 'metrics' | 'logs', bytes: Uint8Array): string {
  try {
    decodeOtlpRequest(signal, 'protobuf', bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(OtlpDecodeError);
    return (error as Error).message;
  }
  throw new Error('expected the body to be refused');
}

describe('the protobuf decoder on hand-made bodies', () => {
  it('decodes an empty body as an empty request', () => {
    expect(decodeSpans(new Uint8Array())).toEqual([]);
  });

  it('fills defaults for absent fields and skips unknown fields of every wire type', () => {
    const [span] = decodeSpans(
      traceRequest(
        varintField(99, 5),
        fixed64Field(98, 1n),
        fixed32Field(97, 1),
        stringField(96, 'future field'),
      ),
    );
    expect(span).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      name: '',
      kind: 'UNSPECIFIED',
      startTimeUnixNano: 0n,
      endTimeUnixNano: 0n,
      attributes: {},
      status: { code: 'UNSET' },
      events: [],
      links: [],
      resource: {},
      scope: { name: '' },
    });
  });

  it('reads the resource even when it follows the scope blocks on the wire', () => {
    const bytes = body(
      messageField(
        1,
        messageField(2, messageField(2, stringField(5, 'late'))),
        messageField(1, keyValue(1, 'service.name', stringField(1, 'compute'))),
      ),
    );
    expect(decodeSpans(bytes)[0]!.resource).toEqual({ 'service.name': 'compute' });
  });

  it('keeps 64-bit integers exact: number while safe, bigint beyond, negatives signed', () => {
    const [span] = decodeSpans(
      traceRequest(
        keyValue(9, 'small', varintField(3, 42)),
        keyValue(9, 'negative', varintField(3, -5n)),
        keyValue(9, 'huge', varintField(3, 9007199254740993n)),
        keyValue(9, 'min', varintField(3, -9223372036854775808n)),
        keyValue(9, 'nan', doubleField(4, Number.NaN)),
        keyValue(9, 'empty', []),
        fixed64Field(7, 18446744073709551615n),
      ),
    );
    expect(span!.attributes).toEqual({
      small: 42,
      negative: -5,
      huge: 9007199254740993n,
      min: -9223372036854775808n,
      nan: Number.NaN,
      empty: undefined,
    });
    expect(span!.startTimeUnixNano).toBe(18446744073709551615n);
  });

  it('treats a "__proto__" attribute key as data, not as the prototype', () => {
    const [span] = decodeSpans(traceRequest(keyValue(9, '__proto__', stringField(1, 'x'))));
    expect(Object.getPrototypeOf(span!.attributes)).toBe(Object.prototype);
    expect(Object.keys(span!.attributes)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(span!.attributes, '__proto__')?.value).toBe('x');
  });

  it('reads repeated scalars both packed and unpacked', () => {
    const point = (...fields: number[][]) =>
      body(
        messageField(
          1,
          messageField(
            2,
            messageField(2, stringField(1, 'h'), messageField(9, messageField(1, ...fields))),
          ),
        ),
      );
    const packedCounts = Buffer.alloc(16);
    packedCounts.writeBigUInt64LE(2n, 0);
    packedCounts.writeBigUInt64LE(3n, 8);
    const packed = point(bytesField(6, [...packedCounts]), varintField(4, 0), fixed64Field(4, 5n));
    const unpacked = point(
      fixed64Field(6, 2n),
      fixed64Field(6, 3n),
      doubleField(7, 1.5),
      fixed64Field(4, 5n),
    );
    const decode = (bytes: Uint8Array) => {
      const decoded = decodeOtlpRequest('metrics', 'protobuf', bytes);
      return decoded.signal === 'metrics' ? decoded.metrics[0]!.points[0] : undefined;
    };
    // count is fixed64: the stray varint field 4 in `packed` has the wrong wire type.
    expect(() => decode(packed)).toThrow(/count has wire type 0, expected 1/);
    const packedOk = point(bytesField(6, [...packedCounts]), fixed64Field(4, 5n));
    expect(decode(packedOk)).toMatchObject({ count: 5, bucketCounts: [2, 3], explicitBounds: [] });
    expect(decode(unpacked)).toMatchObject({
      count: 5,
      bucketCounts: [2, 3],
      explicitBounds: [1.5],
    });
  });

  it('decodes summaries and exponential histograms with zigzag offsets', () => {
    const bytes = body(
      messageField(
        1,
        messageField(
          2,
          messageField(
            2,
            stringField(1, 'rpc.latency'),
            messageField(
              11,
              messageField(
                1,
                fixed64Field(4, 10n),
                doubleField(5, 12.5),
                messageField(6, doubleField(1, 0.5), doubleField(2, 1)),
                messageField(6, doubleField(1, 0.99), doubleField(2, 4)),
              ),
            ),
          ),
          messageField(
            2,
            stringField(1, 'exp'),
            messageField(
              10,
              messageField(
                1,
                fixed64Field(4, 4n),
                varintField(6, 3), // scale -2, zigzag encoded
                messageField(8, varintField(1, 5), bytesField(2, [...varint(1), ...varint(3)])), // offset -3
              ),
              varintField(2, 1),
            ),
          ),
        ),
      ),
    );
    const decoded = decodeOtlpRequest('metrics', 'protobuf', bytes);
    if (decoded.signal !== 'metrics') throw new Error('wrong signal');
    const [summary, exp] = decoded.metrics;
    expect(summary).toMatchObject({
      type: 'summary',
      points: [
        {
          count: 10,
          sum: 12.5,
          quantiles: [
            { quantile: 0.5, value: 1 },
            { quantile: 0.99, value: 4 },
          ],
        },
      ],
    });
    expect(summary!.temporality).toBeUndefined();
    expect(exp).toMatchObject({
      type: 'exponentialHistogram',
      temporality: 'DELTA',
      points: [
        { count: 4, scale: -2, positive: { offset: -3, bucketCounts: [1, 3] }, zeroCount: 0 },
      ],
    });
  });

  it('skips a metric that carries no data', () => {
    const bytes = body(
      messageField(1, messageField(2, messageField(2, stringField(1, 'no.data')))),
    );
    const decoded = decodeOtlpRequest('metrics', 'protobuf', bytes);
    expect(decoded).toEqual({ signal: 'metrics', metrics: [] });
  });

  it('reads negative int32 enums (10-byte varints) and long-form booleans', () => {
    const bytes = body(
      messageField(
        1,
        messageField(
          2,
          messageField(
            2,
            varintField(2, -1n),
            keyValue(6, 'b', [...tag(2, 0), 0x81, 0x80, 0x80, 0x80, 0x00]),
          ),
        ),
      ),
    );
    const decoded = decodeOtlpRequest('logs', 'protobuf', bytes);
    expect(decoded.signal === 'logs' && decoded.logs[0]).toMatchObject({
      severityNumber: -1,
      attributes: { b: true },
    });
  });

  it('reads log flags and ids', () => {
    const bytes = body(
      messageField(
        1,
        messageField(
          2,
          messageField(
            2,
            varintField(2, 13),
            fixed32Field(8, 0x101),
            bytesField(9, hexBytes(TRACE)),
            bytesField(10, hexBytes(SPAN)),
          ),
        ),
      ),
    );
    const decoded = decodeOtlpRequest('logs', 'protobuf', bytes);
    expect(decoded.signal === 'logs' && decoded.logs[0]).toMatchObject({
      severityNumber: 13,
      traceId: TRACE,
      spanId: SPAN,
      traceFlags: 1,
    });
  });

  it.each([
    ['a truncated varint', body([0x0a, 0xff]), /truncated varint/],
    ['a length past the end', body([0x0a, 0x05, 0x01]), /resource_spans is truncated/],
    [
      'a varint longer than 10 bytes',
      body(tag(50, 0), new Array(11).fill(0xff)),
      /field 50 is a varint longer than 10 bytes/,
    ],
    ['field number 0', body([0x00, 0x01]), /field number 0/],
    ['a group wire type', body(tag(50, 3)), /field 50 has unsupported wire type 3/],
    [
      'a message field sent as a varint',
      body(varintField(1, 1)),
      /resource_spans has wire type 0, expected 2/,
    ],
    [
      'plain text',
      new Uint8Array(Buffer.from('this is not protobuf')),
      /unsupported wire type|truncated/,
    ],
    [
      'a string field sent as a varint',
      traceRequest(varintField(5, 1)),
      /spans: name has wire type 0, expected 2/,
    ],
    [
      'invalid UTF-8 in a string',
      traceRequest(bytesField(5, [0xc3, 0x28])),
      /name is not valid UTF-8/,
    ],
    [
      'a 3-byte trace id',
      body(messageField(1, messageField(2, messageField(2, bytesField(1, [1, 2, 3]))))),
      /trace_id is 3 bytes, expected 16/,
    ],
  ])('refuses %s with a message saying where', (_label, bytes, message) => {
    expect(decodeError('traces', bytes)).toMatch(message);
  });

  it('refuses AnyValues nested past 64 levels instead of exhausting the stack', () => {
    let value: number[] = stringField(1, 'leaf');
    for (let i = 0; i < 70; i++) value = messageField(5, messageField(1, value));
    expect(decodeError('traces', traceRequest(keyValue(9, 'deep', value)))).toMatch(
      /nested deeper than 64/,
    );
  });
});

// Property tests: for random batches of spans and log records, our bytes decode (with the official
// .proto files) to what the stock transformer's bytes decode to, and are in fact the same bytes;
// our JSON parses to what the stock JSON parses to, and is the same text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  JsonLogsEncoder,
  JsonTraceEncoder,
  ProtobufLogsEncoder,
  ProtobufTraceEncoder,
} from '../src/index.js';
import { logBatch, spanBatch } from './support/arbitraries.js';
import { decodeLogsRequest, decodeTraceRequest, parseJson, stock } from './support/oracle.js';

const RUNS = { numRuns: 300 };

describe('spans', () => {
  // One encoder for every run: its reused buffer and its resource/scope caches are exercised too.
  const protobuf = new ProtobufTraceEncoder();
  const json = new JsonTraceEncoder();

  it('protobuf: decodes to what ProtobufTraceSerializer’s bytes decode to, and is the same bytes', () => {
    fc.assert(
      fc.property(spanBatch, (spans) => {
        const ours = protobuf.encode(spans);
        const theirs = stock.traceProtobuf(spans);
        expect(decodeTraceRequest(ours)).toEqual(decodeTraceRequest(theirs));
        expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
      }),
      RUNS,
    );
  });

  it('JSON: parses to what JsonTraceSerializer’s JSON parses to, and is the same bytes', () => {
    fc.assert(
      fc.property(spanBatch, (spans) => {
        const ours = json.encode(spans);
        const theirs = stock.traceJson(spans);
        expect(parseJson(ours)).toEqual(parseJson(theirs));
        expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
      }),
      RUNS,
    );
  });
});

describe('log records', () => {
  const protobuf = new ProtobufLogsEncoder();
  const json = new JsonLogsEncoder();

  it('protobuf: decodes to what ProtobufLogsSerializer’s bytes decode to, and is the same bytes', () => {
    fc.assert(
      fc.property(logBatch, (records) => {
        const ours = protobuf.encode(records);
        const theirs = stock.logsProtobuf(records);
        expect(decodeLogsRequest(ours)).toEqual(decodeLogsRequest(theirs));
        expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
      }),
      RUNS,
    );
  });

  it('JSON: parses to what JsonLogsSerializer’s JSON parses to, and is the same bytes', () => {
    fc.assert(
      fc.property(logBatch, (records) => {
        const ours = json.encode(records);
        const theirs = stock.logsJson(records);
        expect(parseJson(ours)).toEqual(parseJson(theirs));
        expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
      }),
      RUNS,
    );
  });
});

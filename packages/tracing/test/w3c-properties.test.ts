// Properties of the W3C propagators over generated input: what we serialize we parse back
// identically, and, on what the specification calls valid, OpenTelemetry's stock parsers (an oracle
// we did not write) read our headers as we do.
import type { TextMapSetter } from '@opentelemetry/api';
import {
  baggageEntryMetadataFromString,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { TraceState as StockTraceState, W3CBaggagePropagator } from '@opentelemetry/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { W3CTraceState } from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';
import { headerGetter, summarize } from './support/carriers.js';

let tracing: TestTracing;
beforeAll(() => {
  tracing = createTestTracing();
});
afterAll(async () => {
  await tracing.shutdown();
});

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const keyTail = '[a-z0-9_\\-*/]';
const simpleKey = fc.stringMatching(new RegExp(`^[a-z]${keyTail}{0,40}$`));
const tenantKey = fc
  .tuple(
    fc.stringMatching(new RegExp(`^[a-z0-9]${keyTail}{0,30}$`)),
    fc.stringMatching(new RegExp(`^[a-z]${keyTail}{0,13}$`)),
  )
  .map(([tenant, system]) => `${tenant}@${system}`);
const stateValue = fc.stringMatching(
  /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,40}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/,
);
const ows = fc.stringMatching(/^[ \t]{0,2}$/);
const stateMembers = fc.uniqueArray(fc.tuple(fc.oneof(simpleKey, tenantKey), stateValue), {
  maxLength: 32,
  selector: ([key]) => key,
});

describe('tracestate', () => {
  it('parses back what it serializes, and reads a valid header as the stock parser does', () => {
    fc.assert(
      fc.property(stateMembers, fc.array(ows, { minLength: 66, maxLength: 66 }), (members, pad) => {
        const plain = members.map(([k, v]) => `${k}=${v}`).join(',');
        // The same list with optional whitespace around members and an empty member.
        const padded = `${pad[0]},${members.map(([k, v], i) => `${pad[i + 1]}${k}=${v}${pad[i + 33]}`).join(',')}`;
        const state = W3CTraceState.parse(padded);
        expect(state).toBeDefined();
        const serialized = state!.serialize();
        expect(W3CTraceState.parse(serialized)!.serialize()).toBe(serialized);
        expect(serialized.length).toBeLessThanOrEqual(512);
        if (plain.length <= 512) {
          expect(serialized).toBe(plain);
          expect(new StockTraceState(plain).serialize()).toBe(serialized);
        }
      }),
    );
  });
});

const hex = (n: number) =>
  fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)).filter((s) => !/^0+$/.test(s));

describe('traceparent', () => {
  it('what is injected from an extracted context is its version-00 form, known flags only', () => {
    fc.assert(
      fc.property(
        hex(32),
        hex(16),
        fc.integer({ min: 0, max: 255 }),
        fc.stringMatching(/^[0-9a-f]{2}$/).filter((v) => v !== 'ff'),
        fc.stringMatching(/^(-[a-z0-9]{1,8}){0,2}$/),
        (traceId, spanId, flags, version, future) => {
          const byte = flags.toString(16).padStart(2, '0');
          const header = `${version}-${traceId}-${spanId}-${byte}${version === '00' ? '' : future}`;
          const extracted = propagation.extract(
            ROOT_CONTEXT,
            { traceparent: header },
            headerGetter,
          );
          expect(summarize(extracted)).toEqual({
            traceId,
            spanId,
            traceFlags: flags & 3,
            tracestate: null,
          });
          const headers: Record<string, string> = {};
          propagation.inject(extracted, headers, setter);
          const known = (flags & 3).toString(16).padStart(2, '0');
          expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-${known}`);
          expect(trace.getSpanContext(extracted)?.isRemote).toBe(true);
        },
      ),
    );
  });
});

const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
const property = fc.oneof(
  token,
  fc
    .tuple(token, fc.stringMatching(/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{0,8}$/))
    .map(([k, v]) => `${k}=${v}`),
);
const baggageEntries = fc.uniqueArray(
  fc.record({
    key: token,
    value: fc.string({ unit: 'grapheme', maxLength: 12 }),
    properties: fc.option(
      fc.array(property, { minLength: 1, maxLength: 3 }).map((p) => p.join(';')),
      {
        nil: undefined,
      },
    ),
  }),
  { maxLength: 30, selector: (e) => e.key },
);

describe('baggage', () => {
  it('extracts what it injects, and the stock propagator reads our header the same way', () => {
    const stock = new W3CBaggagePropagator();
    fc.assert(
      fc.property(baggageEntries, (generated) => {
        let baggage = propagation.createBaggage();
        for (const { key, value, properties } of generated) {
          baggage = baggage.setEntry(
            key,
            properties === undefined
              ? { value }
              : { value, metadata: baggageEntryMetadataFromString(properties) },
          );
        }
        const headers: Record<string, string> = {};
        propagation.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), headers, setter);
        const read = (ctx = propagation.extract(ROOT_CONTEXT, headers, headerGetter)) =>
          (propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([key, e]) => ({
            key,
            value: e.value,
            properties: e.metadata?.toString(),
          }));
        expect(read()).toEqual(generated);
        // The oracle decodes keys, trims and drops empty values, and loses `__proto__` (it
        // fills a plain object); on the rest it must agree.
        const comparable = generated.filter(
          (e) =>
            !e.key.includes('%') &&
            e.key !== '__proto__' &&
            e.value.trim() !== '' &&
            e.value === e.value.trim(),
        );
        const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
        const theirs = read(stock.extract(ROOT_CONTEXT, headers, headerGetter)).filter((e) =>
          comparable.some((c) => c.key === e.key),
        );
        // It fills a plain object, so integer-like keys come first: compare as sets.
        expect(theirs.sort(byKey)).toEqual(comparable.sort(byKey));
      }),
    );
  });
});

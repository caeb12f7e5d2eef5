import { describe, expect, it } from 'vitest';
import manifest from '../package.json' with { type: 'json' };
import {
  MAX_BAGGAGE_LENGTH,
  MAX_TRACESTATE_LENGTH,
  normalizeMethod,
  redactQuery,
  SCOPE_NAME,
  SCOPE_VERSION,
  sanitizeCarrier,
} from '../src/internal.js';

describe('sanitizeCarrier', () => {
  const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('keeps the three propagation headers and nothing else', () => {
    expect(
      sanitizeCarrier({ traceparent: tp, tracestate: 'a=1', baggage: 'k=v', authorization: 'x' }),
    ).toEqual({
      traceparent: tp,
      tracestate: 'a=1',
      baggage: 'k=v',
    });
    expect(sanitizeCarrier({ authorization: 'x' })).toBeUndefined();
  });

  it.each([
    ['a repeated traceparent (array)', { traceparent: [tp, tp] }, {}],
    ['an oversized traceparent', { traceparent: `${tp}${'0'.repeat(600)}` }, {}],
    [
      'an oversized tracestate',
      { traceparent: tp, tracestate: 'a='.padEnd(MAX_TRACESTATE_LENGTH + 1, 'x') },
      { traceparent: tp },
    ],
    ['a tracestate without traceparent', { tracestate: 'a=1', baggage: 'k=v' }, { baggage: 'k=v' }],
    ['an oversized baggage', { baggage: 'k='.padEnd(MAX_BAGGAGE_LENGTH + 1, 'v') }, {}],
  ])('drops %s', (_, headers, expected) => {
    expect(sanitizeCarrier(headers)).toEqual(expected);
  });

  it('leaves the member rules and limits of baggage to the propagator (W3C Baggage §Limits)', () => {
    // 181 members, or one over 8192 bytes, still has members to propagate (at least 64): the
    // propagator keeps 180 of them and 8192 bytes, it is not dropped whole here.
    for (const baggage of [
      Array.from({ length: 181 }, (_, i) => `k${i}=v`).join(','),
      'k='.padEnd(8193, 'v'),
      `k=v${','.repeat(400)}`,
    ]) {
      expect(sanitizeCarrier({ baggage })).toEqual({ baggage });
    }
  });

  it('leaves the member rules of tracestate to the propagator (empty members are allowed)', () => {
    // W3C Trace Context §3.3.1.1: empty members are valid, so commas do not count members.
    const tracestate = `a=1${','.repeat(40)}b=2`;
    expect(sanitizeCarrier({ traceparent: tp, tracestate })).toEqual({
      traceparent: tp,
      tracestate,
    });
  });

  it('joins repeated tracestate and baggage headers', () => {
    expect(
      sanitizeCarrier({ traceparent: tp, tracestate: ['a=1', 'b=2'], baggage: ['x=1', 'y=2'] }),
    ).toEqual({
      traceparent: tp,
      tracestate: 'a=1,b=2',
      baggage: 'x=1,y=2',
    });
  });
});

describe('redactQuery', () => {
  it.each([
    ['token=abc', 'token=REDACTED'],
    ['a=1&b=2', 'a=REDACTED&b=REDACTED'],
    ['flag&x=', 'flag&x=REDACTED'],
    ['watch&labelSelector=app%3Dweb', 'watch&labelSelector=REDACTED'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'REDACTED'],
    ['s3cr3t-token-value-0123456789abcdef0123', 'REDACTED'],
    ['Bearer%20abc=1', 'REDACTED=REDACTED'],
    ['x'.repeat(3000), 'REDACTED'],
  ])('%s -> %s', (query, expected) => {
    expect(redactQuery(query)).toBe(expected);
  });
});

describe('normalizeMethod', () => {
  it.each([
    ['GET', 'GET'],
    ['post', 'POST'],
    ['PROPFIND', '_OTHER'],
    ['', '_OTHER'],
  ])('%s -> %s', (method, expected) => {
    expect(normalizeMethod(method)).toBe(expected);
  });
});

describe('scope', () => {
  it('is read from package.json', () => {
    expect(SCOPE_NAME).toBe(manifest.name);
    expect(SCOPE_VERSION).toBe(manifest.version);
  });
});

import { describe, expect, it } from 'vitest';
import type { RequestCellStore } from '../src/request-cells-index.js';
import { REQUEST_CELLS, requestCellStoreOf } from '../src/request-cells-index.js';

describe('requestCellStoreOf', () => {
  const store: RequestCellStore = { requestMetrics: () => undefined };

  it('finds the store a provider carries under the well-known symbol', () => {
    expect(REQUEST_CELLS).toBe(Symbol.for('@datum-telemetry/request-cells.v1'));
    expect(requestCellStoreOf({ getMeter() {}, [REQUEST_CELLS]: store })).toBe(store);
    const fn = Object.assign(() => undefined, { [REQUEST_CELLS]: store });
    expect(requestCellStoreOf(fn)).toBe(store);
  });

  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('no');
      },
    },
  );
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', 'provider'],
    ['a provider without cells', { getMeter() {} }],
    ['a symbol holding a number', { [REQUEST_CELLS]: 5 }],
    ['a symbol holding null', { [REQUEST_CELLS]: null }],
    ['a store without requestMetrics()', { [REQUEST_CELLS]: { requestMetrics: 'no' } }],
    ['a provider whose property read throws', throwing],
  ])('gives undefined for %s', (_what, provider) => {
    expect(requestCellStoreOf(provider)).toBeUndefined();
  });
});

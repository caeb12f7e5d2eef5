import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withSpan } from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';

let tracing: TestTracing;

beforeEach(() => {
  tracing = createTestTracing();
});

afterEach(async () => {
  await tracing.shutdown();
});

function someWork(): void {
  withSpan('ReconcileVirtualMachine', () => {
    withSpan('GetVirtualMachine', () => undefined);
    try {
      withSpan('UpdateVirtualMachine', { attributes: { 'resource.name': 'vm-1' } }, () => {
        throw new Error('conflict');
      });
    } catch {
      // recorded on the span
    }
  });
}

describe('the testing entry point', () => {
  it('getSpans, findSpan and spanTree show what was recorded', () => {
    someWork();
    expect(tracing.getSpans().map((s) => s.name)).toEqual([
      'GetVirtualMachine',
      'UpdateVirtualMachine',
      'ReconcileVirtualMachine',
    ]);
    expect(tracing.findSpan('UpdateVirtualMachine')?.attributes['resource.name']).toBe('vm-1');
    expect(tracing.findSpan('DeleteVirtualMachine')).toBeUndefined();
    expect(tracing.spanTree({ attributes: true })).toMatchObject([
      {
        name: 'ReconcileVirtualMachine',
        children: [
          { name: 'GetVirtualMachine', status: 'UNSET' },
          {
            name: 'UpdateVirtualMachine',
            status: 'ERROR',
            attributes: { 'resource.name': 'vm-1' },
          },
        ],
      },
    ]);
  });

  it('reset forgets the spans', () => {
    someWork();
    tracing.reset();
    expect(tracing.getSpans()).toEqual([]);
    expect(tracing.spanTree()).toEqual([]);
  });

  it('assertSpan passes on a match and throws a readable error that shows the tree', () => {
    someWork();
    expect(
      tracing.assertSpan('UpdateVirtualMachine', {
        status: 'ERROR',
        parent: 'ReconcileVirtualMachine',
        exception: true,
      }).name,
    ).toBe('UpdateVirtualMachine');
    expect(() => tracing.assertSpan('DeleteVirtualMachine')).toThrow(
      [
        'expected a span named "DeleteVirtualMachine", found none; the finished spans are:',
        '  ReconcileVirtualMachine (internal, UNSET)',
        '    GetVirtualMachine (internal, UNSET)',
        '    UpdateVirtualMachine (internal, ERROR)',
      ].join('\n'),
    );
    expect(() =>
      tracing.assertSpan('GetVirtualMachine', {
        status: 'ERROR',
        kind: 'server',
        parent: null,
        attributes: { 'resource.name': 'vm-2' },
      }),
    ).toThrow(
      'span "GetVirtualMachine": kind is internal, expected server; status is UNSET, expected ERROR; attribute resource.name is undefined, expected "vm-2"; parent is "ReconcileVirtualMachine", expected none;',
    );
    expect(() => tracing.assertNoSpan('GetVirtualMachine')).toThrow(
      'expected no span named "GetVirtualMachine"',
    );
    expect(() => tracing.assertNoSpan('DeleteVirtualMachine')).not.toThrow();
  });

  it('registerGlobal: false records only what its own tracer starts', async () => {
    const local = createTestTracing({ registerGlobal: false });
    try {
      withSpan('GetVirtualMachine', () => undefined);
      local.tracer().startSpan('ListVirtualMachine').end();
      expect(local.getSpans().map((s) => s.name)).toEqual(['ListVirtualMachine']);
      expect(tracing.getSpans().map((s) => s.name)).toEqual(['GetVirtualMachine']);
    } finally {
      await local.shutdown();
    }
  });
});

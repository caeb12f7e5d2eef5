import { ConventionError } from '@datum-telemetry/conventions';
import type { Span } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  OutgoingInstrumentationOptions,
  SpanHelperOptions,
  SpanHelpersOptions,
} from '../src/index.js';
import {
  createSpanHelper,
  createSpanHelpers,
  instrumentOutgoingFetch,
  resourceAttributes,
  withSpan,
} from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';
import type { DiagCapture } from './support/diag.js';
import { captureDiag } from './support/diag.js';

let tracing: TestTracing;
let logs: DiagCapture;

beforeEach(() => {
  logs = captureDiag();
  tracing = createTestTracing();
});

afterEach(async () => {
  await tracing.shutdown();
  logs.restore();
});

const vm = {
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm-1', namespace: 'default' },
};

describe('span names', () => {
  it('names the span {Operation}{Resource} from the object form, the string form and a helper', () => {
    withSpan({ operation: 'reconcile', kind: 'VirtualMachine' }, () => undefined);
    withSpan('GetVirtualMachine', () => undefined);
    const create = createSpanHelper({ operation: 'Create', kind: 'VirtualMachine' });
    create(() => undefined);
    expect(create.spanName).toBe('CreateVirtualMachine');
    expect(tracing.getSpans().map((s) => s.name)).toEqual([
      'ReconcileVirtualMachine',
      'GetVirtualMachine',
      'CreateVirtualMachine',
    ]);
    expect(logs.warnings).toEqual([]);
  });

  it.each([
    [{ operation: 'Frobnicate', kind: 'VirtualMachine' }, 'span.name.verb'],
    [{ operation: 'Create', kind: 'virtual_machine' }, 'span.name.resource'],
    [{ operation: 'Get', kind: 'VirtualMachine12345' }, 'span.name.high-cardinality'],
    ['VirtualMachineCreate', 'span.name.verb'],
    ['GET /apis/x', 'span.name.http-format'],
    ['', 'span.name.empty'],
  ])('createSpanHelper(%j) throws a ConventionError with rule %s', (options, rule) => {
    let thrown: unknown;
    try {
      createSpanHelper(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConventionError);
    expect((thrown as ConventionError).findings.map((f) => f.rule)).toContain(rule);
  });

  it('accepts extra verbs, from createSpanHelpers or from the helper options', () => {
    const helpers = createSpanHelpers({ verbs: ['Drain'] });
    helpers.withSpan({ operation: 'Drain', kind: 'Node' }, () => undefined);
    helpers.createSpanHelper({ operation: 'Drain', kind: 'Node' })(() => undefined);
    createSpanHelper({ operation: 'Quarantine', kind: 'Node', verbs: ['Quarantine'] })(
      () => undefined,
    );
    expect(tracing.getSpans().map((s) => s.name)).toEqual([
      'DrainNode',
      'DrainNode',
      'QuarantineNode',
    ]);
    expect(logs.warnings).toEqual([]);
    expect(() => createSpanHelpers({ verbs: ['drain'] })).toThrow(ConventionError);
  });

  it('at run time, an invalid name warns once per name through diag and still runs the function', () => {
    const results = [1, 2, 3].map((n) => withSpan('reconcile_vm', () => n * 2));
    withSpan({ operation: 'Frobnicate', kind: 'VirtualMachine' }, () => undefined);
    withSpan({ operation: 'Frobnicate', kind: 'VirtualMachine' }, () => undefined);
    expect(results).toEqual([2, 4, 6]);
    expect(tracing.getSpans().map((s) => s.name)).toEqual([
      'reconcile_vm',
      'reconcile_vm',
      'reconcile_vm',
      'FrobnicateVirtualMachine',
      'FrobnicateVirtualMachine',
    ]);
    expect(logs.warnings).toHaveLength(2);
    expect(logs.warnings[0]).toContain('span.name.pascal-case');
    expect(logs.warnings[1]).toContain('Frobnicate');
  });

  it('warns about a kind that was not declared, without failing', () => {
    const helpers = createSpanHelpers({ kinds: ['VirtualMachine'] });
    helpers.withSpan('CreateRouter', () => undefined);
    expect(tracing.findSpan('CreateRouter')).toBeDefined();
    expect(logs.warnings.join('\n')).toContain('span.name.unknown-kind');
  });

  it('rejects a helper option that is not a span kind or attributes object at creation', () => {
    expect(() =>
      createSpanHelper({ operation: 'Get', kind: 'VirtualMachine', spanKind: 9 as SpanKind }),
    ).toThrow(/spanKind: got 9; expected a SpanKind/);
    expect(() =>
      createSpanHelper({
        operation: 'Get',
        kind: 'VirtualMachine',
        attributes: 'x' as unknown as Record<string, string>,
      }),
    ).toThrow(/^createSpanHelper\.attributes: got "x"; expected an object of attribute values$/);
  });

  // Issue 14, defect 6: a misspelt option was ignored, and the error then blamed `undefined`.
  it.each<[string, unknown, string]>([
    [
      'kind misspelt',
      { operation: 'Reconcile', knd: 'VirtualMachine' },
      'createSpanHelper.knd: unknown option; did you mean "kind"?',
    ],
    [
      'kind missing',
      { operation: 'Reconcile' },
      'createSpanHelper.kind: is missing; expected a non-empty string',
    ],
    [
      'verbs not strings',
      { operation: 'Drain', kind: 'Node', verbs: [1] },
      'createSpanHelper.verbs[0]: got 1; expected a string',
    ],
    [
      'not an object',
      42,
      "createSpanHelper: got 42; expected { operation, kind } such as { operation: 'Reconcile', kind: 'VirtualMachine' }, or a span name",
    ],
  ])('createSpanHelper: %s is a ConfigError naming the option', (_, options, message) => {
    expect(() => createSpanHelper(options as SpanHelperOptions)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message }),
    );
  });

  it('createSpanHelpers rejects a misspelt option', () => {
    expect(() => createSpanHelpers({ verb: ['Drain'] } as unknown as SpanHelpersOptions)).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: 'verb: unknown option; did you mean "verbs"?',
      }),
    );
  });
});

describe('running a function in a span', () => {
  it('sync: returns the value, the span is active inside and ended once with status UNSET', () => {
    let inside: Span | undefined;
    const value = withSpan('GetVirtualMachine', (span) => {
      inside = trace.getActiveSpan();
      expect(span.isRecording()).toBe(true);
      return 42;
    });
    expect(value).toBe(42);
    expect(inside?.spanContext().spanId).toBe(
      tracing.findSpan('GetVirtualMachine')?.spanContext().spanId,
    );
    expect(trace.getActiveSpan()).toBeUndefined();
    tracing.assertSpan('GetVirtualMachine', { status: 'UNSET', exception: false, parent: null });
    expect(tracing.getSpans()).toHaveLength(1);
  });

  it('async: resolves with the value and ends the span after the promise settles', async () => {
    let ended = true;
    const value = await withSpan('ListVirtualMachine', async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      ended = !span.isRecording();
      return 'done';
    });
    expect(value).toBe('done');
    expect(ended).toBe(false);
    tracing.assertSpan('ListVirtualMachine', { status: 'UNSET' });
  });

  it('throw: rethrows the identical error and records it on the span', () => {
    const error = new TypeError('bad spec');
    let caught: unknown;
    try {
      withSpan('ValidateVirtualMachine', () => {
        throw error;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(error);
    const span = tracing.assertSpan('ValidateVirtualMachine', {
      status: 'ERROR',
      exception: true,
      attributes: { 'error.type': 'TypeError' },
    });
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad spec' });
    const event = span.events.find((e) => e.name === 'exception');
    expect(event?.attributes?.['exception.message']).toBe('bad spec');
    expect(event?.attributes?.['exception.type']).toBe('TypeError');
    expect(tracing.getSpans()).toHaveLength(1);
  });

  it('reject: rejects with the identical error and records it on the span', async () => {
    class NotFoundError extends Error {}
    const error = new NotFoundError('vm-1 not found');
    const helper = createSpanHelper({ operation: 'Get', kind: 'VirtualMachine' });
    await expect(
      helper(async () => {
        await Promise.resolve();
        throw error;
      }),
    ).rejects.toBe(error);
    tracing.assertSpan('GetVirtualMachine', {
      status: 'ERROR',
      exception: true,
      attributes: { 'error.type': 'NotFoundError' },
    });
  });

  it('a thrown non-Error value is rethrown as is and recorded as _OTHER', () => {
    expect(() =>
      withSpan('DeleteVirtualMachine', () => {
        throw 'plain string';
      }),
    ).toThrow('plain string');
    const span = tracing.assertSpan('DeleteVirtualMachine', {
      status: 'ERROR',
      attributes: { 'error.type': '_OTHER' },
    });
    expect(span.status.message).toBe('plain string');
  });

  it('a span the function ended itself is not ended twice (no diag warning, exported once)', async () => {
    withSpan('StopVirtualMachine', (span) => span.end());
    await withSpan('StartVirtualMachine', async (span) => {
      span.end();
      throw new Error('after end');
    }).catch(() => undefined);
    expect(tracing.getSpans().map((s) => s.name)).toEqual([
      'StopVirtualMachine',
      'StartVirtualMachine',
    ]);
    expect(logs.warnings).toEqual([]);
  });

  it('sets start attributes and span kind, and helper attributes per call', () => {
    withSpan(
      'GetVirtualMachine',
      { attributes: resourceAttributes(vm), spanKind: SpanKind.SERVER },
      () => undefined,
    );
    const reconcile = createSpanHelper({
      operation: 'Reconcile',
      kind: 'VirtualMachine',
      attributes: { 'controller.name': 'vm' },
    });
    reconcile(resourceAttributes(vm), () => undefined);
    tracing.assertSpan('GetVirtualMachine', {
      kind: 'server',
      attributes: { 'resource.name': 'vm-1', 'resource.kind': 'VirtualMachine' },
    });
    tracing.assertSpan('ReconcileVirtualMachine', {
      kind: 'internal',
      attributes: {
        'controller.name': 'vm',
        'resource.name': 'vm-1',
        'resource.namespace': 'default',
        'resource.apiVersion': 'compute.datumapis.com/v1alpha1',
        'resource.kind': 'VirtualMachine',
      },
    });
  });

  it('a missing function is a TypeError', () => {
    const call = withSpan as unknown as (name: string) => unknown;
    expect(() => call('GetVirtualMachine')).toThrow(TypeError);
  });
});

describe('nesting', () => {
  it('spans started inside a helper are its children, across awaits', async () => {
    const reconcile = createSpanHelper({ operation: 'Reconcile', kind: 'VirtualMachine' });
    await reconcile(async () => {
      await withSpan('GetVirtualMachine', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
      withSpan({ operation: 'Update', kind: 'VirtualMachine' }, () => {
        withSpan('PatchVirtualMachineStatus', () => undefined);
      });
    });
    withSpan('ListVirtualMachine', () => undefined);
    expect(tracing.spanTree()).toEqual([
      {
        name: 'ReconcileVirtualMachine',
        kind: 'internal',
        status: 'UNSET',
        children: [
          { name: 'GetVirtualMachine', kind: 'internal', status: 'UNSET', children: [] },
          {
            name: 'UpdateVirtualMachine',
            kind: 'internal',
            status: 'UNSET',
            children: [
              {
                name: 'PatchVirtualMachineStatus',
                kind: 'internal',
                status: 'UNSET',
                children: [],
              },
            ],
          },
        ],
      },
      { name: 'ListVirtualMachine', kind: 'internal', status: 'UNSET', children: [] },
    ]);
    const [reconcileSpan, list] = [
      tracing.findSpan('ReconcileVirtualMachine'),
      tracing.findSpan('ListVirtualMachine'),
    ];
    expect(list?.spanContext().traceId).not.toBe(reconcileSpan?.spanContext().traceId);
  });

  it('the helpers work with a provider registered after they were created', async () => {
    const early = createSpanHelper({ operation: 'Sync', kind: 'VirtualMachine' });
    await tracing.shutdown();
    early(() => undefined); // no provider: a no-op span, the function still runs
    const second = createTestTracing();
    try {
      expect(early(() => 'ran')).toBe('ran');
      expect(second.getSpans().map((s) => s.name)).toEqual(['SyncVirtualMachine']);
    } finally {
      await second.shutdown();
    }
  });

  it('the helper leaves the caller context untouched', () => {
    const before = context.active();
    withSpan('GetVirtualMachine', () => undefined);
    expect(context.active()).toBe(before);
  });
});

describe('resourceAttributes', () => {
  it('gives the resource.* attributes of an object and nothing for junk', () => {
    expect(resourceAttributes(vm)).toEqual({
      'resource.name': 'vm-1',
      'resource.namespace': 'default',
      'resource.apiVersion': 'compute.datumapis.com/v1alpha1',
      'resource.kind': 'VirtualMachine',
    });
    expect(resourceAttributes(null)).toEqual({});
    expect(resourceAttributes({ metadata: { name: 42 } } as never)).toEqual({});
  });
});

describe('the outgoing instrumentations check their options at once', () => {
  it.each<[string, unknown, string]>([
    [
      'a misspelt option',
      { ignroe: () => false },
      'instrumentOutgoingFetch.ignroe: unknown option; did you mean "ignore"?',
    ],
    [
      'ignore that is not a function',
      { ignore: true },
      'instrumentOutgoingFetch.ignore: got true; expected a function (request) => boolean',
    ],
  ])('%s is a ConfigError', (_, options, message) => {
    expect(() => instrumentOutgoingFetch(options as OutgoingInstrumentationOptions)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message }),
    );
  });
});

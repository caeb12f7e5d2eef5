// Random spans and log records of every shape the encoders meet: fast-check arbitraries.
import { TraceState } from '@opentelemetry/core';
import fc from 'fast-check';

/** Text with any UTF-16 code unit, lone surrogates included. */
export const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
  fc.string({ minLength: 120, maxLength: 400 }),
);

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
export const traceId = hex(32);
export const spanId = hex(16);

export const hrTime = fc.tuple(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.integer({ min: 0, max: 999_999_999 }),
);

/** Numbers of every kind the int/double decision sees. */
export const anyNumber = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 62,
    2 ** 63,
    -(2 ** 63),
    -(2 ** 63) - 4096,
    2 ** 64,
    1e300,
    -1e-300,
    0.1,
    4294967295,
    4294967296,
    -1,
  ),
);

const primitive = fc.oneof(anyText, fc.boolean(), anyNumber);

/** Every AnyValue shape: primitives, arrays (holes and nulls included), bytes, nested maps. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    fc.constantFrom(null, undefined),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(fc.oneof(primitive, fc.constant(null), fc.constant(undefined)), { maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Attributes as the trace SDK keeps them (primitives and homogeneous arrays) and beyond. */
export const attributes = fc.dictionary(
  fc.oneof(fc.constantFrom('http.request.method', 'url.path', 'service.name'), anyText),
  fc.oneof(primitive, anyValue),
  { maxKeys: 8 },
);

const traceState = fc
  .option(fc.constantFrom('vendor=value', 'a=1,b=2', 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'), {
    nil: undefined,
  })
  .map((s) => (s === undefined ? undefined : new TraceState(s)));

export const spanContext = fc.record({
  traceId,
  spanId,
  traceFlags: fc.integer({ min: 0, max: 255 }),
  isRemote: fc.option(fc.boolean(), { nil: undefined }),
  traceState,
});

const count = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 }));

/** Pools of resources and scopes a batch's items point into (several of each in one batch). */
export const pools = fc.record({
  resources: fc.array(
    fc.record({
      attributes,
      schemaUrl: fc.option(fc.constantFrom('', 'https://opentelemetry.io/schemas/1.26.0'), {
        nil: undefined,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  scopes: fc
    .array(
      fc.record({
        version: fc.option(fc.constantFrom('1.0.0', '', '2.3.4-rc.1'), { nil: undefined }),
        schemaUrl: fc.option(fc.constantFrom('', 'https://opentelemetry.io/schemas/1.26.0'), {
          nil: undefined,
        }),
        attributes: fc.option(attributes, { nil: undefined }),
        droppedAttributesCount: fc.option(count, { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    )
    // Distinct names: one scope object per name, version and schema URL, as the SDK hands out.
    .map((scopes) => scopes.map((scope, i) => ({ name: `scope-${i}`, ...scope }))),
});

const spanShape = fc.record({
  resource: fc.nat(),
  scope: fc.nat(),
  name: anyText,
  kind: fc.integer({ min: 0, max: 4 }),
  context: spanContext,
  parent: fc.option(spanContext, { nil: undefined }),
  startTime: hrTime,
  endTime: hrTime,
  status: fc.record(
    {
      code: fc.integer({ min: 0, max: 2 }),
      message: fc.option(anyText, { nil: undefined }),
    },
    { requiredKeys: ['code'] },
  ),
  attributes,
  events: fc.array(
    fc.record(
      {
        time: hrTime,
        name: anyText,
        attributes: fc.option(attributes, { nil: undefined }),
        droppedAttributesCount: fc.option(count, { nil: undefined }),
      },
      { requiredKeys: ['time', 'name'] },
    ),
    { maxLength: 3 },
  ),
  links: fc.array(
    fc.record(
      {
        context: spanContext,
        attributes: fc.option(attributes, { nil: undefined }),
        droppedAttributesCount: fc.option(count, { nil: undefined }),
      },
      { requiredKeys: ['context'] },
    ),
    { maxLength: 3 },
  ),
  droppedAttributesCount: count,
  droppedEventsCount: count,
  droppedLinksCount: count,
});

/** A batch of ReadableSpan-shaped objects over shared resource and scope objects. */
export const spanBatch = fc
  .tuple(pools, fc.array(spanShape, { minLength: 1, maxLength: 12 }))
  .map(([{ resources, scopes }, shapes]) =>
    shapes.map(({ resource, scope, context, parent, ...span }) => ({
      ...span,
      resource: resources[resource % resources.length]!,
      instrumentationScope: scopes[scope % scopes.length]!,
      spanContext: () => context,
      parentSpanContext: parent,
      duration: [0, 0] as [number, number],
      ended: true,
    })),
  );

const logShape = fc.record(
  {
    resource: fc.nat(),
    scope: fc.nat(),
    hrTime,
    hrTimeObserved: hrTime,
    spanContext: fc.option(spanContext, { nil: undefined }),
    severityNumber: fc.option(fc.integer({ min: 0, max: 24 }), { nil: undefined }),
    severityText: fc.option(fc.constantFrom('', 'INFO', 'ERROR', 'trace2'), { nil: undefined }),
    body: fc.option(anyValue, { nil: undefined }),
    eventName: fc.option(fc.constantFrom('', 'session.start', 'ü.event'), { nil: undefined }),
    attributes: fc.dictionary(anyText, anyValue, { maxKeys: 6 }),
    droppedAttributesCount: count,
  },
  {
    requiredKeys: [
      'resource',
      'scope',
      'hrTime',
      'hrTimeObserved',
      'attributes',
      'droppedAttributesCount',
    ],
  },
);

/** A batch of ReadableLogRecord-shaped objects over shared resource and scope objects. */
export const logBatch = fc
  .tuple(pools, fc.array(logShape, { minLength: 1, maxLength: 12 }))
  .map(([{ resources, scopes }, shapes]) =>
    shapes.map(({ resource, scope, ...record }) => ({
      ...record,
      resource: resources[resource % resources.length]!,
      instrumentationScope: scopes[scope % scopes.length]!,
    })),
  );

// Random ResourceMetrics of every point kind the metrics encoders meet, with and without
// exemplars: fast-check arbitraries over the shapes of @opentelemetry/sdk-metrics 3.1.
import fc from 'fast-check';
import { anyNumber, anyText, attributes, hrTime, pools, spanId, traceId } from './arbitraries.js';

const count = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(2 ** 32, 2 ** 40 + 7));
const optionalNumber = fc.option(anyNumber, { nil: undefined });

/** Exemplar attributes: what a View filtered out of a measurement. */
export const exemplarAttributes = fc.dictionary(
  fc.constantFrom('http.route', 'user.id', 'k'),
  fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()),
  { maxKeys: 3 },
);

/** A valid exemplar: ids present (or both absent), a finite value, a time. */
export const validExemplar = fc.oneof(
  fc.record({
    value: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    time: hrTime,
    traceId: traceId.filter((id) => !/^0+$/.test(id)),
    spanId: spanId.filter((id) => !/^0+$/.test(id)),
    filteredAttributes: exemplarAttributes,
  }),
  fc.record({ value: fc.integer(), time: hrTime, filteredAttributes: exemplarAttributes }),
);

/** Exemplars a producer got wrong: each must be dropped, never crash the encoder. */
export const badExemplar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, 1, 'exemplar', [], {}),
  validExemplar.map((e) => ({ ...e, value: Number.NaN })),
  validExemplar.map((e) => ({ ...e, value: Number.POSITIVE_INFINITY })),
  validExemplar.map((e) => ({ ...e, value: '1.5' })),
  validExemplar.map((e) => ({ ...e, time: undefined })),
  validExemplar.map((e) => ({ ...e, time: [1, 1e9] })),
  validExemplar.map((e) => ({
    ...e,
    traceId: 'not-hex-not-hex-not-hex-not-hex!',
    spanId: 'eee19b7ec3c1b174',
  })),
  validExemplar.map((e) => ({ ...e, traceId: '0'.repeat(32), spanId: 'eee19b7ec3c1b174' })),
  validExemplar.map((e) => ({ ...e, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'abc' })),
  validExemplar.map((e) => ({
    ...e,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: undefined,
  })),
);

const exemplars = fc.option(fc.array(fc.oneof(validExemplar, badExemplar), { maxLength: 4 }), {
  nil: undefined,
});

const point = <T>(value: fc.Arbitrary<T>, withExemplars: boolean) =>
  fc
    .record({ startTime: hrTime, endTime: hrTime, attributes, value, exemplars })
    .map(({ exemplars: list, ...rest }) =>
      withExemplars && list !== undefined ? { ...rest, exemplars: list } : rest,
    );

const histogramValue = fc.array(fc.double({ noNaN: true }), { maxLength: 6 }).chain((boundaries) =>
  fc.record(
    {
      buckets: fc.record({
        boundaries: fc.constant(boundaries),
        counts: fc.array(count, {
          minLength: boundaries.length + 1,
          maxLength: boundaries.length + 1,
        }),
      }),
      count,
      sum: optionalNumber,
      min: optionalNumber,
      max: optionalNumber,
    },
    { requiredKeys: ['buckets', 'count'] },
  ),
);

const exponentialBuckets = fc.record({
  offset: fc.integer({ min: -2000, max: 2000 }),
  bucketCounts: fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 6 }),
});

const exponentialValue = fc.record(
  {
    count,
    sum: optionalNumber,
    scale: fc.integer({ min: -10, max: 20 }),
    zeroCount: count,
    positive: exponentialBuckets,
    negative: exponentialBuckets,
    min: optionalNumber,
    max: optionalNumber,
  },
  { requiredKeys: ['count', 'scale', 'zeroCount', 'positive', 'negative'] },
);

const descriptor = fc.record({
  name: anyText,
  description: fc.constantFrom('', 'Duration of HTTP server requests.', 'ü'),
  unit: fc.constantFrom('', 's', '{request}'),
  valueType: fc.constantFrom(0, 1),
});
// SDK temporalities (0 delta, 1 cumulative), and one the transformer leaves out.
const temporality = fc.constantFrom(0, 1, 7);

const metric = (withExemplars: boolean) =>
  fc.oneof(
    fc.record({
      descriptor,
      aggregationTemporality: temporality,
      dataPointType: fc.constant(3),
      isMonotonic: fc.boolean(),
      dataPoints: fc.array(point(anyNumber, withExemplars), { maxLength: 4 }),
    }),
    fc.record({
      descriptor,
      aggregationTemporality: temporality,
      dataPointType: fc.constant(2),
      dataPoints: fc.array(point(anyNumber, withExemplars), { maxLength: 4 }),
    }),
    fc.record({
      descriptor,
      aggregationTemporality: temporality,
      dataPointType: fc.constant(0),
      dataPoints: fc.array(point(histogramValue, withExemplars), { maxLength: 3 }),
    }),
    fc.record({
      descriptor,
      aggregationTemporality: temporality,
      dataPointType: fc.constant(1),
      dataPoints: fc.array(point(exponentialValue, withExemplars), { maxLength: 3 }),
    }),
  );

/** A ResourceMetrics-shaped object: one resource, scopes from the pool, metrics of every kind. */
export const resourceMetrics = (withExemplars: boolean) =>
  fc
    .tuple(
      pools,
      fc.array(
        fc.record({ scope: fc.nat(), metrics: fc.array(metric(withExemplars), { maxLength: 4 }) }),
        {
          maxLength: 3,
        },
      ),
    )
    .map(([{ resources, scopes }, scopeMetrics]) => ({
      resource: resources[0]!,
      scopeMetrics: scopeMetrics.map(({ scope, metrics }) => ({
        scope: scopes[scope % scopes.length]!,
        metrics,
      })),
    }));

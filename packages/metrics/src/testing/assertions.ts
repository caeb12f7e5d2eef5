import type { Attributes } from '@opentelemetry/api';
import type {
  MetricExpectation,
  PointExpectation,
  TestMetric,
  TestMetrics,
  TestPoint,
} from '../types.js';
import { formatDiff, stableJson } from './diff.js';

type Source = Pick<TestMetrics, 'collect'>;

const POINT_FIELDS: readonly (keyof PointExpectation)[] = [
  'value',
  'count',
  'sum',
  'min',
  'max',
  'explicitBounds',
  'bucketCounts',
];

function sameAttributes(a: Attributes, b: Attributes): boolean {
  return stableJson(a) === stableJson(b);
}

/** The point cut down to the fields the expectation names, so the diff shows only those. */
function projected(point: TestPoint, expected: PointExpectation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of POINT_FIELDS) {
    if (expected[field] !== undefined) out[field] = point[field];
  }
  return out;
}

function expectedFields(expected: PointExpectation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of POINT_FIELDS) {
    if (expected[field] !== undefined) out[field] = expected[field];
  }
  return out;
}

async function find(
  source: Source,
  name: string,
): Promise<{ metric?: TestMetric; names: string[] }> {
  const all = await source.collect();
  return { metric: all.find((m) => m.name === name), names: all.map((m) => m.name) };
}

/**
 * Throws unless the metric was recorded and matches the expectation (fields that are given; with
 * `points`, the exact set of series). The error shows a line diff of expected and actual. Works with
 * any test framework: it only throws an Error.
 */
export async function assertMetric(
  source: Source,
  name: string,
  expected: MetricExpectation = {},
): Promise<TestMetric> {
  const { metric, names } = await find(source, name);
  if (metric === undefined) {
    throw new Error(
      `expected metric ${name} to be recorded, but it was not; recorded: ${names.length === 0 ? '(nothing)' : names.join(', ')}`,
    );
  }
  const wanted: Record<string, unknown> = {};
  const got: Record<string, unknown> = {};
  for (const field of ['kind', 'unit', 'description', 'valueType'] as const) {
    if (expected[field] !== undefined) {
      wanted[field] = expected[field];
      got[field] = metric[field];
    }
  }
  if (expected.points !== undefined) {
    const sortKey = (p: { attributes: Attributes }) => stableJson(p.attributes);
    const expectedPoints = [...expected.points].sort((x, y) =>
      sortKey(x).localeCompare(sortKey(y)),
    );
    wanted.points = expectedPoints.map((p) => ({ attributes: p.attributes, ...expectedFields(p) }));
    const remaining = [...metric.points];
    const actualPoints: ({ attributes: Attributes } & Record<string, unknown>)[] = [];
    for (const p of expectedPoints) {
      const index = remaining.findIndex((point) => sameAttributes(point.attributes, p.attributes));
      if (index >= 0) {
        const [point] = remaining.splice(index, 1);
        actualPoints.push({ attributes: point!.attributes, ...projected(point!, p) });
      }
    }
    for (const point of remaining) actualPoints.push({ ...point });
    got.points = actualPoints.sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  }
  if (stableJson(wanted) !== stableJson(got)) {
    throw new Error(`metric ${name} does not match:\n${formatDiff(wanted, got)}`);
  }
  return metric;
}

/**
 * Throws unless the metric has a series with exactly these attributes whose given fields match.
 * Returns the point.
 */
export async function assertPoint(
  source: Source,
  name: string,
  attributes: Attributes,
  expected: PointExpectation,
): Promise<TestPoint> {
  const { metric, names } = await find(source, name);
  if (metric === undefined) {
    throw new Error(
      `expected metric ${name} to be recorded, but it was not; recorded: ${names.length === 0 ? '(nothing)' : names.join(', ')}`,
    );
  }
  const point = metric.points.find((p) => sameAttributes(p.attributes, attributes));
  if (point === undefined) {
    throw new Error(
      `metric ${name} has no series with attributes ${stableJson(attributes).replace(/\s+/g, ' ')}; it has:\n${metric.points.map((p) => `  ${stableJson(p.attributes).replace(/\s+/g, ' ')}`).join('\n') || '  (no series)'}`,
    );
  }
  const wanted = expectedFields(expected);
  const got = projected(point, expected);
  if (stableJson(wanted) !== stableJson(got)) {
    throw new Error(
      `metric ${name} ${stableJson(attributes).replace(/\s+/g, ' ')} does not match:\n${formatDiff(wanted, got)}`,
    );
  }
  return point;
}

/** Throws when the metric was recorded. */
export async function assertNoMetric(source: Source, name: string): Promise<void> {
  const { metric } = await find(source, name);
  if (metric !== undefined) {
    throw new Error(
      `expected no metric ${name}, but it has ${metric.points.length} series:\n${formatDiff([], metric.points)}`,
    );
  }
}

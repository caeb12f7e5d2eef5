import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SpanKindName, SpanStatusName } from './span-tree.js';
import { buildSpanTree, formatSpanTree, kindName, statusName } from './span-tree.js';

/** What `assertSpan` checks; every field is optional. */
export interface ExpectedSpan {
  readonly kind?: SpanKindName;
  readonly status?: SpanStatusName;
  /** Attributes the span must have with these values (others are allowed). */
  readonly attributes?: Attributes;
  /** Name of the span's parent among the finished spans; `null` for a root span. */
  readonly parent?: string | null;
  /** Whether the span has an `exception` event. */
  readonly exception?: boolean;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function describe(spans: readonly ReadableSpan[]): string {
  return `the finished spans are:\n${formatSpanTree(buildSpanTree(spans))}`;
}

/**
 * Finds the span named `name` and checks it; throws an error that says what differs and shows
 * every finished span as a tree. Returns the span for further checks.
 */
export function assertSpan(
  spans: readonly ReadableSpan[],
  name: string,
  expected: ExpectedSpan = {},
): ReadableSpan {
  const matches = spans.filter((s) => s.name === name);
  if (matches.length === 0) {
    throw new Error(`expected a span named "${name}", found none; ${describe(spans)}`);
  }
  if (matches.length > 1) {
    throw new Error(
      `expected one span named "${name}", found ${matches.length}; ${describe(spans)}`,
    );
  }
  const span = matches[0]!;
  const problems: string[] = [];
  if (expected.kind !== undefined && kindName(span.kind) !== expected.kind) {
    problems.push(`kind is ${kindName(span.kind)}, expected ${expected.kind}`);
  }
  if (expected.status !== undefined && statusName(span.status.code) !== expected.status) {
    problems.push(`status is ${statusName(span.status.code)}, expected ${expected.status}`);
  }
  for (const [key, value] of Object.entries(expected.attributes ?? {})) {
    if (!same(span.attributes[key], value)) {
      problems.push(
        `attribute ${key} is ${JSON.stringify(span.attributes[key])}, expected ${JSON.stringify(value)}`,
      );
    }
  }
  if (expected.parent !== undefined) {
    const parentId = span.parentSpanContext?.spanId;
    const parent = spans.find((s) => s.spanContext().spanId === parentId);
    const actual = parent?.name ?? null;
    if (actual !== expected.parent) {
      problems.push(
        `parent is ${actual === null ? 'none (a root span)' : `"${actual}"`}, expected ${expected.parent === null ? 'none' : `"${expected.parent}"`}`,
      );
    }
  }
  if (expected.exception !== undefined) {
    const has = span.events.some((e) => e.name === 'exception');
    if (has !== expected.exception) {
      problems.push(has ? 'has an exception event, expected none' : 'has no exception event');
    }
  }
  if (problems.length > 0) {
    throw new Error(`span "${name}": ${problems.join('; ')}; ${describe(spans)}`);
  }
  return span;
}

/** Throws when a span named `name` was finished. */
export function assertNoSpan(spans: readonly ReadableSpan[], name: string): void {
  if (spans.some((s) => s.name === name)) {
    throw new Error(`expected no span named "${name}"; ${describe(spans)}`);
  }
}

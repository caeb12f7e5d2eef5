import type { Attributes } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** Span kind as a word. */
export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
/** Span status code as a word. */
export type SpanStatusName = 'UNSET' | 'OK' | 'ERROR';

/** One span in a `spanTree()`: plain data, easy to compare with `toEqual`. */
export interface SpanTreeNode {
  readonly name: string;
  readonly kind: SpanKindName;
  readonly status: SpanStatusName;
  readonly children: SpanTreeNode[];
}

/** Options of `spanTree`. */
export interface SpanTreeOptions {
  /** Include each span's attributes. The default value is `false` (easier `toEqual`). */
  readonly attributes?: boolean;
}

/** A `SpanTreeNode` with its attributes (`spanTree({ attributes: true })`). */
export interface SpanTreeNodeWithAttributes extends SpanTreeNode {
  readonly attributes: Attributes;
  readonly children: SpanTreeNodeWithAttributes[];
}

export function kindName(kind: SpanKind): SpanKindName {
  return (SpanKind[kind] ?? 'INTERNAL').toLowerCase() as SpanKindName;
}

export function statusName(code: SpanStatusCode): SpanStatusName {
  return code === SpanStatusCode.ERROR ? 'ERROR' : code === SpanStatusCode.OK ? 'OK' : 'UNSET';
}

function startOrder(a: ReadableSpan, b: ReadableSpan): number {
  return a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
}

/**
 * Parent/child structure of finished spans as nested plain objects. Roots are spans whose parent
 * is not among them (a new trace, or a remote parent); siblings are in start order.
 */
export function buildSpanTree(
  spans: readonly ReadableSpan[],
  options: { readonly attributes: true },
): SpanTreeNodeWithAttributes[];
export function buildSpanTree(
  spans: readonly ReadableSpan[],
  options?: SpanTreeOptions,
): SpanTreeNode[];
export function buildSpanTree(
  spans: readonly ReadableSpan[],
  options: SpanTreeOptions = {},
): SpanTreeNode[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const children = new Map<string, ReadableSpan[]>();
  const roots: ReadableSpan[] = [];
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    if (parent !== undefined && ids.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(span);
      children.set(parent, list);
    } else {
      roots.push(span);
    }
  }
  const node = (span: ReadableSpan): SpanTreeNode => {
    const kids = (children.get(span.spanContext().spanId) ?? []).sort(startOrder).map(node);
    const base = {
      name: span.name,
      kind: kindName(span.kind),
      status: statusName(span.status.code),
    };
    if (!options.attributes) return { ...base, children: kids };
    const withAttributes: SpanTreeNodeWithAttributes = {
      ...base,
      attributes: { ...span.attributes },
      children: kids as SpanTreeNodeWithAttributes[],
    };
    return withAttributes;
  };
  return roots.sort(startOrder).map(node);
}

/** The tree as indented text, for error messages. */
export function formatSpanTree(nodes: readonly SpanTreeNode[], depth = 1): string {
  if (nodes.length === 0 && depth === 1) return '  (no spans)';
  return nodes
    .map(
      (n) =>
        `${'  '.repeat(depth)}${n.name} (${n.kind}, ${n.status})${n.children.length > 0 ? `\n${formatSpanTree(n.children, depth + 1)}` : ''}`,
    )
    .join('\n');
}

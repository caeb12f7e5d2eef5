export type { ExpectedSpan } from './assertions.js';
export { assertNoSpan, assertSpan } from './assertions.js';
export type {
  SpanKindName,
  SpanStatusName,
  SpanTreeNode,
  SpanTreeNodeWithAttributes,
  SpanTreeOptions,
} from './span-tree.js';
export { buildSpanTree, formatSpanTree } from './span-tree.js';
export type { TestTracing, TestTracingOptions } from './test-tracing.js';
export { createTestTracing } from './test-tracing.js';

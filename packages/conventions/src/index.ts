export type { ExceptionAttributes } from './error-type.js';
export { errorType, exceptionAttributes, OTHER_ERROR_TYPE } from './error-type.js';
export type { Finding, FindingLevel, FindingSubject } from './findings.js';
export { ConventionError, formatFindings, hasViolations } from './findings.js';
export { HTTP_METHODS, httpRequestMethod } from './http-methods.js';
export type {
  KubernetesObjectLike,
  LogFieldName,
  ResourceIdentity,
  ResourceLogFields,
} from './log-fields.js';
export {
  addResourceFields,
  checkAttributeKey,
  checkLogFields,
  isSensitiveKey,
  LogField,
  resourceLogFields,
  SENSITIVE_KEY_PATTERN,
  STANDARD_LOG_FIELDS,
  TRACE_LOG_FIELDS,
} from './log-fields.js';
export type { InstrumentKind, MetricNameCheckOptions } from './metric-names.js';
export {
  assertMetricName,
  checkMetricName,
  checkServiceName,
  INSTRUMENT_KINDS,
  isMetricSegment,
  MAX_METRIC_NAME_LENGTH,
  prometheusSeriesNames,
  toPrometheusLabelName,
  toPrometheusName,
  toServiceSegment,
} from './metric-names.js';
export type { MetricNameLiteral, NameError, SpanNameLiteral } from './name-types.js';
export { metricName, spanName } from './name-types.js';
export type { RequestMetricNames } from './request-metric-names.js';
export {
  activeRequestsMetricName,
  DEFAULT_REQUEST_DURATION_BUCKETS,
  requestMetricNames,
} from './request-metric-names.js';
export { MAX_RESOURCE_PATH_LENGTH } from './resource-path.js';
export type {
  ResourceDeclaration,
  ResourceDefinition,
  ResourceMatch,
  ResourceOperation,
  ResourcePath,
  ResourceRegistry,
  ResourceScope,
} from './routes.js';
export {
  createResourceRegistry,
  isWatchQuery,
  parseResourcePath,
  resourceOperation,
} from './routes.js';
export type { DroppedItems } from './self-metric-names.js';
export { droppedItemsMetricName } from './self-metric-names.js';
export type {
  BuiltSpanName,
  DefaultVerb,
  SpanNameCheckOptions,
  SpanNameOptions,
} from './span-names.js';
export {
  assertSpanName,
  buildSpanName,
  checkSpanName,
  DEFAULT_VERBS,
  httpSpanName,
  MAX_SPAN_NAME_LENGTH,
  spanNameVerb,
  toPascalCase,
} from './span-names.js';
export {
  NON_BASE_UNIT_WORDS,
  NON_BASE_UNITS,
  UNIT_NAME_WORDS,
  UNIT_WORDS,
  unitForName,
} from './units.js';

import type { Finding } from './findings.js';
import { finding, quote } from './findings.js';

/** The standard log field names (seed): use these keys, never `name` or `resourceName`. */
export const LogField = Object.freeze({
  ResourceName: 'resource.name',
  ResourceNamespace: 'resource.namespace',
  ResourceApiVersion: 'resource.apiVersion',
  ResourceKind: 'resource.kind',
  Operation: 'operation',
  Error: 'error',
  TraceId: 'trace_id',
  SpanId: 'span_id',
  TraceFlags: 'trace_flags',
} as const);

/** One of the {@link LogField} values. */
export type LogFieldName = (typeof LogField)[keyof typeof LogField];

/** The resource and operation fields every log line about a resource carries. */
export const STANDARD_LOG_FIELDS: readonly LogFieldName[] = Object.freeze([
  LogField.ResourceName,
  LogField.ResourceNamespace,
  LogField.ResourceApiVersion,
  LogField.ResourceKind,
  LogField.Operation,
  LogField.Error,
]);

/** The fields that tie a log line to its span. */
export const TRACE_LOG_FIELDS: readonly LogFieldName[] = Object.freeze([
  LogField.TraceId,
  LogField.SpanId,
  LogField.TraceFlags,
]);

/** A Kubernetes-style object, as far as its identity goes. Everything is optional. */
export interface KubernetesObjectLike {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown } | null;
}

/** The `resource.*` log fields of an object. */
export interface ResourceLogFields {
  'resource.name'?: string;
  'resource.namespace'?: string;
  'resource.apiVersion'?: string;
  'resource.kind'?: string;
}

const MAX_FIELD_LENGTH = 253;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0
    ? value.slice(0, MAX_FIELD_LENGTH)
    : undefined;
}

/** A resource's identity as flat fields (a matched route's, a request's override). */
export interface ResourceIdentity {
  readonly kind?: unknown;
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly apiVersion?: unknown;
}

/**
 * Writes the `resource.*` fields of `resource` into `target`: the one mapping from a resource to its
 * fields, for log fields and span attributes alike. Values that are not non-empty strings are left
 * out; the others are cut to 253 characters (the longest Kubernetes name). Writes into the caller's
 * object, so that the request path builds one object per log line or span, not two.
 */
export function addResourceFields(
  target: Record<string, unknown>,
  resource: ResourceIdentity,
): void {
  const name = text(resource.name);
  const namespace = text(resource.namespace);
  const apiVersion = text(resource.apiVersion);
  const kind = text(resource.kind);
  if (name !== undefined) target['resource.name'] = name;
  if (namespace !== undefined) target['resource.namespace'] = namespace;
  if (apiVersion !== undefined) target['resource.apiVersion'] = apiVersion;
  if (kind !== undefined) target['resource.kind'] = kind;
}

/**
 * The `resource.*` fields of a Kubernetes-style object (`apiVersion`, `kind`, `metadata.name`,
 * `metadata.namespace`). Missing or non-string values are left out; `null`, `undefined` and
 * non-objects give `{}`, so this is safe on request bodies.
 */
export function resourceLogFields(
  object: KubernetesObjectLike | null | undefined,
): ResourceLogFields {
  const out: ResourceLogFields = {};
  if (object === null || typeof object !== 'object') return out;
  try {
    const metadata = object.metadata;
    const inner = metadata && typeof metadata === 'object' ? metadata : undefined;
    addResourceFields(out as Record<string, unknown>, {
      name: inner?.name,
      namespace: inner?.namespace,
      apiVersion: object.apiVersion,
      kind: object.kind,
    });
  } catch {
    // A getter that throws (a proxy, a hostile body) gives no fields rather than an error.
  }
  return out;
}

const NONSTANDARD: Readonly<Record<string, string>> = Object.freeze({
  name: LogField.ResourceName,
  resource_name: LogField.ResourceName,
  resourcename: LogField.ResourceName,
  namespace: LogField.ResourceNamespace,
  ns: LogField.ResourceNamespace,
  resource_namespace: LogField.ResourceNamespace,
  resourcenamespace: LogField.ResourceNamespace,
  apiversion: LogField.ResourceApiVersion,
  api_version: LogField.ResourceApiVersion,
  resource_apiversion: LogField.ResourceApiVersion,
  kind: LogField.ResourceKind,
  resource_kind: LogField.ResourceKind,
  resourcekind: LogField.ResourceKind,
  op: LogField.Operation,
  action: LogField.Operation,
  err: LogField.Error,
  exception: LogField.Error,
  traceid: LogField.TraceId,
  'trace.id': LogField.TraceId,
  spanid: LogField.SpanId,
  'span.id': LogField.SpanId,
  traceflags: LogField.TraceFlags,
});

/** Key words that mark a field or attribute as secret. */
export const SENSITIVE_KEY_PATTERN =
  /(^|[._-])(pass(word|wd)?|secret|token|api[._-]?key|apikey|authorization|auth|cookie|set[._-]cookie|session[._-]?id|private[._-]?key|credentials?)($|[._-])/i;

/** True when a field or attribute key names a secret (`password`, `api_key`, `authorization`, ...). */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY_PATTERN.test(key.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

/**
 * Checks the field names of one log record: resource fields under non-standard names
 * (`name` instead of `resource.name`), and fields that name secrets. Values are not checked.
 */
export function checkLogFields(record: Readonly<Record<string, unknown>>): Finding[] {
  const out: Finding[] = [];
  if (record === null || typeof record !== 'object') return out;
  for (const key of Object.keys(record)) {
    const standard = NONSTANDARD[key.toLowerCase()];
    if (standard !== undefined && standard !== key && !(standard in record)) {
      out.push(
        finding(
          'log.field.standard-name',
          'log',
          key,
          `log field ${quote(key)} is a standard field under another name: use ${quote(standard)}`,
          standard,
        ),
      );
    }
    if (isSensitiveKey(key)) {
      out.push(
        finding(
          'log.field.sensitive',
          'log',
          key,
          `log field ${quote(key)} names a secret: never log it; drop the field or redact its value`,
        ),
      );
    }
  }
  return out;
}

const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
/** The seed's `resource.apiVersion` is the one camelCase key the conventions define. */
const ATTRIBUTE_KEY_EXCEPTIONS = new Set<string>([LogField.ResourceApiVersion]);

/**
 * Checks a span or metric attribute key: lower-case dot-separated namespaces with `_` between words
 * (`http.request.method`, `resource.namespace`), the OpenTelemetry attribute naming rule.
 */
export function checkAttributeKey(key: string): Finding[] {
  if (
    typeof key === 'string' &&
    (ATTRIBUTE_KEY.test(key) || ATTRIBUTE_KEY_EXCEPTIONS.has(key)) &&
    key.length <= 255
  ) {
    return isSensitiveKey(key)
      ? [
          finding(
            'attribute.key.sensitive',
            'attribute',
            key,
            `attribute ${quote(key)} names a secret: never record it`,
          ),
        ]
      : [];
  }
  const shown = String(key);
  const fixed = shown
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._]+|[._]+$/g, '');
  return [
    finding(
      'attribute.key.format',
      'attribute',
      shown,
      `attribute key ${quote(shown)} is not lower-case dot-separated words (\`http.request.method\`)${fixed ? `; use ${quote(fixed)}` : ''}`,
      fixed || undefined,
    ),
  ];
}

import type { OtlpResource, OtlpScope } from './readable.js';

/** Items of one batch grouped by resource, then by instrumentation scope. */
export type ResourceGroups<T> = Map<OtlpResource, Map<OtlpScope, T[]>>;

/**
 * Groups a batch by resource and then by scope, each by object identity, in first-seen order, as
 * OTLP asks (one ResourceSpans per resource, one ScopeSpans per scope) and as
 * `@opentelemetry/otlp-transformer`'s protobuf serializers do. The SDK hands out one scope object
 * per tracer or logger, so identity is the scope.
 */
export function groupByResourceAndScope<
  T extends { readonly resource: OtlpResource; readonly instrumentationScope: OtlpScope },
>(items: readonly T[]): ResourceGroups<T> {
  const groups: ResourceGroups<T> = new Map();
  let lastResource: OtlpResource | undefined;
  let lastScope: OtlpScope | undefined;
  let lastList: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const resource = item.resource;
    const scope = item.instrumentationScope;
    // A batch is mostly runs of one resource and scope: skip the two lookups for those.
    if (resource === lastResource && scope === lastScope && lastList !== undefined) {
      lastList.push(item);
      continue;
    }
    let scopes = groups.get(resource);
    if (scopes === undefined) {
      scopes = new Map();
      groups.set(resource, scopes);
    }
    let list = scopes.get(scope);
    if (list === undefined) {
      list = [];
      scopes.set(scope, list);
    }
    list.push(item);
    lastResource = resource;
    lastScope = scope;
    lastList = list;
  }
  return groups;
}

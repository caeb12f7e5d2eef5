import type { ResourceMatch } from '@datum-telemetry/conventions';
import { addResourceFields } from '@datum-telemetry/conventions';
import type { RequestTelemetry, ResourceOverride } from './types.js';

/**
 * The resource identity a request is about, once matched or overridden: what `rec.resource` shows,
 * plus its span name. The registry's route template is not kept: `http.route` is the framework's.
 */
export type Identity = NonNullable<RequestTelemetry['resource']> & {
  readonly spanName: string;
};

/** The identity of a registry match (a copy: the match belongs to the registry's cache). */
export function identityOf(match: ResourceMatch): Identity {
  return {
    kind: match.kind,
    operation: match.operation,
    short: match.short,
    name: match.name,
    namespace: match.namespace,
    apiVersion: match.apiVersion,
    spanName: match.spanName,
  };
}

/**
 * The identity after `setResource(resource)`: what the override leaves out is kept from the
 * previous identity (`short` only when the kind is the same, since it names the kind's metrics).
 */
export function overriddenIdentity(
  previous: Identity | undefined,
  resource: ResourceOverride,
): Identity {
  return {
    kind: resource.kind,
    operation: resource.operation,
    short: resource.short ?? (previous?.kind === resource.kind ? previous.short : undefined),
    name: resource.name ?? previous?.name,
    namespace: resource.namespace ?? previous?.namespace,
    apiVersion: resource.apiVersion ?? previous?.apiVersion,
    spanName: `${resource.operation}${resource.kind}`,
  };
}

/**
 * The `resource.*` fields and `operation` of a request: the same on its span, its request-scoped
 * logger and its access log line. The `resource.*` mapping is the one of
 * `@datum-telemetry/conventions`, which logs of any other resource use too.
 */
export function addIdentityFields(target: Record<string, unknown>, id: Identity | undefined): void {
  if (id === undefined) return;
  addResourceFields(target, id);
  target.operation = id.operation;
}

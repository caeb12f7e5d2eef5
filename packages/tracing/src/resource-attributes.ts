import type { KubernetesObjectLike } from '@datum-telemetry/conventions';
import { resourceLogFields } from '@datum-telemetry/conventions';
import type { Attributes } from '@opentelemetry/api';

/**
 * `resource.name`, `resource.namespace`, `resource.apiVersion` and `resource.kind` of a
 * Kubernetes-style object, as span attributes. Safe on any input: missing fields are left out.
 */
export function resourceAttributes(object: KubernetesObjectLike | null | undefined): Attributes {
  return { ...resourceLogFields(object) };
}

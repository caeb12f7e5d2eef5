import type { Resource } from '@opentelemetry/resources';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { ResourceAttributes } from './types.js';

/**
 * The SDK resource for attributes from `resolveResourceAttributes`, with the SDK's own
 * `telemetry.sdk.name`, `telemetry.sdk.language` and `telemetry.sdk.version`: the one resource that
 * spans, metrics and logs all carry.
 */
export function createResource(attributes: ResourceAttributes): Resource {
  return defaultResource().merge(resourceFromAttributes(attributes));
}

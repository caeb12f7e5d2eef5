import type { Attributes } from '@opentelemetry/api';

/**
 * A key for an attribute set that does not depend on key order: the same series the SDK's
 * `hashAttributes` finds (sorted entries, as JSON).
 */
export function attributesKey(attributes: Attributes): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((key) => [key, attributes[key]]),
  );
}

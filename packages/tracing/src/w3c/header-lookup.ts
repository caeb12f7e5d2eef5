import type { TextMapGetter } from '@opentelemetry/api';

/**
 * The value of header `name` whatever the case of its name in the carrier (§3.2.1 and §3.3.1 of
 * Trace Context: "Vendors MUST expect the header name in any case"). The getter is asked for the
 * lowercase name first; only when it has nothing are the carrier's keys compared.
 */
export function getHeader<C>(
  getter: TextMapGetter<C>,
  carrier: C,
  name: string,
): string | string[] | undefined {
  const value = getter.get(carrier, name);
  if (value !== undefined) return value;
  // Lengths first: most keys of a carrier are other headers, not worth lowercasing.
  for (const key of getter.keys(carrier)) {
    if (key.length === name.length && key !== name && key.toLowerCase() === name) {
      return getter.get(carrier, key);
    }
  }
  return undefined;
}

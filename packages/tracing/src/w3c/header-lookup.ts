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
  const key = getter.keys(carrier).find((k) => k !== name && k.toLowerCase() === name);
  return key === undefined ? undefined : getter.get(carrier, key);
}

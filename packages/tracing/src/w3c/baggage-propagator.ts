import type {
  Baggage,
  BaggageEntry,
  Context,
  TextMapGetter,
  TextMapPropagator,
  TextMapSetter,
} from '@opentelemetry/api';
import { baggageEntryMetadataFromString, propagation } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { BaggageMember } from './baggage-codec.js';
import { parseBaggage, serializeBaggage } from './baggage-codec.js';
import { getHeader } from './header-lookup.js';
import { combineListHeader } from './ows.js';

const BAGGAGE = 'baggage';

/**
 * `baggage` propagation to the letter of W3C Baggage: token keys, percent-encoded UTF-8 values
 * (invalid UTF-8 decoded as U+FFFD), properties kept as entry metadata, malformed members dropped
 * one by one, at most 180 members and 8192 bytes. When a key repeats, the last member wins (the
 * OpenTelemetry `Baggage` holds one entry per key). Never throws.
 */
export class BaggagePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined || isTracingSuppressed(context)) return;
    const members: BaggageMember[] = baggage.getAllEntries().map(([key, entry]) => ({
      key,
      value: entry.value,
      properties: entry.metadata?.toString(),
    }));
    const header = serializeBaggage(members);
    if (header !== '') setter.set(carrier, BAGGAGE, header);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = combineListHeader(getHeader(getter, carrier, BAGGAGE));
    if (header === undefined) return context;
    const members = parseBaggage(header);
    if (members.length === 0) return context;
    return propagation.setBaggage(context, toBaggage(members));
  }

  fields(): string[] {
    return [BAGGAGE];
  }
}

/**
 * The members as a `Baggage`, in the header's order (Baggage §baggage-string), the last member of
 * a key winning.
 */
function toBaggage(members: readonly BaggageMember[]): Baggage {
  const entries: Record<string, BaggageEntry> = {};
  for (const { key, value, properties } of members) {
    // A record puts integer-like keys first, and `__proto__` is no key of its own: with a key
    // that starts with a digit or is `__proto__`, entry by entry.
    const first = key.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39) || key === '__proto__') return entryByEntry(members);
    entries[key] = entry(value, properties);
  }
  return propagation.createBaggage(entries);
}

function entryByEntry(members: readonly BaggageMember[]): Baggage {
  let baggage = propagation.createBaggage();
  for (const { key, value, properties } of members) {
    baggage = baggage.setEntry(key, entry(value, properties));
  }
  return baggage;
}

function entry(value: string, properties: string | undefined): BaggageEntry {
  return properties === undefined
    ? { value }
    : { value, metadata: baggageEntryMetadataFromString(properties) };
}

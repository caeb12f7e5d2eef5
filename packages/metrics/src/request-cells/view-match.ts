import type { InstrumentType, ViewOptions } from '@opentelemetry/sdk-metrics';

/** The SDK's cardinality limit of a View that sets none. */
export const VIEW_DEFAULT_LIMIT = 2000;

/** An instrument as a View's selectors see it. */
export interface SelectedInstrument {
  readonly name: string;
  readonly type: InstrumentType;
  readonly unit: string;
  readonly meterName: string;
  readonly meterVersion: string;
}

const ESCAPE = /[\^$\\.+?()[\]{}|]/g;

/**
 * The SDK's instrument-name pattern (3.1.0 `PatternPredicate`): `*` alone matches every name;
 * otherwise the pattern is anchored, regular-expression characters other than `*` are literal, and
 * the first `*` matches any run of characters (a further `*` stays a regular-expression `*`, as in
 * the SDK). `view-match.test.ts` checks this against the SDK's own views.
 */
function nameMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  return new RegExp(`^${pattern.replace(ESCAPE, '\\$&').replace('*', '.*')}$`).test(name);
}

/** True when the SDK would apply `view` to the instrument (its `ViewRegistry.findViews`). */
export function viewSelects(view: ViewOptions, instrument: SelectedInstrument): boolean {
  return (
    (view.instrumentType === undefined || view.instrumentType === instrument.type) &&
    nameMatches(view.instrumentName ?? '*', instrument.name) &&
    (view.instrumentUnit === undefined || view.instrumentUnit === instrument.unit) &&
    (view.meterName === undefined || view.meterName === instrument.meterName) &&
    (view.meterVersion === undefined || view.meterVersion === instrument.meterVersion)
    // `meterSchemaUrl` is not compared: the SDK skips it for a meter without a schema URL, and the
    // middleware's meter has none.
  );
}

/**
 * True when the view changes nothing but the cardinality limit (what `cardinalityLimits` adds):
 * the cells can apply it. A view that renames, re-describes, re-aggregates or filters attributes
 * sends its instrument back to the SDK.
 */
export function onlyLimits(view: ViewOptions): boolean {
  return (
    view.name === undefined &&
    view.description === undefined &&
    view.aggregation === undefined &&
    (view.attributesProcessors === undefined || view.attributesProcessors.length === 0)
  );
}

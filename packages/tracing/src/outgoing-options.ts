import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import { TracerCache } from './tracer-cache.js';
import type { OutgoingInstrumentationOptions } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

const outgoingOptionRules: OptionsSchema<OutgoingInstrumentationOptions> = {
  ignore: rules.custom('a function (request) => boolean', (value) => typeof value === 'function'),
  tracerName: rules.nonEmptyString,
};

export interface ResolvedOutgoingOptions {
  readonly ignore: OutgoingInstrumentationOptions['ignore'];
  readonly tracers: TracerCache;
}

export function resolveOutgoingOptions(
  options: OutgoingInstrumentationOptions,
  what: string,
): ResolvedOutgoingOptions {
  validateOptions<OutgoingInstrumentationOptions>(
    options,
    outgoingOptionRules,
    what,
    'an options object such as { ignore: (request) => false }',
  );
  const tracerName = options.tracerName ?? PACKAGE_NAME;
  return {
    ignore: options.ignore,
    tracers: new TracerCache(tracerName, tracerName === PACKAGE_NAME ? PACKAGE_VERSION : undefined),
  };
}

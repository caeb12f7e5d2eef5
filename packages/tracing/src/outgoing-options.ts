import { TracerCache } from './tracer-cache.js';
import type { OutgoingInstrumentationOptions } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export interface ResolvedOutgoingOptions {
  readonly ignore: OutgoingInstrumentationOptions['ignore'];
  readonly tracers: TracerCache;
}

export function resolveOutgoingOptions(
  options: OutgoingInstrumentationOptions,
  what: string,
): ResolvedOutgoingOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `${what}: expected an options object such as { ignore: (request) => false }`,
    );
  }
  if (options.ignore !== undefined && typeof options.ignore !== 'function') {
    throw new TypeError(`${what}: ignore must be a function (request) => boolean`);
  }
  if (options.tracerName !== undefined && typeof options.tracerName !== 'string') {
    throw new TypeError(`${what}: tracerName must be a string`);
  }
  const tracerName = options.tracerName ?? PACKAGE_NAME;
  return {
    ignore: options.ignore,
    tracers: new TracerCache(tracerName, tracerName === PACKAGE_NAME ? PACKAGE_VERSION : undefined),
  };
}

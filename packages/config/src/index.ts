export { ConfigError } from './errors.js';
export { hasOtlpEndpoint, resolveExporterKind, resolveOtlpSettings } from './exporters.js';
export { readDurationMillis, readPositiveInteger } from './numbers.js';
export { isSdkDisabled, resolveResourceAttributes, resolveServiceName } from './resource.js';
export { resolveSampler } from './sampler.js';
export type { SignalHandle } from './signal-handle.js';
export { resolveDisabled } from './signal-handle.js';
export type {
  Env,
  ExporterKind,
  OtlpOptions,
  OtlpProtocol,
  OtlpSettings,
  ResourceAttributes,
  SamplerSettings,
  ServiceOptions,
  Signal,
} from './types.js';

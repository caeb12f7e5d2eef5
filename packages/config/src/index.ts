export { warnInvalidEnv } from './env-warning.js';
export { ConfigError } from './errors.js';
export {
  GRPC_EXPORTER_PACKAGES,
  hasOtlpEndpoint,
  otlpExporterOptionRules,
  otlpOptionRules,
  resolveExporterKind,
  resolveOtlpSettings,
  splitOtlpExporterOptions,
} from './exporters.js';
export { readDurationMillis, readPositiveInteger } from './numbers.js';
export {
  isSdkDisabled,
  resolveResourceAttributes,
  resolveServiceName,
  serviceOptionRules,
  UNKNOWN_SERVICE_NAME,
} from './resource.js';
export { resolveSampler, samplerOptionRules } from './sampler.js';
export type { SignalHandle } from './signal-handle.js';
export { resolveDisabled } from './signal-handle.js';
export type { SloContext, SloDeclaration, SloLatencyObjective, SloSection } from './slo.js';
export { checkSloSection, sloOptionRules } from './slo.js';
export type {
  Env,
  ExporterKind,
  GrpcExporterCheck,
  OtlpExporterImplementation,
  OtlpExporterOptions,
  OtlpOptions,
  OtlpProtocol,
  OtlpSettings,
  ResourceAttributes,
  SamplerSettings,
  ServiceOptions,
  Signal,
} from './types.js';
export type {
  OptionRule,
  OptionsSchema,
  RequiredOptionRule,
  RuleAlternative,
} from './validate.js';
export { checkOptionValues, didYouMean, is, rules, validateOptions } from './validate.js';

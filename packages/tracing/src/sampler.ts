import type { Env, SamplerSettings } from '@datum-telemetry/config';
import { resolveSampler } from '@datum-telemetry/config';
import type { Sampler } from '@opentelemetry/sdk-trace';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';

/** True for an SDK `Sampler` (an object with `shouldSample()`) passed as the option. */
export function isSampler(value: unknown): value is Sampler {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Sampler).shouldSample === 'function'
  );
}

function rootSampler(settings: SamplerSettings): Sampler {
  switch (settings.root) {
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(settings.ratio);
    default:
      return new AlwaysOnSampler();
  }
}

/** The SDK sampler for the `sampler` option, else `OTEL_TRACES_SAMPLER` / `_ARG`. */
export function buildSampler(
  option: Partial<SamplerSettings> | Sampler | undefined,
  env: Env,
): Sampler {
  if (isSampler(option)) return option;
  const settings = resolveSampler(option, env);
  const root = rootSampler(settings);
  return settings.parentBased ? new ParentBasedSampler({ root }) : root;
}

import { warnInvalidEnv } from './env-warning.js';
import type { Env, SamplerSettings } from './types.js';
import type { OptionsSchema } from './validate.js';
import { rules, validateOptions } from './validate.js';

const NAMED: Readonly<Record<string, Omit<SamplerSettings, 'ratio'>>> = {
  always_on: { root: 'always_on', parentBased: false },
  always_off: { root: 'always_off', parentBased: false },
  traceidratio: { root: 'traceidratio', parentBased: false },
  parentbased_always_on: { root: 'always_on', parentBased: true },
  parentbased_always_off: { root: 'always_off', parentBased: true },
  parentbased_traceidratio: { root: 'traceidratio', parentBased: true },
};
const DEFAULT_NAME = 'parentbased_always_on';
const DEFAULT_RATIO = 1;

/** The rules of the `sampler` settings object, for the schemas of the signal packages. */
export const samplerOptionRules: OptionsSchema<Partial<SamplerSettings>> = Object.freeze({
  root: rules.oneOf(['always_on', 'always_off', 'traceidratio']),
  parentBased: rules.boolean,
  ratio: rules.number(0, 1),
});

function fromEnv(env: Env): SamplerSettings {
  const raw = env.OTEL_TRACES_SAMPLER;
  const name = raw?.trim().toLowerCase();
  let named = NAMED[DEFAULT_NAME]!;
  if (name !== undefined && name !== '') {
    if (Object.hasOwn(NAMED, name)) {
      named = NAMED[name]!;
    } else {
      warnInvalidEnv(
        'OTEL_TRACES_SAMPLER',
        raw,
        `one of ${Object.keys(NAMED).join(', ')}`,
        `the default, ${DEFAULT_NAME}`,
      );
    }
  }
  const settings: SamplerSettings = { ...named, ratio: DEFAULT_RATIO };
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (named.root !== 'traceidratio' || arg === undefined || arg === '') return settings;
  const ratio = /^[0-9.]+$/.test(arg) ? Number(arg) : Number.NaN;
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return { ...settings, ratio };
  warnInvalidEnv(
    'OTEL_TRACES_SAMPLER_ARG',
    env.OTEL_TRACES_SAMPLER_ARG,
    'a number from 0 to 1',
    `the default ratio, ${DEFAULT_RATIO}`,
  );
  return settings;
}

/**
 * The sampler to build: code options first, then `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`.
 * The default is `parentbased_always_on` (a sampled parent's children are sampled, roots always).
 * An invalid option throws a `ConfigError`; an unknown sampler or a bad ratio in the environment is
 * reported through `diag.warn` and the default used.
 */
export function resolveSampler(
  option?: Partial<SamplerSettings>,
  env: Env = process.env,
): SamplerSettings {
  const settings = fromEnv(env);
  if (option === undefined) return settings;
  validateOptions<Partial<SamplerSettings>>(
    option,
    samplerOptionRules,
    'sampler',
    'an object such as { root: "traceidratio", ratio: 0.1 }',
  );
  return {
    root: option.root ?? (option.ratio !== undefined ? 'traceidratio' : settings.root),
    parentBased: option.parentBased ?? settings.parentBased,
    ratio: option.ratio ?? settings.ratio,
  };
}

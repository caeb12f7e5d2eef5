import { ConfigError, shown } from './errors.js';
import type { Env, SamplerSettings } from './types.js';

const NAMED: Readonly<Record<string, Omit<SamplerSettings, 'ratio'>>> = {
  always_on: { root: 'always_on', parentBased: false },
  always_off: { root: 'always_off', parentBased: false },
  traceidratio: { root: 'traceidratio', parentBased: false },
  parentbased_always_on: { root: 'always_on', parentBased: true },
  parentbased_always_off: { root: 'always_off', parentBased: true },
  parentbased_traceidratio: { root: 'traceidratio', parentBased: true },
};
const ROOTS = ['always_on', 'always_off', 'traceidratio'];

function checkRatio(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(option, `got ${shown(value)}; expected a number from 0 to 1`);
  }
  return value;
}

/**
 * The sampler to build: code options first, then `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`.
 * The default is `parentbased_always_on` (a sampled parent's children are sampled, roots always).
 * Throws a {@link ConfigError} for an unknown sampler or a ratio outside [0, 1].
 */
export function resolveSampler(
  option?: Partial<SamplerSettings>,
  env: Env = process.env,
): SamplerSettings {
  let settings: SamplerSettings = { root: 'always_on', parentBased: true, ratio: 1 };
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (name !== undefined && name !== '') {
    const named = NAMED[name];
    if (named === undefined) {
      throw new ConfigError(
        'OTEL_TRACES_SAMPLER',
        `got ${shown(env.OTEL_TRACES_SAMPLER)}; expected one of ${Object.keys(NAMED).join(', ')}`,
      );
    }
    settings = { ...named, ratio: 1 };
    const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
    if (named.root === 'traceidratio' && arg !== undefined && arg !== '') {
      settings = {
        ...settings,
        ratio: checkRatio('OTEL_TRACES_SAMPLER_ARG', /^[0-9.]+$/.test(arg) ? Number(arg) : arg),
      };
    }
  }
  if (option === undefined) return settings;
  if (option === null || typeof option !== 'object') {
    throw new ConfigError('sampler', `got ${shown(option)}; expected { root, parentBased, ratio }`);
  }
  if (option.root !== undefined && !ROOTS.includes(option.root)) {
    throw new ConfigError(
      'sampler.root',
      `got ${shown(option.root)}; expected one of ${ROOTS.join(', ')}`,
    );
  }
  if (option.parentBased !== undefined && typeof option.parentBased !== 'boolean') {
    throw new ConfigError(
      'sampler.parentBased',
      `got ${shown(option.parentBased)}; expected true or false`,
    );
  }
  const ratio =
    option.ratio === undefined ? settings.ratio : checkRatio('sampler.ratio', option.ratio);
  return {
    root: option.root ?? (option.ratio !== undefined ? 'traceidratio' : settings.root),
    parentBased: option.parentBased ?? settings.parentBased,
    ratio,
  };
}

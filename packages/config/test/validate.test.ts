import { describe, expect, it } from 'vitest';
import type { OptionsSchema } from '../src/index.js';
import { ConfigError, didYouMean, is, rules, validateOptions } from '../src/index.js';

interface Resource {
  readonly group: string;
  readonly kind: string;
  readonly short: string;
  readonly versions?: readonly string[];
}

interface Options {
  readonly name?: string;
  readonly enabled?: boolean;
  readonly ratio?: number;
  readonly mode?: 'fast' | 'safe';
  readonly resources?: readonly Resource[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly hook?: () => void;
  readonly target?: false | { readonly port?: number };
}

const resource: OptionsSchema<Resource> = {
  group: rules.required(rules.string),
  kind: rules.required(rules.nonEmptyString),
  short: rules.required(rules.nonEmptyString),
  versions: rules.arrayOf(rules.string, 'an array of versions'),
};

const schema: OptionsSchema<Options> = {
  name: rules.nonEmptyString,
  enabled: rules.boolean,
  ratio: rules.number(0, 1),
  mode: rules.oneOf(['fast', 'safe']),
  resources: rules.arrayOf(rules.object(resource), 'an array of { group, kind, short }'),
  headers: rules.record(rules.string, 'an object of string values'),
  hook: rules.function,
  target: rules.union(
    'false or { port }',
    [is.false, rules.any],
    [is.object, rules.object<{ readonly port?: number }>({ port: rules.integer(0, 65535) })],
  ),
};

function failure(value: unknown): ConfigError {
  try {
    validateOptions<Options>(value, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('validateOptions', () => {
  it('accepts valid options, and options left out', () => {
    const valid: Options = {
      name: 'x',
      enabled: false,
      ratio: 0,
      mode: 'safe',
      resources: [{ group: '', kind: 'VirtualMachine', short: 'vm', versions: ['v1'] }],
      headers: { 'x-a': '1' },
      hook: () => {},
      target: { port: 0 },
    };
    expect(() => validateOptions<Options>(valid, schema)).not.toThrow();
    expect(() =>
      validateOptions<Options>({ target: false, ratio: undefined }, schema),
    ).not.toThrow();
    expect(() => validateOptions<Options>({}, schema)).not.toThrow();
  });

  it.each<[string, unknown, string, string]>([
    ['a typo, top level', { enabeld: true }, 'enabeld', 'unknown option; did you mean "enabled"?'],
    ['a case slip', { Name: 'x' }, 'Name', 'unknown option; did you mean "name"?'],
    [
      'a typo in an array entry',
      { resources: [{ group: 'g', kind: 'Vm', shrt: 'vm' }] },
      'resources[0].shrt',
      'unknown option; did you mean "short"?',
    ],
    [
      'a typo in a union member',
      { target: { prot: 1 } },
      'target.prot',
      'unknown option; did you mean "port"?',
    ],
    [
      'nothing close',
      { colour: 'red' },
      'colour',
      'unknown option; expected one of name, enabled, ratio, mode, resources, headers, hook, target',
    ],
    [
      'an unknown key with an undefined value',
      { ratioo: undefined },
      'ratioo',
      'unknown option; did you mean "ratio"?',
    ],
    ['a wrong type', { enabled: 'no' }, 'enabled', 'got "no"; expected true or false'],
    ['out of range', { ratio: 2 }, 'ratio', 'got 2; expected a number from 0 to 1'],
    ['not one of', { mode: 'slow' }, 'mode', 'got "slow"; expected "fast" or "safe"'],
    ['an object for a string', { name: {} }, 'name', 'got an object; expected a non-empty string'],
    [
      'a required option missing',
      { resources: [{ group: 'g', kind: 'Vm' }] },
      'resources[0].short',
      'is missing; expected a non-empty string',
    ],
    [
      'a bad array item',
      { resources: [{ group: 'g', kind: 'Vm', short: 'vm', versions: ['v1', 2] }] },
      'resources[0].versions[1]',
      'got 2; expected a string',
    ],
    [
      'not an array',
      { resources: 'vm' },
      'resources',
      'got "vm"; expected an array of { group, kind, short }',
    ],
    [
      'a record value, by a key that is not an identifier',
      { headers: { 'x-request-id': 1 } },
      'headers["x-request-id"]',
      'got 1; expected a string',
    ],
    ['no union member fits', { target: true }, 'target', 'got true; expected false or { port }'],
    [
      'a union member rejects',
      { target: { port: -1 } },
      'target.port',
      'got -1; expected an integer from 0 to 65535',
    ],
    ['a function expected', { hook: 'x' }, 'hook', 'got "x"; expected a function'],
    ['options not an object', 'x', 'options', 'got "x"; expected an object'],
    ['options an array', [], 'options', 'got an array; expected an object'],
  ])('%s', (_, value, option, message) => {
    const error = failure(value);
    expect(error.option).toBe(option);
    expect(error.message).toBe(`${option}: ${message}`);
  });

  it('a path prefix names nested options from a part', () => {
    expect(() => validateOptions<Options>({ enabld: true }, schema, 'sampler')).toThrow(
      'sampler.enabld: unknown option; did you mean "enabled"?',
    );
  });
});

describe('didYouMean', () => {
  it.each([
    ['ignorePath', ['ignorePaths', 'incomingContext'], 'ignorePaths'],
    ['levle', ['level', 'stream'], 'level'],
    ['ratioo', ['root', 'parentBased', 'ratio'], 'ratio'],
    ['unti', ['name', 'kind', 'unit'], 'unit'],
    ['knd', ['operation', 'kind'], 'kind'],
    ['shrt', ['group', 'short'], 'short'],
    ['servce', ['service'], 'service'],
    ['prot', ['host', 'port'], 'port'],
    ['incomingContxt', ['ignorePaths', 'incomingContext'], 'incomingContext'],
    ['captureUnhandledError', ['captureUnhandledErrors'], 'captureUnhandledErrors'],
    ['redact', ['level', 'redactKeys'], 'redactKeys'],
    ['maxQueue', ['maxQueueSize', 'maxExportBatchSize'], 'maxQueueSize'],
    ['x', ['service', 'port'], undefined],
    ['serv', ['service', 'serve'], 'serve'],
    ['totallyDifferent', ['service'], undefined],
  ])('%s -> %s', (name, known, expected) => {
    expect(didYouMean(name, known)).toBe(expected);
  });
});

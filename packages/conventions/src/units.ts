/**
 * Unit words that may end a metric name, with the UCUM unit the instrument must then carry.
 * Only base units: Prometheus and OpenTelemetry both want seconds and bytes, never ms or KiB.
 */
export const UNIT_WORDS: Readonly<Record<string, string>> = Object.freeze({
  seconds: 's',
  bytes: 'By',
  bits: 'bit',
  percent: '%',
  ratio: '1',
  celsius: 'Cel',
  meters: 'm',
  grams: 'g',
  hertz: 'Hz',
  volts: 'V',
  amperes: 'A',
  watts: 'W',
  joules: 'J',
});

/** The unit word each UCUM unit asks for at the end of a name (`s` asks for `.seconds`). */
export const UNIT_NAME_WORDS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(UNIT_WORDS)
      .filter(([, unit]) => unit !== '1')
      .map(([word, unit]) => [unit, word]),
  ),
);

/**
 * Non-base or misspelt unit words, with the base word to use instead. A name ending in one of these
 * is a violation: `request.duration.milliseconds` becomes `request.duration.seconds` (and the values
 * are recorded in seconds).
 */
export const NON_BASE_UNIT_WORDS: Readonly<Record<string, string>> = Object.freeze({
  second: 'seconds',
  secs: 'seconds',
  sec: 'seconds',
  milliseconds: 'seconds',
  millis: 'seconds',
  ms: 'seconds',
  microseconds: 'seconds',
  us: 'seconds',
  nanoseconds: 'seconds',
  ns: 'seconds',
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  byte: 'bytes',
  kilobytes: 'bytes',
  kibibytes: 'bytes',
  megabytes: 'bytes',
  mebibytes: 'bytes',
  gigabytes: 'bytes',
  gibibytes: 'bytes',
  kb: 'bytes',
  kib: 'bytes',
  mb: 'bytes',
  mib: 'bytes',
  gb: 'bytes',
  gib: 'bytes',
  bit: 'bits',
  pct: 'percent',
  percentage: 'percent',
});

/** Non-base UCUM units, with the base unit to record in instead. */
export const NON_BASE_UNITS: Readonly<Record<string, string>> = Object.freeze({
  ms: 's',
  us: 's',
  ns: 's',
  min: 's',
  h: 's',
  d: 's',
  kBy: 'By',
  KBy: 'By',
  KiBy: 'By',
  MBy: 'By',
  MiBy: 'By',
  GBy: 'By',
  GiBy: 'By',
});

/** The UCUM unit that a metric name's unit word asks for, or `undefined` when it names no unit. */
export function unitForName(name: string): string | undefined {
  const segments = name.split('.');
  let last = segments[segments.length - 1];
  if (last === 'total' && segments.length > 1) last = segments[segments.length - 2];
  return last === undefined ? undefined : UNIT_WORDS[last];
}

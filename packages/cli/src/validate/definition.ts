import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SloSection } from '@datum-telemetry/config';
import { ConfigError, checkSloSection, didYouMean } from '@datum-telemetry/config';
import type { InstrumentKind } from '@datum-telemetry/conventions';
import {
  buildSpanName,
  ConventionError,
  checkServiceName,
  checkSpanName,
  DEFAULT_REQUEST_DURATION_BUCKETS,
  INSTRUMENT_KINDS,
  isMetricSegment,
  requestMetricNames,
} from '@datum-telemetry/conventions';
import type {
  MetricDefinitionJson,
  MetricsDefinitionJson,
  ResourceDefinitionJson,
} from '@datum-telemetry/metrics';
import { CliError } from '../errors.js';
import type {
  DeclaredMetric,
  DeclaredOperation,
  DeclaredResource,
  TelemetryDefinition,
  TelemetryDefinitionInput,
} from '../types.js';

/**
 * The format `defineMetrics(...).toJSON()` writes. Typed by the format's home, so that a new
 * version there fails this build until the CLI reads it.
 */
const METRICS_FORMAT: MetricsDefinitionJson['format'] = 'datum-telemetry.metrics/v1';

/** The data formats a definition file may declare: the metrics format, or it with spans. */
export const DEFINITION_FORMATS: readonly NonNullable<TelemetryDefinitionInput['format']>[] =
  Object.freeze([METRICS_FORMAT, 'datum-telemetry.definition/v1']);

/** The keys of a definition, of its metrics, resources and operations: the format's, and ours. */
const DEFINITION_KEYS = [
  'format',
  'service',
  'metrics',
  'spans',
  'operations',
  'verbs',
  'kinds',
  'resources',
  'slo',
] as const satisfies readonly (keyof TelemetryDefinitionInput)[];
const METRIC_KEYS = [
  'key',
  'name',
  'kind',
  'observable',
  'valueType',
  'unit',
  'description',
  'attributes',
  'buckets',
  'prometheusName',
  'prometheusSeries',
] as const satisfies readonly (keyof MetricDefinitionJson)[];
const RESOURCE_KEYS = [
  'group',
  'plural',
  'kind',
  'short',
  'durationBuckets',
] as const satisfies readonly (keyof ResourceDefinitionJson)[];
const OPERATION_KEYS = [
  'operation',
  'kind',
] as const satisfies readonly (keyof DeclaredOperation)[];

/**
 * The format only adds fields, so a key this CLI does not know is ignored (a newer writer's)
 * unless it is a near miss of one it knows (`atributes`, `Service`): that is a typo which would
 * silently drop what it declares, so the definition is refused with a did-you-mean.
 */
function refuseNearMisses(value: Record<string, unknown>, known: readonly string[], where: string) {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = didYouMean(key, known);
    if (suggestion !== undefined) {
      throw new CliError(`${where}.${key}: unknown key; did you mean "${suggestion}"?`);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    // a cycle or a BigInt: fall through
  }
  return String(value);
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw new CliError(`${where}: got ${shown(value)}; expected an array of non-empty strings`);
  }
  return value as string[];
}

function declaredMetric(value: unknown, where: string): DeclaredMetric {
  if (!isObject(value)) {
    throw new CliError(`${where}: got ${shown(value)}; expected { name, kind, unit? }`);
  }
  refuseNearMisses(value, METRIC_KEYS, where);
  const { name, kind, unit, prometheusName, description, attributes, buckets } = value;
  if (typeof name !== 'string' || name === '') {
    throw new CliError(`${where}.name: got ${shown(name)}; expected a metric name`);
  }
  if (!INSTRUMENT_KINDS.includes(kind as InstrumentKind)) {
    throw new CliError(
      `${where}.kind: got ${shown(kind)}; expected one of ${INSTRUMENT_KINDS.join(', ')}`,
    );
  }
  if (unit !== undefined && typeof unit !== 'string') {
    throw new CliError(
      `${where}.unit: got ${shown(unit)}; expected a UCUM unit string ('' for none)`,
    );
  }
  if (
    prometheusName !== undefined &&
    (typeof prometheusName !== 'string' || prometheusName === '')
  ) {
    throw new CliError(`${where}.prometheusName: got ${shown(prometheusName)}; expected a string`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new CliError(`${where}.description: got ${shown(description)}; expected a string`);
  }
  if (buckets !== undefined && buckets !== null && !isBoundaries(buckets)) {
    throw new CliError(
      `${where}.buckets: got ${shown(buckets)}; expected ascending finite numbers, or null`,
    );
  }
  return {
    name,
    kind: kind as InstrumentKind,
    ...(unit === undefined ? {} : { unit }),
    ...(prometheusName === undefined ? {} : { prometheusName }),
    ...(description === undefined ? {} : { description }),
    ...(attributes === undefined
      ? {}
      : { attributes: stringList(attributes, `${where}.attributes`) }),
    ...(buckets === undefined ? {} : { buckets: buckets as number[] | null }),
  };
}

function isBoundaries(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (v, i) =>
        typeof v === 'number' && Number.isFinite(v) && (i === 0 || v > (value[i - 1] as number)),
    )
  );
}

function declaredResources(value: unknown, where: string): DeclaredResource[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new CliError(`${where}: got ${shown(value)}; expected an array of { kind, short }`);
  }
  return value.map((resource: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(resource)) {
      throw new CliError(`${at}: got ${shown(resource)}; expected { kind, short }`);
    }
    refuseNearMisses(resource, RESOURCE_KEYS, at);
    const { kind, short, group, plural, durationBuckets } = resource;
    if (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
      throw new CliError(`${at}.kind: got ${shown(kind)}; expected a PascalCase kind`);
    }
    if (typeof short !== 'string' || !isMetricSegment(short)) {
      throw new CliError(`${at}.short: got ${shown(short)}; expected a metric segment such as vm`);
    }
    for (const [key, text] of Object.entries({ group, plural })) {
      if (text !== undefined && typeof text !== 'string') {
        throw new CliError(`${at}.${key}: got ${shown(text)}; expected a string`);
      }
    }
    if (durationBuckets !== undefined && !isBoundaries(durationBuckets)) {
      throw new CliError(
        `${at}.durationBuckets: got ${shown(durationBuckets)}; expected ascending finite numbers`,
      );
    }
    return {
      kind,
      short,
      ...(typeof group === 'string' ? { group } : {}),
      ...(typeof plural === 'string' ? { plural } : {}),
      ...(durationBuckets === undefined ? {} : { durationBuckets: durationBuckets as number[] }),
    };
  });
}

/**
 * The bucket boundaries of a resource's request duration histogram: as the resource says, else
 * as the definition declares the histogram, else the middleware's default.
 */
export function resourceDurationBuckets(
  definition: Pick<TelemetryDefinition, 'service' | 'metrics'>,
  resource: DeclaredResource,
): readonly number[] {
  if (resource.durationBuckets !== undefined) return resource.durationBuckets;
  const duration =
    definition.service === undefined
      ? undefined
      : requestMetricNames(definition.service, resource.short).duration;
  const declared = definition.metrics.find((m) => m.name === duration)?.buckets;
  return declared ?? DEFAULT_REQUEST_DURATION_BUCKETS;
}

/**
 * Checks the `slo` section of a definition: its shape and targets always; with `references`, also
 * that the definition names a service, declares each objective's resource and has each latency
 * threshold among that resource's duration buckets. A definition read from several files is checked
 * for references once merged (an objective may name a resource another file declares).
 */
function checkedSlo(
  value: unknown,
  definition: Pick<TelemetryDefinition, 'service' | 'metrics' | 'resources'>,
  where: string,
  references: boolean,
): SloSection | undefined {
  if (value === undefined) return undefined;
  if (references && definition.service === undefined) {
    throw new CliError(`${where}.slo: the definition has no service, so its SLOs name no metric`);
  }
  try {
    return checkSloSection(
      value,
      references
        ? {
            resources: new Map(
              (definition.resources ?? []).map(
                (r) => [r.short, resourceDurationBuckets(definition, r)] as const,
              ),
            ),
          }
        : {},
      `${where}.slo`,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * Checks a definition (the data form of `defineMetrics`, optionally with `spans`, `operations`,
 * `verbs` and `kinds`) and fills in the lists. Throws a `CliError` naming the field and what it
 * expects; `where` starts the message (a file name).
 */
export function normalizeDefinition(
  input: TelemetryDefinitionInput | unknown,
  where = 'definition',
): TelemetryDefinition {
  return normalize(input, where, true);
}

/** {@link normalizeDefinition}; without `references`, for one part of a merged definition. */
function normalize(input: unknown, where: string, references: boolean): TelemetryDefinition {
  if (!isObject(input)) {
    throw new CliError(
      `${where}: got ${shown(input)}; expected an object such as defineMetrics(...).toJSON()`,
    );
  }
  refuseNearMisses(input, DEFINITION_KEYS, where);
  const { format, service } = input;
  if (format !== undefined && !(DEFINITION_FORMATS as readonly unknown[]).includes(format)) {
    throw new CliError(
      `${where}.format: got ${shown(format)}; expected ${DEFINITION_FORMATS.map((f) => `"${f}"`).join(' or ')}`,
    );
  }
  if (service !== undefined) {
    const problems = typeof service === 'string' ? checkServiceName(service) : [];
    if (typeof service !== 'string' || problems.length > 0) {
      throw new CliError(
        `${where}.service: ${problems[0]?.message ?? `got ${shown(service)}; expected a service name`}`,
      );
    }
  }
  if (input.metrics !== undefined && !Array.isArray(input.metrics)) {
    throw new CliError(`${where}.metrics: got ${shown(input.metrics)}; expected an array`);
  }
  const metrics = ((input.metrics as unknown[] | undefined) ?? []).map((m, i) =>
    declaredMetric(m, `${where}.metrics[${i}]`),
  );
  const verbs = stringList(input.verbs, `${where}.verbs`);
  const kinds = stringList(input.kinds, `${where}.kinds`);
  const spans = stringList(input.spans, `${where}.spans`);
  try {
    // Validates the extra verbs (PascalCase words) before any span name is built with them.
    checkSpanName('GetVirtualMachine', { verbs });
  } catch (error) {
    throw new CliError(`${where}.verbs: ${(error as Error).message}`);
  }
  if (input.operations !== undefined && !Array.isArray(input.operations)) {
    throw new CliError(`${where}.operations: got ${shown(input.operations)}; expected an array`);
  }
  for (const [i, operation] of ((input.operations as unknown[] | undefined) ?? []).entries()) {
    const at = `${where}.operations[${i}]`;
    if (isObject(operation)) refuseNearMisses(operation, OPERATION_KEYS, at);
    if (typeof operation === 'string' && operation !== '') {
      spans.push(operation);
    } else if (
      isObject(operation) &&
      typeof operation.operation === 'string' &&
      typeof operation.kind === 'string'
    ) {
      try {
        spans.push(buildSpanName(operation.operation, operation.kind, { verbs }));
      } catch (error) {
        const detail =
          error instanceof ConventionError ? error.findings[0]?.message : String(error);
        throw new CliError(`${at}: ${detail}`);
      }
    } else {
      throw new CliError(
        `${at}: got ${shown(operation)}; expected a span name or { operation, kind }`,
      );
    }
  }
  const resources = declaredResources(input.resources, `${where}.resources`);
  const slo = checkedSlo(
    input.slo,
    { ...(typeof service === 'string' ? { service } : {}), metrics, resources },
    where,
    references,
  );
  return {
    ...(typeof service === 'string' ? { service } : {}),
    metrics,
    spans: [...new Set(spans)],
    verbs,
    kinds,
    ...(resources.length === 0 ? {} : { resources }),
    ...(slo === undefined ? {} : { slo }),
  };
}

/**
 * Merges several definitions (one per `--definition`); two different services are an error. The
 * merged `slo` section is checked against the merged resources: an objective may name a resource
 * another definition declares, and a resource declared again later (with other buckets) is the one
 * its latency thresholds must fit. `where` starts an error message (the files).
 */
export function mergeDefinitions(
  definitions: readonly TelemetryDefinition[],
  where = 'definition',
): TelemetryDefinition {
  const merged = mergeParts(definitions);
  if (merged.slo !== undefined) checkedSlo(merged.slo, merged, where, true);
  return merged;
}

/** What an error in definitions merged from `files` starts with: `a.json`, or `(a.json + b.json)`. */
export function definitionFilesWhere(files: readonly string[]): string {
  return files.length === 1 ? files[0]! : `(${files.join(' + ')})`;
}

/** Merges without checking the `slo` section's references (one file's parts, before the merge). */
function mergeParts(definitions: readonly TelemetryDefinition[]): TelemetryDefinition {
  const services = [...new Set(definitions.flatMap((d) => (d.service ? [d.service] : [])))];
  if (services.length > 1) {
    throw new CliError(
      `the definitions declare different services (${services.join(', ')}): validate one service at a time`,
    );
  }
  const metrics = new Map<string, DeclaredMetric>();
  for (const metric of definitions.flatMap((d) => d.metrics)) {
    const earlier = metrics.get(metric.name);
    if (earlier !== undefined && earlier.kind !== metric.kind) {
      throw new CliError(
        `the metric ${metric.name} is declared twice, as a ${earlier.kind} and as a ${metric.kind}`,
      );
    }
    metrics.set(metric.name, earlier ?? metric);
  }
  const union = (pick: (d: TelemetryDefinition) => readonly string[]) => [
    ...new Set(definitions.flatMap(pick)),
  ];
  const resources = new Map(
    definitions.flatMap((d) => d.resources ?? []).map((r) => [r.short, r] as const),
  );
  const slo = Object.assign({}, ...definitions.map((d) => d.slo ?? {})) as SloSection;
  return {
    ...(services[0] === undefined ? {} : { service: services[0] }),
    metrics: [...metrics.values()],
    spans: union((d) => d.spans),
    verbs: union((d) => d.verbs),
    kinds: union((d) => d.kinds),
    ...(resources.size === 0 ? {} : { resources: [...resources.values()] }),
    ...(Object.keys(slo).length === 0 ? {} : { slo }),
  };
}

function looksLikeDefinitionData(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    (Array.isArray(value.metrics) ||
      (typeof value.format === 'string' && value.format.startsWith('datum-telemetry.')))
  );
}

/**
 * What a compiled module exports: `defineMetrics` results (anything whose `toJSON()` gives
 * definition data), span helpers (their `spanName`), objects of span helpers, and `spans` /
 * `operations` arrays.
 */
function fromModule(exports: Record<string, unknown>, where: string): TelemetryDefinition[] {
  const found: TelemetryDefinition[] = [];
  const spans: string[] = [];
  const visit = (value: unknown, key: string, depth: number) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
    const record = value as Record<string, unknown>;
    if (typeof record.toJSON === 'function') {
      let data: unknown;
      try {
        data = (record.toJSON as () => unknown)();
      } catch (error) {
        throw new CliError(`${where}: ${key}.toJSON() threw: ${(error as Error).message}`);
      }
      if (looksLikeDefinitionData(data)) {
        found.push(normalize(data, `${where} (${key}.toJSON())`, false));
        return;
      }
    }
    // A span helper of @datum-telemetry/tracing carries its checked name.
    if (typeof record.spanName === 'string' && record.spanName !== '') {
      spans.push(record.spanName);
      return;
    }
    if (depth === 0 && (key === 'spans' || key === 'operations') && Array.isArray(value)) {
      found.push(normalize({ [key]: value }, `${where} (${key})`, false));
      return;
    }
    if (depth === 0 && isObject(value)) {
      if (looksLikeDefinitionData(value)) {
        found.push(normalize(value, `${where} (${key})`, false));
        return;
      }
      for (const [inner, v] of Object.entries(value)) visit(v, `${key}.${inner}`, 1);
    }
  };
  const keys = Object.keys(exports).sort((a, b) =>
    a === 'default' ? -1 : b === 'default' ? 1 : 0,
  );
  for (const key of keys) visit(exports[key], key, 0);
  if (spans.length > 0) found.push({ metrics: [], spans, verbs: [], kinds: [] });
  return found;
}

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

/**
 * Reads one `--definition`: a JSON file (`defineMetrics(...).toJSON()`, optionally with `spans` and
 * `operations`), or a compiled JavaScript module whose exports include a definition with
 * `toJSON()` and, optionally, span helpers (their `spanName` becomes an expected span).
 */
export async function loadDefinitionFile(path: string, cwd: string): Promise<TelemetryDefinition> {
  return mergeDefinitions([await readDefinitionFile(path, cwd)], path);
}

/**
 * {@link loadDefinitionFile} without the check of the `slo` section's references: one of several
 * `--definition` files, checked once merged with the others ({@link mergeDefinitions}).
 */
export async function readDefinitionFile(path: string, cwd: string): Promise<TelemetryDefinition> {
  const file = resolve(cwd, path);
  const ext = extname(file).toLowerCase();
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    throw new CliError(
      `--definition ${path}: TypeScript cannot be loaded directly; pass the compiled .js (after tsc), or a JSON file written from definition.toJSON()`,
    );
  }
  if (MODULE_EXTENSIONS.has(ext)) {
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new CliError(
        `--definition ${path}: could not load the module: ${(error as Error).message}`,
      );
    }
    const found = fromModule(exports, path);
    if (found.length === 0) {
      throw new CliError(
        `--definition ${path}: the module exports no definition (an object with toJSON(), such as defineMetrics(...)) and no span helper`,
      );
    }
    return mergeParts(found);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `--definition ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--definition ${path}: not valid JSON (${(error as Error).message})`);
  }
  return normalize(data, path, false);
}

/** True when `name` can be a metric segment; used for the service name from `--service`. */
export function isServiceName(name: string): boolean {
  return isMetricSegment(name) && checkServiceName(name).length === 0;
}

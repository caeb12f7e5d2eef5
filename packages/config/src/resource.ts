import { hostname } from 'node:os';
import { warnInvalidEnv } from './env-warning.js';
import { ConfigError, shown } from './errors.js';
import type { Env, ResourceAttributes, ServiceOptions } from './types.js';
import type { OptionsSchema } from './validate.js';
import { checkOptionValues, rules } from './validate.js';

/**
 * The downward-API variables people set in pod specs, and the attribute each becomes. The `K8S_*`
 * names say Kubernetes themselves; the generic names (`POD_NAME`, `CONTAINER_NAME`, ...) are read
 * only inside Kubernetes (`KUBERNETES_SERVICE_HOST`, set in every pod), because elsewhere they
 * mean something else (Docker Compose sets `CONTAINER_NAME`).
 */
const K8S_VARIABLES: ReadonlyArray<
  readonly [attribute: string, k8sVariable: string, genericVariable: string | undefined]
> = [
  ['k8s.namespace.name', 'K8S_NAMESPACE_NAME', 'POD_NAMESPACE'],
  ['k8s.pod.name', 'K8S_POD_NAME', 'POD_NAME'],
  ['k8s.pod.uid', 'K8S_POD_UID', 'POD_UID'],
  ['k8s.node.name', 'K8S_NODE_NAME', 'NODE_NAME'],
  ['k8s.container.name', 'K8S_CONTAINER_NAME', 'CONTAINER_NAME'],
  ['k8s.deployment.name', 'K8S_DEPLOYMENT_NAME', undefined],
  ['k8s.cluster.name', 'K8S_CLUSTER_NAME', undefined],
];

const MAX_ATTRIBUTE_VALUE = 255;

/** `service.name` when neither the options nor the environment name the service. */
export const UNKNOWN_SERVICE_NAME = 'unknown_service:node';

/** The rules of {@link ServiceOptions}, for the schemas of the signal packages. */
export const serviceOptionRules: OptionsSchema<ServiceOptions> = Object.freeze({
  service: rules.nonEmptyString,
  serviceNamespace: rules.nonEmptyString,
  serviceVersion: rules.nonEmptyString,
  attributes: rules.record(rules.string, 'an object of string values'),
});

function decode(variable: string, part: string, text: string): string {
  try {
    return decodeURIComponent(text.trim());
  } catch {
    throw new ConfigError(
      variable,
      `${shown(part)} has a malformed percent-encoding; encode values with encodeURIComponent`,
    );
  }
}

/**
 * Parses a `key1=value1,key2=value2` list (`OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_HEADERS`),
 * percent-decoding keys and values. Empty entries are skipped; an entry without `=` or with an empty
 * key throws a {@link ConfigError} naming the variable.
 */
export function parseKeyValueList(
  variable: string,
  text: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined || text.trim() === '') return out;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError(
        variable,
        `${shown(part)} is not key=value; expected a list such as "key1=value1,key2=value2"`,
      );
    }
    const key = decode(variable, part, part.slice(0, eq));
    if (key === '') throw new ConfigError(variable, `${shown(part)} has an empty key`);
    out[key] = decode(variable, part, part.slice(eq + 1));
  }
  return out;
}

/** The process and host attributes of the resource semantic conventions that every signal carries. */
function processAttributes(): ResourceAttributes {
  return {
    'host.name': hostname(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
  };
}

function kubernetesAttributes(env: Env): ResourceAttributes {
  const out: ResourceAttributes = {};
  const inKubernetes = (env.KUBERNETES_SERVICE_HOST?.trim() ?? '') !== '';
  for (const [attribute, k8sVariable, genericVariable] of K8S_VARIABLES) {
    const variables =
      inKubernetes && genericVariable !== undefined
        ? [k8sVariable, genericVariable]
        : [k8sVariable];
    for (const variable of variables) {
      const value = env[variable]?.trim();
      if (value !== undefined && value !== '') {
        out[attribute] = value.slice(0, MAX_ATTRIBUTE_VALUE);
        break;
      }
    }
  }
  return out;
}

/** `OTEL_RESOURCE_ATTRIBUTES`; a malformed value is reported and discarded whole (the specification). */
function attributesFromEnv(env: Env): ResourceAttributes {
  try {
    return parseKeyValueList('OTEL_RESOURCE_ATTRIBUTES', env.OTEL_RESOURCE_ATTRIBUTES);
  } catch {
    warnInvalidEnv(
      'OTEL_RESOURCE_ATTRIBUTES',
      env.OTEL_RESOURCE_ATTRIBUTES,
      'a list such as "key1=value1,key2=value2" with percent-encoded values',
      'none of its attributes',
    );
    return {};
  }
}

/**
 * The one resource of the service, shared by spans, metrics and logs (turn it into an SDK resource
 * with `createResource` from `@datum-telemetry/config/resource`, which adds `telemetry.sdk.*`):
 *
 * - `host.name`, `process.pid`, `process.runtime.name`, `process.runtime.version`;
 * - `k8s.*` from the downward-API variables: `K8S_POD_NAME`, `K8S_NAMESPACE_NAME`, ... anywhere, and
 *   `POD_NAME`, `POD_NAMESPACE`, `POD_UID`, `NODE_NAME`, `CONTAINER_NAME` inside Kubernetes only
 *   (when `KUBERNETES_SERVICE_HOST` is set);
 * - everything in `OTEL_RESOURCE_ATTRIBUTES` (a malformed value is reported through `diag` and
 *   ignored), then `OTEL_SERVICE_NAME`;
 * - the code options, which win: `attributes`, then `service`, `serviceNamespace`, `serviceVersion`.
 *
 * `service.name` falls back to `unknown_service:node`. An invalid option throws a
 * {@link ConfigError}. Other keys of `options` are left alone (the signal packages pass their whole
 * options object, checked beforehand).
 */
export function resolveResourceAttributes(
  options: ServiceOptions = {},
  env: Env = process.env,
): ResourceAttributes {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError('options', `got ${shown(options)}; expected an object`);
  }
  checkOptionValues(options as Readonly<Record<string, unknown>>, serviceOptionRules);
  const out: ResourceAttributes = {
    ...processAttributes(),
    ...kubernetesAttributes(env),
    ...attributesFromEnv(env),
  };
  const envService = env.OTEL_SERVICE_NAME?.trim();
  if (envService) out['service.name'] = envService;
  Object.assign(out, options.attributes);
  if (options.service !== undefined) out['service.name'] = options.service;
  if (options.serviceNamespace !== undefined) out['service.namespace'] = options.serviceNamespace;
  if (options.serviceVersion !== undefined) out['service.version'] = options.serviceVersion;
  const name = out['service.name'];
  if (typeof name !== 'string' || name.trim() === '') out['service.name'] = UNKNOWN_SERVICE_NAME;
  return out;
}

/**
 * The service name the resource carries (see {@link resolveResourceAttributes}): the `service`
 * option, then `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, then
 * `unknown_service:node`.
 */
export function resolveServiceName(options: ServiceOptions = {}, env: Env = process.env): string {
  return String(resolveResourceAttributes(options, env)['service.name']);
}

/** True when `OTEL_SDK_DISABLED` is `true` (any case): set-up should then install nothing. */
export function isSdkDisabled(env: Env = process.env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}

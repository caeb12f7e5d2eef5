import { ConfigError, shown } from './errors.js';
import type { Env, ResourceAttributes, ServiceOptions } from './types.js';

/** The downward-API variables people set in pod specs, and the attribute each becomes. */
const K8S_VARIABLES: ReadonlyArray<readonly [attribute: string, variables: readonly string[]]> = [
  ['k8s.namespace.name', ['K8S_NAMESPACE_NAME', 'POD_NAMESPACE']],
  ['k8s.pod.name', ['K8S_POD_NAME', 'POD_NAME']],
  ['k8s.pod.uid', ['K8S_POD_UID', 'POD_UID']],
  ['k8s.node.name', ['K8S_NODE_NAME', 'NODE_NAME']],
  ['k8s.container.name', ['K8S_CONTAINER_NAME', 'CONTAINER_NAME']],
  ['k8s.deployment.name', ['K8S_DEPLOYMENT_NAME']],
  ['k8s.cluster.name', ['K8S_CLUSTER_NAME']],
];

const MAX_ATTRIBUTE_VALUE = 255;

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

function optionalText(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(option, `got ${shown(value)}; expected a non-empty string`);
  }
  return value;
}

/**
 * The resource attributes of the service: `service.name`, `service.namespace`, `service.version`,
 * everything in `OTEL_RESOURCE_ATTRIBUTES`, and `k8s.*` attributes from the usual downward-API
 * variables (`K8S_POD_NAME` or `POD_NAME`, `K8S_NAMESPACE_NAME` or `POD_NAMESPACE`, ...). Code options
 * win over the environment. Throws a {@link ConfigError} for an invalid option or variable.
 */
export function resolveResourceAttributes(
  options: ServiceOptions = {},
  env: Env = process.env,
): ResourceAttributes {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError('options', `got ${shown(options)}; expected an object`);
  }
  const out: ResourceAttributes = {};
  for (const [attribute, variables] of K8S_VARIABLES) {
    for (const variable of variables) {
      const value = env[variable];
      if (value !== undefined && value.trim() !== '') {
        out[attribute] = value.trim().slice(0, MAX_ATTRIBUTE_VALUE);
        break;
      }
    }
  }
  Object.assign(out, parseKeyValueList('OTEL_RESOURCE_ATTRIBUTES', env.OTEL_RESOURCE_ATTRIBUTES));

  const envService = env.OTEL_SERVICE_NAME?.trim();
  if (envService) out['service.name'] = envService;

  if (options.attributes !== undefined) {
    if (options.attributes === null || typeof options.attributes !== 'object') {
      throw new ConfigError(
        'attributes',
        `got ${shown(options.attributes)}; expected an object of string values`,
      );
    }
    for (const [key, value] of Object.entries(options.attributes)) {
      if (typeof value !== 'string') {
        throw new ConfigError(`attributes.${key}`, `got ${shown(value)}; expected a string`);
      }
      out[key] = value;
    }
  }
  const service = optionalText('service', options.service);
  const namespace = optionalText('serviceNamespace', options.serviceNamespace);
  const version = optionalText('serviceVersion', options.serviceVersion);
  if (service !== undefined) out['service.name'] = service;
  if (namespace !== undefined) out['service.namespace'] = namespace;
  if (version !== undefined) out['service.version'] = version;
  if (out['service.name'] === undefined || out['service.name'] === '')
    out['service.name'] = 'unknown_service:node';
  return out;
}

/** The service name the resource will carry (see {@link resolveResourceAttributes}). */
export function resolveServiceName(options: ServiceOptions = {}, env: Env = process.env): string {
  return resolveResourceAttributes(options, env)['service.name']!;
}

/** True when `OTEL_SDK_DISABLED` is `true` (any case): set-up should then install nothing. */
export function isSdkDisabled(env: Env = process.env): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}

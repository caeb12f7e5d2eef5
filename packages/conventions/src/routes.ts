import type { Finding } from './findings.js';
import { ConventionError, finding, quote } from './findings.js';
import { isMetricSegment } from './metric-names.js';
import { toPascalCase } from './span-names.js';

/** Whether a resource lives in a namespace or at cluster level. */
export type ResourceScope = 'Namespaced' | 'Cluster';

/** The Kubernetes verbs an HTTP request on a resource maps to. */
export type ResourceOperation =
  | 'Create'
  | 'Get'
  | 'List'
  | 'Update'
  | 'Patch'
  | 'Delete'
  | 'DeleteCollection'
  | 'Watch';

/** A request path parsed as a Kubernetes-style API path. */
export interface ResourcePath {
  /** The API group; `''` for the core group (`/api/v1/...`). */
  readonly group: string;
  readonly version: string;
  /** `{group}/{version}`, or the version alone for the core group. */
  readonly apiVersion: string;
  /** Absent for cluster-scoped paths. */
  readonly namespace?: string;
  readonly plural: string;
  /** Absent for collection paths. */
  readonly name?: string;
  readonly subresource?: string;
  /** True for the legacy `/watch/` form (`/apis/{group}/{version}/watch/...`). */
  readonly watchPath: boolean;
  /** The path with `{namespace}` and `{name}` placeholders: bounded, safe as a route label. */
  readonly route: string;
}

/** Longest path {@link parseResourcePath} looks at; longer ones parse to nothing. */
export const MAX_RESOURCE_PATH_LENGTH = 2048;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const PLURAL = /^[a-z][a-z0-9]*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    const decoded = decodeURIComponent(segment);
    return decoded.includes('/') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

function validName(name: string): boolean {
  return name.length <= 253 && name !== '.' && name !== '..' && !CONTROL.test(name);
}

/**
 * Parses a Kubernetes-style API path: `/apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}[/{sub}]]`,
 * the core group `/api/{version}/...`, cluster-scoped `/apis/{group}/{version}/{plural}[/{name}[/{sub}]]`
 * and the legacy `/watch/` form. A query string, a fragment and one trailing slash are ignored;
 * percent-encoded segments are decoded. Anything else (including discovery paths such as
 * `/apis/{group}/{version}`, empty segments and malformed encodings) parses to `undefined`.
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
  if (typeof path !== 'string' || path.charCodeAt(0) !== 47 /* / */) return undefined;
  let end = path.length;
  const q = path.indexOf('?');
  if (q !== -1) end = q;
  const h = path.indexOf('#');
  if (h !== -1 && h < end) end = h;
  if (end > MAX_RESOURCE_PATH_LENGTH) return undefined;
  const raw = path.slice(1, end).split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  if (raw.length > 10) return undefined;
  const segs: string[] = [];
  for (const r of raw) {
    if (r === '') return undefined;
    const d = decodeSegment(r);
    if (d === undefined) return undefined;
    segs.push(d);
  }

  let group: string;
  let version: string;
  let i: number;
  if (segs[0] === 'apis') {
    group = segs[1] ?? '';
    version = segs[2] ?? '';
    if (!DNS_SUBDOMAIN.test(group) || group.length > 253) return undefined;
    i = 3;
  } else if (segs[0] === 'api') {
    group = '';
    version = segs[1] ?? '';
    i = 2;
  } else {
    return undefined;
  }
  if (!VERSION.test(version)) return undefined;
  const apiVersion = group === '' ? version : `${group}/${version}`;
  const prefix = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;

  let watchPath = false;
  if (segs[i] === 'watch') {
    watchPath = true;
    i++;
  }
  let rest = segs.slice(i);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]!;
    if (!DNS_LABEL.test(namespace) || namespace.length > 63) return undefined;
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  const [plural, name, subresource] = rest as [string, string | undefined, string | undefined];
  if (!PLURAL.test(plural)) return undefined;
  if (name !== undefined && !validName(name)) return undefined;
  if (subresource !== undefined && !PLURAL.test(subresource)) return undefined;

  let route = watchPath ? `${prefix}/watch` : prefix;
  if (namespace !== undefined) route += '/namespaces/{namespace}';
  route += `/${plural}`;
  if (name !== undefined) route += '/{name}';
  if (subresource !== undefined) route += `/${subresource}`;

  const out: {
    -readonly [K in keyof ResourcePath]: ResourcePath[K];
  } = { group, version, apiVersion, plural, watchPath, route };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  return out;
}

/** True when a query string (with or without `?`) asks for a watch: `watch=true` or `watch=1`. */
export function isWatchQuery(query: string | undefined): boolean {
  if (query === undefined || query === '') return false;
  return /(?:^\??|&)watch=(?:true|1)(?:&|$)/.test(query);
}

/**
 * The verb of a request on a parsed resource path: POST on a collection is Create, GET on an item
 * Get, GET on a collection List (Watch with `watch=true` or the `/watch/` form), PUT Update, PATCH
 * Patch, DELETE on an item Delete and on a collection DeleteCollection. Combinations with no verb
 * (PUT on a collection, POST on an item) give `undefined`.
 */
export function resourceOperation(
  method: string,
  path: ResourcePath,
  query?: string,
): ResourceOperation | undefined {
  const m = typeof method === 'string' ? method.toUpperCase() : '';
  if (path.subresource !== undefined) {
    switch (m) {
      case 'GET':
      case 'HEAD':
        return 'Get';
      case 'PUT':
        return 'Update';
      case 'PATCH':
        return 'Patch';
      case 'POST':
        return 'Create';
      case 'DELETE':
        return 'Delete';
      default:
        return undefined;
    }
  }
  const watch = path.watchPath || isWatchQuery(query);
  if (path.name === undefined) {
    switch (m) {
      case 'GET':
      case 'HEAD':
        return watch ? 'Watch' : 'List';
      case 'POST':
        return path.watchPath ? undefined : 'Create';
      case 'DELETE':
        return path.watchPath ? undefined : 'DeleteCollection';
      default:
        return undefined;
    }
  }
  if (path.watchPath) return m === 'GET' ? 'Watch' : undefined;
  switch (m) {
    case 'GET':
    case 'HEAD':
      return watch ? 'Watch' : 'Get';
    case 'PUT':
      return 'Update';
    case 'PATCH':
      return 'Patch';
    case 'DELETE':
      return 'Delete';
    default:
      return undefined;
  }
}

/** A resource as the user declares it. */
export interface ResourceDeclaration {
  /** The API group (`compute.datumapis.com`); `''` for the core group. */
  readonly group: string;
  /** The lower-case plural in paths (`virtualmachines`). */
  readonly plural: string;
  /** The PascalCase kind (`VirtualMachine`), used in span names. */
  readonly kind: string;
  /** The metric segment (`vm`), used in `{service}.{short}.{measurement}`. */
  readonly short: string;
  /** Versions served; when omitted, every version matches. */
  readonly versions?: readonly string[];
  /** Default: `'Namespaced'`. */
  readonly scope?: ResourceScope;
}

/** A declared resource after validation. */
export interface ResourceDefinition {
  readonly group: string;
  readonly plural: string;
  readonly kind: string;
  readonly short: string;
  readonly versions: readonly string[] | undefined;
  readonly scope: ResourceScope;
}

/** A request matched to a declared resource. */
export interface ResourceMatch {
  readonly resource: ResourceDefinition;
  readonly operation: ResourceOperation;
  readonly kind: string;
  readonly short: string;
  readonly group: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  /** The route template (`/apis/.../namespaces/{namespace}/virtualmachines/{name}`). */
  readonly route: string;
  /** `{Operation}{Kind}`, with a subresource appended (`UpdateVirtualMachineStatus`). */
  readonly spanName: string;
}

/** Maps request paths to declared resources. Undeclared resources are never guessed. */
export interface ResourceRegistry {
  readonly resources: readonly ResourceDefinition[];
  /** The declared resource for a group and plural, if any. */
  lookup(group: string, plural: string): ResourceDefinition | undefined;
  /**
   * Matches a request: method and path (a query string in the path is read for `watch`, or pass
   * it as `query`). Returns `undefined` for non-Kubernetes paths, undeclared resources, versions
   * not served, scope mismatches and method/shape pairs with no verb.
   */
  match(method: string, path: string, query?: string): ResourceMatch | undefined;
}

function checkDeclaration(d: ResourceDeclaration, index: number): Finding[] {
  const out: Finding[] = [];
  const at = `resources[${index}]`;
  const add = (rule: string, name: string, message: string, suggestion?: string) =>
    out.push(finding(rule, 'resource', name, `${at}: ${message}`, suggestion));
  if (d === null || typeof d !== 'object') {
    add('resource.declaration', String(d), 'a resource is `{ group, plural, kind, short }`');
    return out;
  }
  if (typeof d.group !== 'string' || (d.group !== '' && !DNS_SUBDOMAIN.test(d.group))) {
    add(
      'resource.group',
      String(d.group),
      `group ${quote(String(d.group))} is not a DNS subdomain such as \`compute.datumapis.com\` (use \`''\` for the core group)`,
    );
  }
  if (typeof d.plural !== 'string' || !PLURAL.test(d.plural)) {
    const fixed =
      typeof d.plural === 'string' ? d.plural.toLowerCase().replace(/[^a-z0-9]/g, '') : undefined;
    add(
      'resource.plural',
      String(d.plural),
      `plural ${quote(String(d.plural))} is not lower-case letters and digits${fixed ? `; use ${quote(fixed)}` : ''}`,
      fixed,
    );
  }
  if (typeof d.kind !== 'string' || !PASCAL.test(d.kind)) {
    const fixed = typeof d.kind === 'string' ? toPascalCase(d.kind) : undefined;
    add(
      'resource.kind',
      String(d.kind),
      `kind ${quote(String(d.kind))} is not PascalCase${fixed ? `; use ${quote(fixed)}` : ''}`,
      fixed,
    );
  }
  if (typeof d.short !== 'string' || !isMetricSegment(d.short)) {
    add(
      'resource.short',
      String(d.short),
      `short name ${quote(String(d.short))} is not a metric segment (\`[a-z][a-z0-9_]*\`, such as \`vm\`)`,
    );
  }
  if (d.versions !== undefined) {
    if (!Array.isArray(d.versions) || d.versions.length === 0) {
      add(
        'resource.versions',
        String(d.versions),
        'versions is a non-empty array such as `["v1alpha1"]`, or omitted for every version',
      );
    } else {
      for (const v of d.versions) {
        if (typeof v !== 'string' || !VERSION.test(v))
          add(
            'resource.versions',
            String(v),
            `version ${quote(String(v))} is not a Kubernetes version such as \`v1\` or \`v1alpha1\``,
          );
      }
    }
  }
  if (d.scope !== undefined && d.scope !== 'Namespaced' && d.scope !== 'Cluster') {
    add(
      'resource.scope',
      String(d.scope),
      `scope ${quote(String(d.scope))} is \`'Namespaced'\` or \`'Cluster'\``,
    );
  }
  return out;
}

/**
 * Builds a registry from declared resources. Throws a {@link ConventionError} naming every bad
 * declaration (kind not PascalCase, short name not a metric segment, duplicates, ...).
 */
export function createResourceRegistry(
  resources: readonly ResourceDeclaration[],
): ResourceRegistry {
  if (!Array.isArray(resources)) {
    throw new ConventionError([
      finding(
        'resource.declaration',
        'resource',
        String(resources),
        'resources is an array of `{ group, plural, kind, short }`',
      ),
    ]);
  }
  const problems: Finding[] = [];
  const byKey = new Map<string, ResourceDefinition>();
  const byShort = new Map<string, ResourceDefinition>();
  const definitions: ResourceDefinition[] = [];
  resources.forEach((d, index) => {
    const found = checkDeclaration(d, index);
    if (found.length > 0) {
      problems.push(...found);
      return;
    }
    const def: ResourceDefinition = Object.freeze({
      group: d.group,
      plural: d.plural,
      kind: d.kind,
      short: d.short,
      versions: d.versions === undefined ? undefined : Object.freeze([...d.versions]),
      scope: d.scope ?? 'Namespaced',
    });
    const key = `${def.group}/${def.plural}`;
    if (byKey.has(key)) {
      problems.push(
        finding(
          'resource.duplicate',
          'resource',
          key,
          `resources[${index}]: ${quote(key)} is declared twice`,
        ),
      );
      return;
    }
    const other = byShort.get(def.short);
    if (other !== undefined && other.kind !== def.kind) {
      problems.push(
        finding(
          'resource.duplicate-short',
          'resource',
          def.short,
          `resources[${index}]: short name ${quote(def.short)} is already used by ${other.kind}: metric names would collide`,
        ),
      );
      return;
    }
    byKey.set(key, def);
    byShort.set(def.short, def);
    definitions.push(def);
  });
  if (problems.length > 0) throw new ConventionError(problems);

  // Span names are built once per (resource, operation, subresource), never per request.
  const spanNames = new Map<string, string>();
  const spanNameOf = (def: ResourceDefinition, op: ResourceOperation, sub: string | undefined) => {
    const key = `${op}|${def.group}|${def.plural}|${sub ?? ''}`;
    let name = spanNames.get(key);
    if (name === undefined) {
      name = `${op}${def.kind}${sub === undefined ? '' : toPascalCase(sub)}`;
      if (spanNames.size < 10_000) spanNames.set(key, name);
    }
    return name;
  };

  const lookup = (group: string, plural: string) => byKey.get(`${group}/${plural}`);

  const match = (method: string, path: string, query?: string): ResourceMatch | undefined => {
    let parsed = parseResourcePath(path);
    if (parsed === undefined) return undefined;
    let def = lookup(parsed.group, parsed.plural);
    // `/api/v1/namespaces/{name}/{sub}` reads as a namespaced collection; when that collection
    // is undeclared but namespaces are, it is a namespace's subresource.
    if (def === undefined && parsed.namespace !== undefined && parsed.name === undefined) {
      const ns = lookup(parsed.group, 'namespaces');
      if (ns !== undefined && ns.scope === 'Cluster') {
        def = ns;
        parsed = {
          ...parsed,
          plural: 'namespaces',
          name: parsed.namespace,
          subresource: parsed.plural,
          route: parsed.route.replace(
            `/namespaces/{namespace}/${parsed.plural}`,
            `/namespaces/{name}/${parsed.plural}`,
          ),
        };
        delete (parsed as { namespace?: string }).namespace;
      }
    }
    if (def === undefined) return undefined;
    if (def.versions !== undefined && !def.versions.includes(parsed.version)) return undefined;
    let q = query;
    if (q === undefined) {
      const at = path.indexOf('?');
      if (at !== -1) q = path.slice(at + 1);
    }
    const operation = resourceOperation(method, parsed, q);
    if (operation === undefined) return undefined;
    if (def.scope === 'Cluster' && parsed.namespace !== undefined) return undefined;
    if (
      def.scope === 'Namespaced' &&
      parsed.namespace === undefined &&
      !(operation === 'List' || operation === 'Watch')
    )
      return undefined;
    if (def.scope === 'Namespaced' && parsed.namespace === undefined && parsed.name !== undefined)
      return undefined;

    const out: { -readonly [K in keyof ResourceMatch]: ResourceMatch[K] } = {
      resource: def,
      operation,
      kind: def.kind,
      short: def.short,
      group: parsed.group,
      version: parsed.version,
      apiVersion: parsed.apiVersion,
      route: parsed.route,
      spanName: spanNameOf(def, operation, parsed.subresource),
    };
    if (parsed.namespace !== undefined) out.namespace = parsed.namespace;
    if (parsed.name !== undefined) out.name = parsed.name;
    if (parsed.subresource !== undefined) out.subresource = parsed.subresource;
    return out;
  };

  return Object.freeze({ resources: Object.freeze(definitions), lookup, match });
}

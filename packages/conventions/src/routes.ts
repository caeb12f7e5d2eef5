import type { Finding } from './findings.js';
import { ConventionError, finding, quote } from './findings.js';
import { MatchIndex } from './match-index.js';
import { isMetricSegment } from './metric-names.js';
import { isPlural, isVersion, pathPrefix, pathReader, routeTemplate } from './resource-path.js';
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

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const WATCH_QUERY = /(?:^\??|&)watch=(?:true|1)(?:&|$)/;

/**
 * Parses a Kubernetes-style API path: `/apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}[/{sub}]]`,
 * the core group `/api/{version}/...`, cluster-scoped `/apis/{group}/{version}/{plural}[/{name}[/{sub}]]`
 * and the legacy `/watch/` form. A query string, a fragment and one trailing slash are ignored;
 * percent-encoded segments are decoded. Anything else (including discovery paths such as
 * `/apis/{group}/{version}`, empty segments and malformed encodings) parses to `undefined`.
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
  if (!pathReader.read(path)) return undefined;
  const { group, version, watchPath, namespace, plural, name, subresource } = pathReader;
  if (group !== '' && (group.length > 253 || !DNS_SUBDOMAIN.test(group))) return undefined;
  if (!isVersion(version) || !isPlural(plural)) return undefined;
  const route = routeTemplate(
    pathPrefix(group, version),
    watchPath,
    namespace !== undefined,
    plural,
    name !== undefined,
    subresource,
  );
  const apiVersion = group === '' ? version : `${group}/${version}`;
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
  // Most queries say nothing about watching; `includes` rules them out before the expression runs.
  if (typeof query === 'string' && !query.includes('watch=')) return false;
  return WATCH_QUERY.test(query);
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
  return operationOf(
    method,
    path.subresource !== undefined,
    path.watchPath,
    path.name !== undefined,
    query,
  );
}

function upperCaseMethod(method: string): string {
  // Methods nearly always arrive upper-case already; those skip `toUpperCase`.
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
      return method;
    default:
      return typeof method === 'string' ? method.toUpperCase() : '';
  }
}

function operationOf(
  method: string,
  hasSubresource: boolean,
  watchPath: boolean,
  hasName: boolean,
  query: string | undefined,
): ResourceOperation | undefined {
  const m = upperCaseMethod(method);
  if (hasSubresource) {
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
  const watch = watchPath || isWatchQuery(query);
  if (!hasName) {
    switch (m) {
      case 'GET':
      case 'HEAD':
        return watch ? 'Watch' : 'List';
      case 'POST':
        return watchPath ? undefined : 'Create';
      case 'DELETE':
        return watchPath ? undefined : 'DeleteCollection';
      default:
        return undefined;
    }
  }
  if (watchPath) return m === 'GET' ? 'Watch' : undefined;
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
  if (typeof d.plural !== 'string' || !isPlural(d.plural)) {
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
        if (typeof v !== 'string' || !isVersion(v))
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

  const index = new MatchIndex(definitions);

  const lookup = (group: string, plural: string) => byKey.get(`${group}/${plural}`);

  const match = (method: string, path: string, query?: string): ResourceMatch | undefined => {
    if (!pathReader.read(path)) return undefined;
    const { version, watchPath, plural } = pathReader;
    let { namespace, name, subresource } = pathReader;
    // Only declared groups and plurals can match, and declared ones are valid.
    const g = index.group(pathReader.group);
    if (g === undefined) return undefined;
    let r = g.resources.get(plural);
    if (r === undefined) {
      // `/api/v1/namespaces/{name}/{sub}` reads as a namespaced collection; when that collection
      // is undeclared but namespaces are, it is a namespace's subresource.
      if (namespace === undefined || name !== undefined || g.namespaces === undefined)
        return undefined;
      if (!isPlural(plural)) return undefined;
      r = g.namespaces;
      name = namespace;
      subresource = plural;
      namespace = undefined;
    }
    const def = r.def;
    const v = index.version(g, r, version);
    if (v === undefined) return undefined;
    let q = query;
    if (q === undefined) {
      const at = path.indexOf('?');
      if (at !== -1) q = path.slice(at + 1);
    }
    const operation = operationOf(
      method,
      subresource !== undefined,
      watchPath,
      name !== undefined,
      q,
    );
    if (operation === undefined) return undefined;
    if (def.scope === 'Cluster' && namespace !== undefined) return undefined;
    if (
      def.scope === 'Namespaced' &&
      namespace === undefined &&
      !(operation === 'List' || operation === 'Watch')
    )
      return undefined;
    if (def.scope === 'Namespaced' && namespace === undefined && name !== undefined)
      return undefined;

    const out: { -readonly [K in keyof ResourceMatch]: ResourceMatch[K] } = {
      resource: def,
      operation,
      kind: def.kind,
      short: def.short,
      group: g.group,
      version: v.version,
      apiVersion: v.apiVersion,
      route: index.route(r, v, watchPath, namespace !== undefined, name !== undefined, subresource),
      spanName: index.spanName(r, operation, subresource),
    };
    if (namespace !== undefined) out.namespace = namespace;
    if (name !== undefined) out.name = name;
    if (subresource !== undefined) out.subresource = subresource;
    return out;
  };

  return Object.freeze({ resources: Object.freeze(definitions), lookup, match });
}

import { isVersion, pathPrefix, routeTemplate } from './resource-path.js';
import type { ResourceDefinition, ResourceOperation } from './routes.js';
import { toPascalCase } from './span-names.js';

/** How many versions, routes and subresource span names a registry keeps, each. */
const CACHE_LIMIT = 10_000;

/**
 * Declared names looked up by strings sliced from request paths. A Map hashes such a fresh string
 * on every lookup, which costs more in V8 than comparing it with the few names of its length.
 */
class NameIndex<T> {
  private readonly byLength: ({ names: string[]; values: T[] } | undefined)[] = [];

  set(name: string, value: T): void {
    let bucket = this.byLength[name.length];
    if (bucket === undefined) {
      bucket = { names: [], values: [] };
      this.byLength[name.length] = bucket;
    }
    bucket.names.push(name);
    bucket.values.push(value);
  }

  get(name: string): T | undefined {
    const bucket = this.byLength[name.length];
    if (bucket === undefined) return undefined;
    const names = bucket.names;
    for (let k = 0; k < names.length; k++) if (names[k] === name) return bucket.values[k];
    return undefined;
  }
}

/** A declared resource with its span names, built once rather than per request. */
export interface ResourceIndex {
  readonly def: ResourceDefinition;
  /** The declared versions, in `def.versions` order; undefined when every version is served. */
  readonly versions: readonly VersionIndex[] | undefined;
  /** Span names by operation, made on first use (at most the eight operations). */
  readonly spans: Map<ResourceOperation, string>;
  readonly subresourceSpans: Map<string, Map<ResourceOperation, string>>;
}

/** A version of one group, with what a match derives from it. */
export interface VersionIndex {
  readonly version: string;
  readonly apiVersion: string;
  readonly prefix: string;
  /** Route templates by resource, then subresource (`''` for none: subresources are never empty), then path shape. */
  readonly routes: Map<ResourceIndex, Map<string, (string | undefined)[]>>;
  /** False past the cache limit: the version then lives for one call and nothing is cached on it. */
  readonly cached: boolean;
}

export interface GroupIndex {
  readonly group: string;
  readonly resources: NameIndex<ResourceIndex>;
  /** The declared cluster-scoped `namespaces` of the group, which can own subresources. */
  namespaces: ResourceIndex | undefined;
  /** Declared versions and, up to the cache limit, valid ones seen in paths. */
  readonly versions: Map<string, VersionIndex>;
}

function versionIndex(group: string, version: string, cached: boolean): VersionIndex {
  return {
    version,
    apiVersion: group === '' ? version : `${group}/${version}`,
    prefix: pathPrefix(group, version),
    routes: new Map(),
    cached,
  };
}

/**
 * What a registry's `match` looks up per request: declared groups and resources, and the versions,
 * route templates and span names built from them. Whatever comes from request paths (versions of
 * resources that serve every version, subresources) is cached up to CACHE_LIMIT entries each, so
 * that odd traffic cannot grow memory; past that, values are built per call.
 */
export class MatchIndex {
  private readonly groups = new NameIndex<GroupIndex>();
  private versionRoom = CACHE_LIMIT;
  private routeRoom = CACHE_LIMIT;
  private spanRoom = CACHE_LIMIT;

  constructor(definitions: readonly ResourceDefinition[]) {
    const byName = new Map<string, GroupIndex>();
    for (const def of definitions) {
      // Longer groups never parse from a path.
      if (def.group.length > 253) continue;
      let g = byName.get(def.group);
      if (g === undefined) {
        g = {
          group: def.group,
          resources: new NameIndex(),
          namespaces: undefined,
          versions: new Map(),
        };
        byName.set(def.group, g);
        this.groups.set(def.group, g);
      }
      const versions = g.versions;
      const r: ResourceIndex = {
        def,
        versions: def.versions?.map((version) => {
          let v = versions.get(version);
          if (v === undefined) {
            v = versionIndex(def.group, version, true);
            versions.set(version, v);
          }
          return v;
        }),
        spans: new Map(),
        subresourceSpans: new Map(),
      };
      g.resources.set(def.plural, r);
      if (def.plural === 'namespaces' && def.scope === 'Cluster') g.namespaces = r;
    }
  }

  /** A declared group (a valid one, then); `''` is the core group. */
  group(group: string): GroupIndex | undefined {
    return this.groups.get(group);
  }

  /** The version when the resource serves it, undefined otherwise (and for invalid versions). */
  version(g: GroupIndex, r: ResourceIndex, version: string): VersionIndex | undefined {
    if (r.versions !== undefined) {
      // A declared version is a valid one.
      for (const v of r.versions) if (v.version === version) return v;
      return undefined;
    }
    let v = g.versions.get(version);
    if (v === undefined) {
      if (!isVersion(version)) return undefined;
      v = versionIndex(g.group, version, this.versionRoom > 0);
      if (v.cached) {
        this.versionRoom--;
        g.versions.set(version, v);
      }
    }
    return v;
  }

  route(
    r: ResourceIndex,
    v: VersionIndex,
    watchPath: boolean,
    namespaced: boolean,
    named: boolean,
    subresource: string | undefined,
  ): string {
    const shape = (watchPath ? 4 : 0) | (namespaced ? 2 : 0) | (named ? 1 : 0);
    const key = subresource ?? '';
    let shapes = v.routes.get(r)?.get(key);
    let route = shapes?.[shape];
    if (route === undefined) {
      route = routeTemplate(v.prefix, watchPath, namespaced, r.def.plural, named, subresource);
      if (v.cached && this.routeRoom > 0) {
        this.routeRoom--;
        if (shapes === undefined) {
          let bySubresource = v.routes.get(r);
          if (bySubresource === undefined) {
            bySubresource = new Map();
            v.routes.set(r, bySubresource);
          }
          shapes = [];
          bySubresource.set(key, shapes);
        }
        shapes[shape] = route;
      }
    }
    return route;
  }

  /** `{Operation}{Kind}`, with a subresource appended (`UpdateVirtualMachineStatus`). */
  spanName(r: ResourceIndex, op: ResourceOperation, subresource: string | undefined): string {
    if (subresource === undefined) {
      let plain = r.spans.get(op);
      if (plain === undefined) {
        plain = `${op}${r.def.kind}`;
        r.spans.set(op, plain);
      }
      return plain;
    }
    let byOp = r.subresourceSpans.get(subresource);
    let name = byOp?.get(op);
    if (name === undefined) {
      name = `${op}${r.def.kind}${toPascalCase(subresource)}`;
      if (this.spanRoom > 0) {
        this.spanRoom--;
        if (byOp === undefined) {
          byOp = new Map();
          r.subresourceSpans.set(subresource, byOp);
        }
        byOp.set(op, name);
      }
    }
    return name;
  }
}

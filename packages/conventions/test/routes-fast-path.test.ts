import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  ResourceDeclaration,
  ResourceDefinition,
  ResourceMatch,
  ResourceOperation,
  ResourcePath,
} from '../src/index.js';
import {
  createResourceRegistry,
  isWatchQuery,
  parseResourcePath,
  resourceOperation,
  toPascalCase,
} from '../src/index.js';

// The registry's `match` reads paths with an index scan and caches what it derives. This file keeps
// the straightforward implementation it replaced (split, decode, regular expressions, a template
// string per call) and checks that both give the same result, property for property, on generated
// requests: the fast path is an optimisation, never a change of behaviour.

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const PLURAL = /^[a-z][a-z0-9]*$/;
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

function referenceParse(path: string): ResourcePath | undefined {
  if (typeof path !== 'string' || path.charCodeAt(0) !== 47) return undefined;
  let end = path.length;
  const q = path.indexOf('?');
  if (q !== -1) end = q;
  const h = path.indexOf('#');
  if (h !== -1 && h < end) end = h;
  if (end > 2048) return undefined;
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
  const out: { -readonly [K in keyof ResourcePath]: ResourcePath[K] } = {
    group,
    version,
    apiVersion,
    plural,
    watchPath,
    route,
  };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  return out;
}

function referenceIsWatch(query: string | undefined): boolean {
  if (query === undefined || query === '') return false;
  return /(?:^\??|&)watch=(?:true|1)(?:&|$)/.test(query);
}

function referenceOperation(
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
  const watch = path.watchPath || referenceIsWatch(query);
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

function referenceMatcher(definitions: readonly ResourceDefinition[]) {
  const lookup = (group: string, plural: string) =>
    definitions.find((d) => d.group === group && d.plural === plural);
  return (method: string, path: string, query?: string): ResourceMatch | undefined => {
    let parsed = referenceParse(path);
    if (parsed === undefined) return undefined;
    let def = lookup(parsed.group, parsed.plural);
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
    const op = referenceOperation(method, parsed, q);
    if (op === undefined) return undefined;
    if (def.scope === 'Cluster' && parsed.namespace !== undefined) return undefined;
    if (
      def.scope === 'Namespaced' &&
      parsed.namespace === undefined &&
      !(op === 'List' || op === 'Watch')
    )
      return undefined;
    if (def.scope === 'Namespaced' && parsed.namespace === undefined && parsed.name !== undefined)
      return undefined;
    const sub = parsed.subresource;
    const out: { -readonly [K in keyof ResourceMatch]: ResourceMatch[K] } = {
      resource: def,
      operation: op,
      kind: def.kind,
      short: def.short,
      group: parsed.group,
      version: parsed.version,
      apiVersion: parsed.apiVersion,
      route: parsed.route,
      spanName: `${op}${def.kind}${sub === undefined ? '' : toPascalCase(sub)}`,
    };
    if (parsed.namespace !== undefined) out.namespace = parsed.namespace;
    if (parsed.name !== undefined) out.name = parsed.name;
    if (sub !== undefined) out.subresource = sub;
    return out;
  };
}

/** Same own properties, in the same order, with the same values (and the same definition object). */
function expectSame<T extends object>(actual: T | undefined, expected: T | undefined): void {
  if (expected === undefined) {
    expect(actual).toBeUndefined();
    return;
  }
  const keys = Object.keys(expected) as (keyof T)[];
  // The common case without a dozen `expect` calls; any difference falls through to them.
  if (
    actual !== undefined &&
    Object.keys(actual).join() === keys.join() &&
    keys.every((k) => actual[k] === expected[k])
  )
    return;
  expect(actual).toBeDefined();
  expect(Object.keys(actual!)).toEqual(Object.keys(expected));
  for (const key of keys) expect(actual![key]).toBe(expected[key]);
}

// A valid group of 255 characters: declarable, but never parsed from a path.
const LONG_GROUP = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`;
const GROUPS = ['compute.datumapis.com', 'x.io', 'a', 'watch', 'v1', 'api', LONG_GROUP];
const PATH_GROUPS = [...GROUPS, 'Bad.Group', 'x_y.io', '-a.io', 'networking.datumapis.com'];
const PLURALS = ['namespaces', 'pods', 'vms', 'virtualmachines', 'watch', 'status', 'a1', 'api'];
const PATH_PLURALS = [...PLURALS, '1bad', 'Pods', 'scale', 'finalize', 'x-y', 'namespace'];
const VERSIONS = ['v1', 'v1alpha1', 'v2beta3', 'v10'];
const PATH_VERSIONS = [...VERSIONS, 'v0', 'v1alpha', 'V1', 'v1gamma1', 'v01', 'v2'];
const NAMESPACES = ['default', 'a', 'ns-1', 'a'.repeat(63), 'namespaces', 'watch'];
const BAD_NAMESPACES = ['-bad', 'bad-', 'a'.repeat(64), 'UPPER', 'a.b', 'x_y'];
const NAMES = [
  'vm-1',
  'web.1',
  'a b',
  'Ünï',
  'n'.repeat(253),
  'status',
  'watch',
  'namespaces',
  '...',
];
const BAD_NAMES = ['.', '..', 'x\u0001', 'x\u007f', 'n'.repeat(254)];
const SUBRESOURCES = ['status', 'scale', 'finalize'];

const declarationsArb = fc
  .uniqueArray(
    fc.record({
      group: fc.constantFrom('', ...GROUPS),
      plural: fc.constantFrom(...PLURALS),
      versions: fc.option(fc.uniqueArray(fc.constantFrom(...VERSIONS), { minLength: 1 }), {
        nil: undefined,
      }),
      scope: fc.constantFrom<'Namespaced' | 'Cluster' | undefined>(
        'Namespaced',
        'Cluster',
        undefined,
      ),
    }),
    { selector: (d) => `${d.group}/${d.plural}`, maxLength: 12 },
  )
  .map((list) =>
    list.map(
      (d, i): ResourceDeclaration => ({
        group: d.group,
        plural: d.plural,
        kind: `Kind${i}`,
        short: `s${i}`,
        ...(d.versions === undefined ? {} : { versions: d.versions }),
        ...(d.scope === undefined ? {} : { scope: d.scope }),
      }),
    ),
  );

/** The first arbitrary 12 times in 13; otherwise one of the others. */
const mostly = <T>(usual: fc.Arbitrary<T>, ...odd: fc.Arbitrary<T>[]) =>
  fc.oneof({ arbitrary: usual, weight: 12 * odd.length }, ...odd);

/** A segment as it may appear in a path: plain, fully or partly %-encoded, or broken. */
const encoded = (values: readonly string[]) => {
  const value = fc.constantFrom(...values);
  return mostly(
    value,
    value.map(encodeURIComponent),
    value.map((s) => `%${s.charCodeAt(0).toString(16).padStart(2, '0')}${s.slice(1)}`),
    value.map((s) => `${s}%2F`),
    value.map((s) => `${s}%zz`),
    value.map((s) => `${s}%`),
  );
};

/** Paths built mostly from the given names, sometimes from names that should not match. */
const pathsFrom = (names: { groups: string[]; plurals: string[]; versions: string[] }) =>
  fc
    .tuple(
      mostly(
        fc.constantFrom('apis', 'api'),
        fc.constantFrom('apis-only', 'api-only', 'other', 'none'),
      ),
      mostly(encoded(names.groups), encoded(PATH_GROUPS)),
      mostly(encoded(names.versions), encoded(PATH_VERSIONS)),
      mostly(fc.constant(false), fc.constant(true)),
      fc.option(mostly(encoded(NAMESPACES), encoded(BAD_NAMESPACES)), { nil: undefined }),
      fc.tuple(
        mostly(encoded(names.plurals), encoded(PATH_PLURALS)),
        fc.option(mostly(encoded(NAMES), encoded(BAD_NAMES)), { nil: undefined }),
        fc.option(mostly(encoded(SUBRESOURCES), encoded(PATH_PLURALS)), { nil: undefined }),
        mostly(
          fc.constant<string[]>([]),
          fc.array(fc.oneof(encoded(PATH_PLURALS), fc.constantFrom('', 'namespaces')), {
            minLength: 1,
            maxLength: 2,
          }),
        ),
      ),
      mostly(fc.constant(''), fc.constantFrom('/', '//')),
      mostly(
        fc.constant(''),
        fc.constantFrom(
          '?watch=true',
          '?watch=1',
          '?a=1&watch=true',
          '?watch=false',
          '?watchx=true',
          '?watch=true#f',
          '?',
          '#x',
          '#?watch=true',
          '?x=/a/b#/c',
        ),
      ),
      mostly(fc.constant('plain'), fc.constantFrom('no-slash', 'too-long', 'too-many')),
    )
    .map(
      ([
        start,
        group,
        version,
        watch,
        namespace,
        [plural, name, sub, extra],
        trailing,
        suffix,
        odd,
      ]) => {
        const segs: string[] = [];
        if (start === 'apis') segs.push('apis', group, version);
        else if (start === 'api') segs.push('api', version);
        else if (start === 'apis-only') segs.push('apis', group);
        else if (start === 'api-only') segs.push('api');
        else if (start === 'other') segs.push('healthz');
        if (watch) segs.push('watch');
        if (namespace !== undefined) segs.push('namespaces', namespace);
        segs.push(plural);
        if (name !== undefined) {
          segs.push(name);
          if (sub !== undefined) segs.push(sub, ...extra);
        }
        const path = `/${segs.join('/')}${trailing}${suffix}`;
        if (odd === 'no-slash') return path.slice(1);
        if (odd === 'too-long') return `${path.split('?')[0]}${'x'.repeat(2048)}`;
        if (odd === 'too-many') return `/${segs.join('/')}/${'a/'.repeat(6)}`;
        return path;
      },
    );

const pathArb = pathsFrom({ groups: GROUPS, plurals: PLURALS, versions: VERSIONS });

const methodArb = fc.constantFrom<unknown>(
  'GET',
  'get',
  'Get',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'patch',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'po\u017ft', // upper-cases to POST
  '',
  undefined,
  42,
);
const queryArb = fc.constantFrom<string | undefined>(
  undefined,
  undefined,
  '',
  'watch=true',
  '?watch=1',
  'watch=false',
  'a=1&watch=true',
  'limit=5',
);

/** A registry and requests mostly aimed at what it declares. */
const registryAndRequestsArb = declarationsArb.chain((decls) => {
  const pick = (f: (d: ResourceDeclaration) => string[]) => {
    const names = [...new Set(decls.flatMap(f))];
    return names.length === 0 ? ['none'] : names;
  };
  const paths = pathsFrom({
    groups: pick((d) => [d.group]),
    plurals: pick((d) => [d.plural, 'status']),
    versions: pick((d) => [...(d.versions ?? ['v1', 'v3alpha2'])]),
  });
  return fc.tuple(
    fc.constant(decls),
    fc.array(fc.tuple(methodArb, paths, queryArb), { maxLength: 30 }),
  );
});

describe('registry.match equals the straightforward implementation', () => {
  it('on generated registries and requests', () => {
    let requests = 0;
    let matched = 0;
    fc.assert(
      fc.property(registryAndRequestsArb, ([decls, batch]) => {
        const registry = createResourceRegistry(decls);
        const expected = referenceMatcher(registry.resources);
        // Each request twice: the second call is served from the caches.
        for (const [method, path, query] of [...batch, ...batch]) {
          const want = expected(method as string, path, query);
          requests++;
          if (want !== undefined) matched++;
          expectSame(registry.match(method as string, path, query), want);
        }
      }),
      { numRuns: 3000 },
    );
    // Most generated requests are rejected somewhere; enough of them match to cover the output.
    expect(matched).toBeGreaterThan(requests / 100);
  });

  it('on requests that match, for every verb and shape', () => {
    const decls: ResourceDeclaration[] = [
      { group: 'compute.datumapis.com', plural: 'vms', kind: 'Vm', short: 'vm', versions: ['v1'] },
      { group: 'compute.datumapis.com', plural: 'disks', kind: 'Disk', short: 'disk' },
      { group: 'x.io', plural: 'projects', kind: 'Project', short: 'project', scope: 'Cluster' },
      { group: '', plural: 'namespaces', kind: 'Namespace', short: 'namespace', scope: 'Cluster' },
      { group: '', plural: 'pods', kind: 'Pod', short: 'pod' },
    ];
    const registry = createResourceRegistry(decls);
    const expected = referenceMatcher(registry.resources);
    const matching = fc
      .tuple(
        fc.constantFrom('/apis/compute.datumapis.com/v1', '/apis/x.io/v2beta1', '/api/v1'),
        fc.boolean(),
        fc.constantFrom('', '/namespaces/default', '/namespaces/a-b'),
        fc.constantFrom('vms', 'disks', 'projects', 'namespaces', 'pods', 'finalize', 'status'),
        fc.constantFrom('', '/n1', '/n%201', '/n1/status', '/n1/scale', '/n1/finalize'),
        fc.constantFrom('', '?watch=true', '?watch=0', '/'),
      )
      .map(([prefix, watch, ns, plural, rest, suffix]) =>
        [prefix, watch ? '/watch' : '', ns, '/', plural, rest, suffix].join(''),
      );
    let matched = 0;
    const verbs = fc.constantFrom(
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'get',
      'OPTIONS',
    );
    fc.assert(
      fc.property(verbs, matching, queryArb, (method, path, query) => {
        const want = expected(method as string, path, query);
        if (want !== undefined) matched++;
        expectSame(registry.match(method as string, path, query), want);
      }),
      { numRuns: 5000 },
    );
    // The generator reaches matches, not only rejections.
    expect(matched).toBeGreaterThan(300);
  });

  it('past the cache limits: 10,050 versions and subresources still match the same', () => {
    const registry = createResourceRegistry([
      { group: 'x.io', plural: 'things', kind: 'Thing', short: 'thing' },
      { group: '', plural: 'namespaces', kind: 'Namespace', short: 'namespace', scope: 'Cluster' },
    ]);
    const expected = referenceMatcher(registry.resources);
    for (let i = 1; i <= 10_050; i++) {
      for (const [method, path] of [
        ['GET', `/apis/x.io/v${i}/namespaces/ns/things/t1`],
        ['PUT', `/apis/x.io/v1/namespaces/ns/things/t1/sub${i}`],
        ['GET', `/api/v1/namespaces/n${i}/sub${i % 20_000}x`],
      ] as const) {
        const want = expected(method, path);
        expect(want).toBeDefined();
        expectSame(registry.match(method, path), want);
      }
    }
  });
});

describe('the public path functions equal the straightforward implementation', () => {
  it('parseResourcePath', () => {
    fc.assert(
      fc.property(pathArb, (path) => expectSame(parseResourcePath(path), referenceParse(path))),
      { numRuns: 20_000 },
    );
  });

  it('parseResourcePath on arbitrary strings', () => {
    const chars = fc.constantFrom(
      '/',
      'a',
      'v',
      '1',
      'p',
      'i',
      's',
      '%',
      '2',
      'F',
      '?',
      '#',
      '.',
      '-',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: chars, maxLength: 40 }).map((s) => `/api/v1/${s}`),
          fc.string({ unit: chars, maxLength: 40 }).map((s) => `/apis/a/v1/${s}`),
        ),
        (path) => expectSame(parseResourcePath(path), referenceParse(path)),
      ),
      { numRuns: 20_000 },
    );
  });

  it('resourceOperation and isWatchQuery', () => {
    const queries = fc.oneof(
      queryArb,
      fc.string(),
      fc.constantFrom('watch=true&x', 'x&watch=1', '?watch=true', 'awatch=true', 'watch=truex'),
    );
    fc.assert(
      fc.property(
        methodArb,
        fc.boolean(),
        fc.option(fc.constant('n1'), { nil: undefined }),
        fc.option(fc.constant('status'), { nil: undefined }),
        queries,
        (method, watchPath, name, subresource, query) => {
          const path: ResourcePath = {
            group: '',
            version: 'v1',
            apiVersion: 'v1',
            plural: 'pods',
            watchPath,
            route: '/api/v1/pods',
            ...(name === undefined ? {} : { name }),
            ...(subresource === undefined ? {} : { subresource }),
          };
          expect(resourceOperation(method as string, path, query)).toBe(
            referenceOperation(method as string, path, query),
          );
          expect(isWatchQuery(query)).toBe(referenceIsWatch(query));
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

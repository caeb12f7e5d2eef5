// Route templates for Express 4 and 5 without patching Express: when a request ends, the router
// tree is walked once to find the chain of mounted routers (and sub-applications) that led to
// `req.route`, and each mount's pattern is recovered (Express 5 keeps it as `layer.rawPath`; for
// Express 4 it is rebuilt from the matched path and the layer's parameter names). Raw paths never
// come out of here.

interface Matched {
  readonly path: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

interface LayerLike {
  readonly handle?: unknown;
  readonly route?: unknown;
  // Express 5 (router 2)
  readonly rawPath?: unknown;
  readonly slash?: boolean;
  readonly matchers?: ReadonlyArray<(path: string) => Matched | false>;
  // Express 4
  readonly regexp?: RegExp & { fast_slash?: boolean; fast_star?: boolean };
  readonly keys?: ReadonlyArray<{ readonly name: string | number }>;
}

interface RouterLike {
  readonly stack?: readonly LayerLike[];
}

/** An Express application: its router, and the application it is mounted in, if any. */
interface AppLike {
  readonly _router?: RouterLike;
  readonly router?: RouterLike;
  readonly parent?: unknown;
}

/** The parts of an Express request this module reads. */
export interface ExpressRequestLike {
  readonly route?: { readonly path?: unknown } | undefined;
  readonly baseUrl?: string;
  /** The application (its router and `parent` are read, whatever their declared types). */
  readonly app?: object | undefined;
}

const MAX_DEPTH = 16;
const MAX_CACHED_PER_ROUTE = 64;
const cache = new WeakMap<object, Map<string, string | null>>();

function patternText(pattern: unknown): string | undefined {
  if (typeof pattern === 'string') return pattern;
  if (pattern instanceof RegExp) return String(pattern);
  if (Array.isArray(pattern)) {
    const parts = pattern.map(patternText).filter((p): p is string => p !== undefined);
    return parts.length > 0 ? parts.join(',') : undefined;
  }
  return undefined;
}

function join(prefix: string, path: string): string {
  if (prefix === '' || prefix === '/') return path === '' ? '/' : path;
  if (path === '' || path === '/') return prefix;
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Rebuilds `/users/:id` from the matched `/users/42` and `{ id: '42' }`. */
function rebuild(
  matched: string,
  names: readonly (string | number)[],
  values: readonly unknown[],
): string {
  const segments = matched.replace(/\/+$/, '').split('/');
  const used = new Set<number>();
  names.forEach((name, i) => {
    const value = values[i];
    if (typeof value !== 'string') return;
    const at = segments.findIndex(
      (s, j) => !used.has(j) && s !== '' && (s === value || decode(s) === value),
    );
    if (at !== -1) {
      segments[at] = `:${name}`;
      used.add(at);
    }
  });
  return segments.join('/');
}

function stackOf(handle: unknown): readonly LayerLike[] | undefined {
  if (typeof handle !== 'function' && (typeof handle !== 'object' || handle === null))
    return undefined;
  const stack = (handle as RouterLike).stack;
  return Array.isArray(stack) ? stack : undefined;
}

/** How much of `rest` a router layer consumes, and that part's template. */
function matchMount(
  layer: LayerLike,
  rest: string,
): { consumed: string; template: string } | undefined {
  if (layer.slash === true || layer.regexp?.fast_slash === true)
    return { consumed: '', template: '' };
  if (Array.isArray(layer.matchers)) {
    for (const matcher of layer.matchers) {
      const m = matcher(rest);
      if (m === false || typeof m?.path !== 'string' || !rest.startsWith(m.path)) continue;
      const raw = typeof layer.rawPath === 'string' ? layer.rawPath : undefined;
      const params = m.params ?? {};
      const template = raw ?? rebuild(m.path, Object.keys(params), Object.values(params));
      return { consumed: m.path, template };
    }
    return undefined;
  }
  if (layer.regexp instanceof RegExp) {
    layer.regexp.lastIndex = 0;
    const m = layer.regexp.exec(rest);
    if (m === null || m.index !== 0) return undefined;
    const consumed = m[0].endsWith('/') && m[0].length > 1 ? m[0].slice(0, -1) : m[0];
    const names = (layer.keys ?? []).map((k) => k.name);
    return { consumed, template: rebuild(consumed, names, m.slice(1)) };
  }
  return undefined;
}

/** The router stack of an application (Express 4 keeps the router on `_router`, 5 on `router`). */
function appStack(app: AppLike): readonly LayerLike[] | undefined {
  try {
    const stack = app._router?.stack ?? app.router?.stack;
    return Array.isArray(stack) ? stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The applications from the top one down to `app` (a sub-application mounted with
 * `app.use(path, subApp)` has `parent`), or undefined past {@link MAX_DEPTH}.
 */
function appChain(app: AppLike): AppLike[] | undefined {
  const chain: AppLike[] = [];
  let current: unknown = app;
  while (current !== undefined && current !== null) {
    if (chain.length > MAX_DEPTH) return undefined;
    chain.unshift(current as AppLike);
    current = (current as AppLike).parent;
  }
  return chain;
}

/** Express wraps a mounted sub-application in a function of this name (Express 4 and 5). */
function isMountedApp(handle: unknown): boolean {
  return typeof handle === 'function' && handle.name === 'mounted_app';
}

/**
 * The template of `route` below `stack`, with `rest` the part of the base URL not yet matched, and
 * `apps` the sub-applications still to descend into (their mounts are `mounted_app` layers).
 */
function find(
  stack: readonly LayerLike[],
  rest: string,
  route: object,
  depth: number,
  apps: readonly AppLike[],
): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  for (const layer of stack) {
    if (layer.route === route) {
      if (rest === '' || rest === '/') return patternText((route as { path?: unknown }).path) ?? '';
      continue;
    }
    if (layer.route !== undefined) continue;
    let inner: readonly LayerLike[] | undefined;
    let innerApps = apps;
    if (apps.length > 0 && isMountedApp(layer.handle)) {
      inner = appStack(apps[0]!);
      innerApps = apps.slice(1);
    } else {
      inner = stackOf(layer.handle);
    }
    if (inner === undefined) continue;
    const m = matchMount(layer, rest);
    if (m === undefined) continue;
    const below = find(inner, rest.slice(m.consumed.length), route, depth + 1, innerApps);
    if (below !== undefined) return join(m.template, below);
  }
  return undefined;
}

/**
 * The route template of an Express request (`/api/users/:id`), including the mount paths of the
 * routers and sub-applications (`app.use(path, subApp)`) it went through, or `undefined` when no
 * route matched (404, or a response sent by a middleware before routing) or the template cannot be
 * recovered.
 */
export function expressRoute(req: ExpressRequestLike): string | undefined {
  const route = req.route;
  if (route === undefined || route === null || typeof route !== 'object') return undefined;
  const leaf = patternText(route.path);
  if (leaf === undefined) return undefined;
  const base = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  const app = req.app as AppLike | undefined;
  if (base === '' && app?.parent === undefined) return leaf;

  let byBase = cache.get(route);
  const hit = byBase?.get(base);
  if (hit !== undefined) return hit ?? undefined;

  const chain = app === undefined || app === null ? undefined : appChain(app);
  const stack = chain === undefined ? undefined : appStack(chain[0]!);
  const found =
    chain === undefined || stack === undefined
      ? undefined
      : find(stack, base, route, 0, chain.slice(1));
  // Only static mounts are cached: their key is bounded by the app's code, not by the traffic.
  if (found !== undefined && !found.includes(':') && base === found.slice(0, base.length)) {
    if (byBase === undefined) {
      byBase = new Map();
      cache.set(route, byBase);
    }
    if (byBase.size < MAX_CACHED_PER_ROUTE) byBase.set(base, found);
  }
  return found;
}

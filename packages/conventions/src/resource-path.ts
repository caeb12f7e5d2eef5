/** Longest path `parseResourcePath` looks at; longer ones parse to nothing. */
export const MAX_RESOURCE_PATH_LENGTH = 2048;

const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;

/** A Kubernetes API version: `v1`, `v1alpha1`, `v2beta3`. */
export function isVersion(s: string): boolean {
  return VERSION.test(s);
}

// The checks below run on every request, so they are loops over char codes rather than regular
// expressions; each comment gives the expression it equals.

const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/** `/^[a-z][a-z0-9]*$/`: a resource plural or a subresource. */
export function isPlural(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s.charCodeAt(0);
  if (first < 97 || first > 122) return false;
  for (let k = 1; k < n; k++) if (!isLowerOrDigit(s.charCodeAt(k))) return false;
  return true;
}

/** `/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/` and at most 63 characters: a namespace. */
function isDnsLabel(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 63) return false;
  if (!isLowerOrDigit(s.charCodeAt(0)) || !isLowerOrDigit(s.charCodeAt(n - 1))) return false;
  for (let k = 1; k < n - 1; k++) {
    const c = s.charCodeAt(k);
    if (c !== 45 /* - */ && !isLowerOrDigit(c)) return false;
  }
  return true;
}

/** At most 253 characters, not `.` or `..`, and no control characters (`/[\u0000-\u001f\u007f]/`). */
function isObjectName(name: string): boolean {
  const n = name.length;
  if (n > 253 || name === '.' || name === '..') return false;
  for (let k = 0; k < n; k++) {
    const c = name.charCodeAt(k);
    if (c < 32 || c === 127) return false;
  }
  return true;
}

function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    const decoded = decodeURIComponent(segment);
    return decoded.includes('/') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/**
 * Reads the shape of a Kubernetes-style path with `indexOf` instead of `split`, so that a request
 * allocates only the strings it keeps. It checks the namespace, name and subresource; the group,
 * version and plural it leaves to the caller: `parseResourcePath` tests them against the naming
 * rules, a registry against what was declared (a declared group or plural is known valid).
 */
class PathReader {
  /** `''` for the core group (`/api/...`); never `''` under `/apis/`, where segments are not empty. */
  group = '';
  version = '';
  watchPath = false;
  namespace: string | undefined = undefined;
  plural = '';
  name: string | undefined = undefined;
  subresource: string | undefined = undefined;
  /** Segment k is `path.slice(starts[k], starts[k + 1] - 1)`. */
  private readonly starts = new Int32Array(11);
  /** The decoded segments when the path has a `%`; otherwise segments are slices of the path. */
  private decoded: string[] | undefined = undefined;
  private path = '';

  /**
   * False when the path is not a resource path (the fields are then meaningless). A query string,
   * a fragment and one trailing slash are ignored; at most 10 segments, none empty.
   */
  read(path: string): boolean {
    if (typeof path !== 'string' || path.charCodeAt(0) !== 47 /* / */) return false;
    let end = path.length;
    const q = path.indexOf('?');
    if (q !== -1) end = q;
    const h = path.indexOf('#');
    if (h !== -1 && h < end) end = h;
    if (end > MAX_RESOURCE_PATH_LENGTH) return false;
    const stop = end > 1 && path.charCodeAt(end - 1) === 47 ? end - 1 : end;
    const starts = this.starts;
    let n = 0;
    for (let at = 1; ; ) {
      if (n === 10) return false;
      let slash = path.indexOf('/', at);
      if (slash === -1 || slash > stop) slash = stop;
      if (slash === at) return false;
      starts[n++] = at;
      if (slash === stop) break;
      at = slash + 1;
    }
    starts[n] = stop + 1;
    this.path = path;
    this.decoded = undefined;
    const pct = path.indexOf('%');
    if (pct !== -1 && pct < stop) {
      const decoded: string[] = [];
      for (let k = 0; k < n; k++) {
        const d = decodeSegment(path.slice(starts[k]!, starts[k + 1]! - 1));
        if (d === undefined) return false;
        decoded.push(d);
      }
      this.decoded = decoded;
    }

    let i: number;
    if (this.is(0, 'apis')) {
      if (n < 3) return false;
      this.group = this.segment(1);
      this.version = this.segment(2);
      i = 3;
    } else if (this.is(0, 'api')) {
      if (n < 2) return false;
      this.group = '';
      this.version = this.segment(1);
      i = 2;
    } else {
      return false;
    }
    this.watchPath = i < n && this.is(i, 'watch');
    if (this.watchPath) i++;
    let rest = n - i;
    this.namespace = undefined;
    if (rest >= 3 && this.is(i, 'namespaces')) {
      const namespace = this.segment(i + 1);
      if (!isDnsLabel(namespace)) return false;
      this.namespace = namespace;
      i += 2;
      rest -= 2;
    }
    if (rest === 0 || rest > 3) return false;
    this.plural = this.segment(i);
    this.name = rest >= 2 ? this.segment(i + 1) : undefined;
    if (this.name !== undefined && !isObjectName(this.name)) return false;
    this.subresource = rest === 3 ? this.segment(i + 2) : undefined;
    return this.subresource === undefined || isPlural(this.subresource);
  }

  private segment(k: number): string {
    if (this.decoded !== undefined) return this.decoded[k]!;
    return this.path.slice(this.starts[k]!, this.starts[k + 1]! - 1);
  }

  private is(k: number, word: string): boolean {
    if (this.decoded !== undefined) return this.decoded[k] === word;
    const start = this.starts[k]!;
    return (
      this.starts[k + 1]! - 1 - start === word.length &&
      this.path.slice(start, start + word.length) === word
    );
  }
}

/**
 * The one reader: reading is synchronous and callers copy the fields out before running any other
 * code, so sharing it is safe and saves an allocation per request.
 */
export const pathReader = new PathReader();

/** `/apis/{group}/{version}`, or `/api/{version}` for the core group. */
export function pathPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** The path with `{namespace}` and `{name}` placeholders: bounded, safe as a route label. */
export function routeTemplate(
  prefix: string,
  watchPath: boolean,
  namespaced: boolean,
  plural: string,
  named: boolean,
  subresource: string | undefined,
): string {
  let route = watchPath ? `${prefix}/watch` : prefix;
  if (namespaced) route += '/namespaces/{namespace}';
  route += `/${plural}`;
  if (named) route += '/{name}';
  if (subresource !== undefined) route += `/${subresource}`;
  return route;
}

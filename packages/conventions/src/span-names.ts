import type { Finding } from './findings.js';
import { ConventionError, finding, quote } from './findings.js';
import { HTTP_METHODS } from './http-methods.js';

/**
 * The operations a span name may start with. Users add their own through the `verbs` option of
 * {@link checkSpanName} and {@link buildSpanName}.
 */
export const DEFAULT_VERBS = Object.freeze([
  'Create',
  'Get',
  'List',
  'Update',
  'Patch',
  'Delete',
  'DeleteCollection',
  'Watch',
  'Reconcile',
  'Validate',
  'Admit',
  'Mutate',
  'Convert',
  'Finalize',
  'Allocate',
  'Release',
  'Provision',
  'Deprovision',
  'Sync',
  'Apply',
  'Start',
  'Stop',
  'Restart',
  'Resize',
  'Scale',
  'Attach',
  'Detach',
  'Bind',
  'Unbind',
  'Schedule',
  'Evict',
  'Migrate',
  'Backup',
  'Restore',
  'Import',
  'Export',
  'Publish',
  'Process',
  'Handle',
  'Send',
  'Receive',
  'Enqueue',
  'Dequeue',
  'Fetch',
  'Refresh',
  'Rotate',
  'Renew',
  'Revoke',
  'Verify',
  'Authorize',
  'Authenticate',
  'Resolve',
  'Render',
] as const);

/** One of the {@link DEFAULT_VERBS}. */
export type DefaultVerb = (typeof DEFAULT_VERBS)[number];

/** Options shared by the span name check and builder. */
export interface SpanNameOptions {
  /** Verbs accepted beside {@link DEFAULT_VERBS}, PascalCase (`Drain`, `Quarantine`). Default: none. */
  readonly verbs?: readonly string[];
}

/** What else is known about a span when its name is checked. */
export interface SpanNameCheckOptions extends SpanNameOptions {
  /**
   * Known resource kinds (`VirtualMachine`). When given, a name whose resource is none of them (nor a
   * kind followed by a subresource, `VirtualMachineStatus`) gets a warning. Default: any kind.
   */
  readonly kinds?: readonly string[];
  /**
   * Accept the OpenTelemetry HTTP server span name `{METHOD} {route}` (and `{METHOD}` alone), used
   * for routes that are not a declared resource. Default: `false`.
   */
  readonly allowHttpFormat?: boolean;
}

/** Longest span name accepted. */
export const MAX_SPAN_NAME_LENGTH = 128;

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
// `HTTP` is the span name of a request whose method is not a known one.
const HTTP_SPAN_METHODS: ReadonlySet<string> = new Set([...HTTP_METHODS, 'HTTP']);
const HTTP_FORMAT = /^([A-Z]+)(?: (\/\S*))?$/;
const ID_LIKE = /[0-9]{4,}|[0-9a-f]{8}-[0-9a-f]{4}-|(?:^|\/)[0-9a-f]{12,}(?:\/|$)/i;

const sortedVerbCache = new WeakMap<readonly string[], readonly string[]>();

/** Default and extra verbs, longest first, so that `DeleteCollection` wins over `Delete`. */
function verbList(extra: readonly string[] | undefined): readonly string[] {
  if (extra === undefined || extra.length === 0) return DEFAULT_SORTED;
  let sorted = sortedVerbCache.get(extra);
  if (sorted === undefined) {
    for (const verb of extra) {
      if (typeof verb !== 'string' || !PASCAL.test(verb)) {
        throw new ConventionError([
          finding(
            'span.verb.invalid',
            'span',
            String(verb),
            `${quote(String(verb))} cannot be a verb: verbs are PascalCase words such as \`Drain\``,
          ),
        ]);
      }
    }
    sorted = Object.freeze(
      [...new Set([...DEFAULT_VERBS, ...extra])].sort((a, b) => b.length - a.length),
    );
    sortedVerbCache.set(extra, sorted);
  }
  return sorted;
}
const DEFAULT_SORTED: readonly string[] = Object.freeze(
  [...DEFAULT_VERBS].sort((a, b) => b.length - a.length),
);

/** The verb a PascalCase span name starts with (longest match), or `undefined`. */
export function spanNameVerb(name: string, options: SpanNameOptions = {}): string | undefined {
  for (const verb of verbList(options.verbs)) {
    if (name.startsWith(verb)) {
      const next = name.charCodeAt(verb.length);
      // The resource starts with an upper-case letter: `Getaway` is not `Get` + `away`.
      if (next >= 65 && next <= 90) return verb;
    }
  }
  return undefined;
}

/** `virtual-machine`, `virtual_machine`, `virtualMachine` all become `VirtualMachine`. */
export function toPascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/**
 * Checks a span name against `{Operation}{Resource}`: PascalCase, a known verb, then the resource
 * kind. Returns every broken rule; an empty array means the name is valid.
 */
export function checkSpanName(name: string, options: SpanNameCheckOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, message: string, suggestion?: string, level?: 'warning') =>
    out.push(finding(rule, 'span', name, message, suggestion, level));

  if (typeof name !== 'string' || name.trim().length === 0) {
    add(
      'span.name.empty',
      'a span name is required: use `{Operation}{Resource}`, for example `CreateVirtualMachine`',
    );
    return out;
  }
  if (name.length > MAX_SPAN_NAME_LENGTH) {
    add(
      'span.name.length',
      `${quote(name)} is ${name.length} characters long: span names are at most ${MAX_SPAN_NAME_LENGTH}`,
    );
    return out;
  }

  const http = HTTP_FORMAT.exec(name);
  if (http !== null && HTTP_SPAN_METHODS.has(http[1]!)) {
    if (!options.allowHttpFormat) {
      add(
        'span.name.http-format',
        `${quote(name)} is an HTTP server span name: \`{METHOD} {route}\` is only for requests to undeclared routes; name operations \`{Operation}{Resource}\`, for example \`CreateVirtualMachine\``,
      );
    } else if (http[2] !== undefined && ID_LIKE.test(http[2])) {
      add(
        'span.name.high-cardinality',
        `${quote(name)} looks like it holds a raw path with ids: use the route template (\`/users/:id\`), never the raw path`,
      );
    }
    return out;
  }

  if (name.includes('/')) {
    add(
      'span.name.raw-path',
      `${quote(name)} contains a path: span names are \`{Operation}{Resource}\` (or \`{METHOD} {route}\` for HTTP), never a raw path`,
    );
    return out;
  }

  let candidate = name;
  if (!PASCAL.test(name)) {
    candidate = toPascalCase(name);
    add(
      'span.name.pascal-case',
      `${quote(name)} is not PascalCase: span names are \`{Operation}{Resource}\` with no separators${candidate.length > 0 ? `; use ${quote(candidate)}` : ''}`,
      candidate.length > 0 ? candidate : undefined,
    );
    if (candidate.length === 0 || !PASCAL.test(candidate)) return out;
  }

  const verb = spanNameVerb(candidate, options);
  if (verb === undefined) {
    const exact = verbList(options.verbs).find((v) => v === candidate);
    if (exact !== undefined) {
      add(
        'span.name.resource',
        `${quote(name)} names only the operation: add the resource kind, for example \`${exact}VirtualMachine\``,
      );
      return out;
    }
    const trailing = verbList(options.verbs).find(
      (v) => candidate.endsWith(v) && candidate.length > v.length,
    );
    const swapped =
      trailing === undefined ? undefined : `${trailing}${candidate.slice(0, -trailing.length)}`;
    add(
      'span.name.verb',
      `${quote(name)} does not start with a known operation verb (${DEFAULT_VERBS.slice(0, 10).join(', ')}, ...): span names are \`{Operation}{Resource}\`${swapped ? `; use ${quote(swapped)}` : '; add your own verbs with the `verbs` option'}`,
      swapped,
    );
    return out;
  }

  const resource = candidate.slice(verb.length);
  if (ID_LIKE.test(resource)) {
    add(
      'span.name.high-cardinality',
      `${quote(name)} looks like it holds an id: put ids in attributes (\`resource.name\`), never in span names`,
    );
  }
  if (options.kinds !== undefined && options.kinds.length > 0) {
    const known = options.kinds.some(
      (k) => resource === k || (resource.startsWith(k) && PASCAL.test(resource.slice(k.length))),
    );
    if (!known) {
      add(
        'span.name.unknown-kind',
        `${quote(name)} names the resource ${quote(resource)}, which is not a declared kind (${options.kinds.slice(0, 5).join(', ')})`,
        undefined,
        'warning',
      );
    }
  }
  return out;
}

/** Throws a {@link ConventionError} with every violation when the span name breaks a rule. */
export function assertSpanName(name: string, options: SpanNameCheckOptions = {}): void {
  const findings = checkSpanName(name, options).filter((f) => f.level === 'violation');
  if (findings.length > 0) throw new ConventionError(findings);
}

/** The span name `buildSpanName` returns: typed exactly when the verb is a default verb. */
export type BuiltSpanName<O extends string, K extends string> = O extends DefaultVerb
  ? `${O}${K}`
  : string;

/**
 * Builds `{Operation}{Resource}` from an operation and a kind: `buildSpanName('Create',
 * 'VirtualMachine')` is `CreateVirtualMachine`. The operation is matched case-insensitively against
 * the verb list (`create` is `Create`); an unknown verb or a kind that is not PascalCase throws a
 * {@link ConventionError}.
 */
export function buildSpanName<const O extends string, const K extends string>(
  operation: O,
  kind: K,
  options: SpanNameOptions = {},
): BuiltSpanName<O, K> {
  const verbs = verbList(options.verbs);
  const lower = typeof operation === 'string' ? operation.toLowerCase() : '';
  const verb = verbs.find((v) => v.toLowerCase() === lower);
  const problems: Finding[] = [];
  if (verb === undefined) {
    problems.push(
      finding(
        'span.name.verb',
        'span',
        String(operation),
        `${quote(String(operation))} is not a known operation verb (${DEFAULT_VERBS.slice(0, 10).join(', ')}, ...): pass one of them or add it with the \`verbs\` option`,
      ),
    );
  }
  if (typeof kind !== 'string' || !PASCAL.test(kind)) {
    const fixed = typeof kind === 'string' ? toPascalCase(kind) : '';
    problems.push(
      finding(
        'span.name.resource',
        'span',
        String(kind),
        `${quote(String(kind))} is not a PascalCase resource kind${fixed && PASCAL.test(fixed) ? `; use ${quote(fixed)}` : ', for example `VirtualMachine`'}`,
        fixed && PASCAL.test(fixed) ? fixed : undefined,
      ),
    );
  }
  if (problems.length > 0) throw new ConventionError(problems);
  return `${verb}${kind}` as BuiltSpanName<O, K>;
}

/**
 * The OpenTelemetry HTTP server span name for a request that is not a declared resource:
 * `{METHOD} {route}` with the route template, `{METHOD}` without one, and `HTTP` for a method
 * outside the standard set. Never pass a raw path.
 */
export function httpSpanName(method: string, route?: string): string {
  const upper = typeof method === 'string' ? method.toUpperCase() : '';
  const shown = HTTP_METHODS.has(upper) ? upper : 'HTTP';
  return route === undefined || route === '' ? shown : `${shown} ${route}`;
}

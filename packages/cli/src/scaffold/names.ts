import type { Finding } from '@datum-telemetry/conventions';
import {
  buildSpanName,
  ConventionError,
  checkMetricName,
  createResourceRegistry,
  isMetricSegment,
} from '@datum-telemetry/conventions';
import { UsageError } from '../errors.js';
import { checkServiceFlag } from '../flags.js';
import type { ScaffoldOptions } from '../types.js';

/** Everything the templates need, derived once from the options. */
export interface ScaffoldNames {
  readonly service: string;
  readonly kind: string;
  readonly short: string;
  readonly group: string;
  readonly plural: string;
  /** `virtualMachine`: the prefix of the generated identifiers. */
  readonly camel: string;
  /** `virtual-machine`: the resource module's file name. */
  readonly kebab: string;
}

/** The English plural Kubernetes uses for a lower-case kind: `ipaddress` is `ipaddresses`. */
function pluralOf(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

function refuse(flag: string, finding: Finding | undefined, fallback: string): never {
  throw new UsageError(
    finding === undefined
      ? `${flag}: ${fallback}`
      : `${flag}: [${finding.rule}] ${finding.message}`,
  );
}

function firstFinding(error: unknown): Finding | undefined {
  return error instanceof ConventionError ? error.findings[0] : undefined;
}

/**
 * Checks the scaffold options against the conventions: the service name is a metric segment
 * (`checkServiceName`), the resource a PascalCase kind, the short name a metric segment, and the
 * group and plural what a Kubernetes-style route needs. Throws a `UsageError` naming the flag and
 * the rule broken.
 */
export function scaffoldNames(options: ScaffoldOptions): ScaffoldNames {
  const { service, resource, short } = options;
  checkServiceFlag(service);
  try {
    buildSpanName('Create', resource);
  } catch (error) {
    refuse(
      '--resource',
      firstFinding(error),
      `got ${JSON.stringify(resource)}; expected a PascalCase kind such as VirtualMachine`,
    );
  }
  if (!isMetricSegment(short) || short.length > 63) {
    const problem = checkMetricName(`${service}.${short}.active`).find(
      (f) => f.rule !== 'metric.name.segments',
    );
    throw new UsageError(
      `--short: ${JSON.stringify(short)} is not a metric segment (lower case, starting with a letter; letters, digits and _)${problem === undefined ? '' : `: [${problem.rule}] ${problem.message}`}`,
    );
  }
  const group = options.group ?? `${service.replace(/_/g, '-')}.datumapis.com`;
  const plural = options.plural ?? pluralOf(resource.toLowerCase());
  try {
    createResourceRegistry([{ group, plural, kind: resource, short }]);
  } catch (error) {
    const finding = firstFinding(error);
    const flag = finding?.rule === 'resource.plural' ? '--plural' : '--group';
    refuse(flag, finding, `got ${JSON.stringify(flag === '--plural' ? plural : group)}`);
  }
  // `IPAddress` is `ip-address` and `ipAddress`, not `i-p-address` or `iPAddress`.
  const kebab = resource
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
  const camel = kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return { service, kind: resource, short, group, plural, camel, kebab };
}

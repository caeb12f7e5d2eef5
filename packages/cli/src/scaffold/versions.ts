import { packageVersion } from '../version.js';

/**
 * The versions a scaffolded project's package.json asks for: the ones this package's own tests
 * scaffold, install, typecheck and validate against (its devDependencies, which a test compares
 * with this table).
 */
export const TESTED_VERSIONS = Object.freeze({
  '@opentelemetry/api': '1.10.0',
  express: '5.3.0',
  koa: '3.2.1',
  '@koa/router': '15.7.0',
  '@types/express': '5.0.4',
  '@types/koa': '3.0.3',
  '@types/node': '22.20.7',
  typescript: '7.0.2',
} as const);

/** A package of the table above. */
export type TestedPackage = keyof typeof TESTED_VERSIONS;

/**
 * The range of the `@datum-telemetry` packages: this CLI's version, caret. The packages are
 * released together at one version (a test checks that they share it).
 */
export function datumRange(): string {
  const version = packageVersion();
  return version === 'unknown' ? 'latest' : `^${version}`;
}

import { ConfigError } from '@datum-telemetry/config';

/**
 * Checks, at set-up, that an optional peer dependency can be loaded, so that a missing package is
 * a clear error when `setupTracing` runs rather than a failed export later.
 */
export function assertInstalled(specifier: string, option: string, reason: string): void {
  try {
    import.meta.resolve(specifier);
  } catch {
    throw new ConfigError(
      option,
      `${reason} needs the package ${specifier}, which is not installed: run \`npm install ${specifier}@0.301.0\``,
    );
  }
}

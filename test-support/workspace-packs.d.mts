// Types of workspace-packs.mjs: the workspace packages packed as on publish, for the tests that
// install them from tarballs.

/** The repository's root folder, with a trailing slash. */
export const repoRoot: string;
/** `@datum-telemetry/`. */
export const SCOPE: string;
/** The pnpm the repository pins (`devEngines.packageManager`): it packs as a publish does. */
export const PNPM_VERSION: string;
/** `process.env` without the outer `npx`'s `npm_config_package`, for nested npm and npx runs. */
export const childEnv: NodeJS.ProcessEnv;

/** A workspace package's package.json, by its folder in packages/. */
export function manifest(dir: string): {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  files?: string[];
};

/** The workspace packages a package needs, itself included, transitively (folders in packages/). */
export function workspaceClosure(dir: string, seen?: Set<string>): Set<string>;

/**
 * Packs `dirs` and the workspace packages they need into `packDir`: folder in packages/ -> the
 * tarball's path.
 */
export function packWorkspace(dirs: Iterable<string>, packDir: string): Map<string, string>;

/**
 * An `npm install` line's words with each `@datum-telemetry/x` replaced by the tarballs of x and
 * of the workspace packages it needs (each once); other words kept.
 */
export function withTarballs(
  words: readonly string[],
  tarballs: ReadonlyMap<string, string>,
): string[];

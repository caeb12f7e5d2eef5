// The workspace packages as a user gets them, for the tests that install from tarballs (one copy;
// types in the .d.mts beside it): each packed as on publish (`pnpm pack` with the pnpm the
// repository pins rewrites the workspace versions), and an `npm install` line's `@datum-telemetry/*`
// names swapped for the tarballs of the package and the workspace packages it depends on, which
// the registry does not have yet.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const SCOPE = '@datum-telemetry/';
export const PNPM_VERSION = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
  .devEngines.packageManager.version;

// Under `npx -p node@24 -p pnpm@...`, npm sets `npm_config_package` for every child; a nested
// `npx -y pnpm@x` (or `npm install`) must not see it, or npx reads it as its package list.
const { npm_config_package: _outerNpxPackages, ...env } = process.env;
export const childEnv = env;

export function manifest(dir) {
  return JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8'));
}

export function workspaceClosure(dir, seen = new Set()) {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  for (const dep of Object.keys(manifest(dir).dependencies ?? {})) {
    if (dep.startsWith(SCOPE)) workspaceClosure(dep.slice(SCOPE.length), seen);
  }
  return seen;
}

export function packWorkspace(dirs, packDir) {
  const needed = new Set();
  for (const dir of dirs) for (const d of workspaceClosure(dir)) needed.add(d);
  const tarballs = new Map();
  for (const dir of needed) {
    execFileSync('npx', ['-y', `pnpm@${PNPM_VERSION}`, 'pack', '--pack-destination', packDir], {
      cwd: join(repoRoot, 'packages', dir),
      stdio: 'pipe',
      env: childEnv,
    });
    // `datum-telemetry-otlp-1.0.0.tgz`, never `datum-telemetry-otlp-sink-...`: the version follows.
    const pattern = new RegExp(`^datum-telemetry-${dir}-\\d[^/]*\\.tgz$`);
    const file = readdirSync(packDir).find((f) => pattern.test(f));
    if (file === undefined) throw new Error(`no tarball for ${dir} in ${packDir}`);
    tarballs.set(dir, join(packDir, file));
  }
  return tarballs;
}

export function withTarballs(words, tarballs) {
  const out = [];
  for (const word of words) {
    if (!word.startsWith(SCOPE)) {
      out.push(word);
      continue;
    }
    for (const dir of workspaceClosure(word.slice(SCOPE.length))) {
      const tarball = tarballs.get(dir);
      if (tarball === undefined) throw new Error(`${dir} was not packed`);
      out.push(tarball);
    }
  }
  return [...new Set(out)];
}

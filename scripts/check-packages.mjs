#!/usr/bin/env node
// Packaging hygiene for every published package, checked on the packed tarball, not by eye:
// manifest fields, `@opentelemetry/api` only as a peer, every import declared, publint and
// are-the-types-wrong on the tarball. Exits 1 when anything fails.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** The pnpm the repository pins (`devEngines.packageManager`), which packs like a publish does. */
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devEngines
  .packageManager.version;
const packDir = join(root, '.pack');
const failures = [];
const fail = (pkg, message) => failures.push(`${pkg}: ${message}`);
const builtins = new Set(builtinModules);
const only = process.argv.slice(2);

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry) ? [path] : [];
  });
}

function importedPackages(file) {
  const text = readFileSync(file, 'utf8');
  const found = new Set();
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"./][^'"]*)['"]/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1];
    if (spec.startsWith('node:') || builtins.has(spec.split('/')[0])) continue;
    const parts = spec.split('/');
    found.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  return found;
}

const rootEngines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
// Packages that build on the SDK take the range the SDK itself accepts; the API-only ones take any
// 1.x from 1.10.
const API_PEER_RANGES = ['>=1.10.0 <1.11.0', '^1.10.0'];
// Exact versions of the OpenTelemetry JS 3.x line (SDK 3.1.x, exporters 0.301.x).
const SDK_LINE = /^3\.1\.\d+$/;
const EXPORTER_LINE = /^0\.301\.\d+$/;

function checkManifest(dir, pkg) {
  const name = pkg.name;
  if (!name?.startsWith('@datum-telemetry/'))
    fail(name, 'name is not in the @datum-telemetry scope');
  if (pkg.type !== 'module') fail(name, '"type" is not "module"');
  if (pkg.sideEffects !== false) fail(name, '"sideEffects" is not false');
  // The platform (DESIGN.md): Node 22.15+, the OpenTelemetry JS 3.x line and its api range.
  if (pkg.engines?.node !== rootEngines) {
    fail(name, `"engines.node" is ${pkg.engines?.node}, not the repository's ${rootEngines}`);
  }
  const apiPeer = pkg.peerDependencies?.['@opentelemetry/api'];
  if (apiPeer !== undefined && !API_PEER_RANGES.includes(apiPeer)) {
    fail(
      name,
      `the @opentelemetry/api peer range is ${apiPeer}, not one of ${API_PEER_RANGES.join(', ')}`,
    );
  }
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (!dep.startsWith('@opentelemetry/') || dep === '@opentelemetry/api') continue;
      const exact = dep.startsWith('@opentelemetry/exporter-') ? EXPORTER_LINE : SDK_LINE;
      // A peer may take the line from its first release on (`^3.1.0`); a dependency is exact.
      const line =
        field === 'peerDependencies' ? new RegExp(`^\\^?${exact.source.slice(1)}`) : exact;
      if (!line.test(range)) fail(name, `${dep} ${range} is not on the current line (${line})`);
    }
  }
  if (!pkg.license) fail(name, '"license" is missing');
  if (!pkg.repository?.url || !pkg.repository?.directory)
    fail(name, '"repository" needs url and directory');
  if (pkg.publishConfig?.access !== 'public') fail(name, '"publishConfig.access" is not "public"');
  if (!Array.isArray(pkg.files) || !pkg.files.includes('dist'))
    fail(name, '"files" does not list "dist"');
  if (!pkg.exports || typeof pkg.exports !== 'object') {
    fail(name, '"exports" map is missing');
  } else {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (entry === './package.json') continue;
      if (typeof target !== 'object' || target === null) {
        fail(name, `exports["${entry}"] has no "types" condition`);
        continue;
      }
      const keys = Object.keys(target);
      if (keys[0] !== 'types')
        fail(name, `exports["${entry}"]: "types" must be the first condition`);
      for (const file of Object.values(target)) {
        if (typeof file === 'string' && !existsSync(join(dir, file))) {
          fail(name, `exports["${entry}"] points at ${file}, which the build did not produce`);
        }
      }
    }
  }
  for (const field of [
    'dependencies',
    'optionalDependencies',
    'bundleDependencies',
    'bundledDependencies',
  ]) {
    const deps = pkg[field];
    const has = Array.isArray(deps)
      ? deps.includes('@opentelemetry/api')
      : deps?.['@opentelemetry/api'];
    if (has)
      fail(name, `@opentelemetry/api is in "${field}": it must only ever be a peer dependency`);
  }
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const imported = new Set();
  for (const file of sourceFiles(join(dir, 'src'))) {
    for (const dep of importedPackages(file)) {
      imported.add(dep);
      if (dep === name) continue;
      if (!declared.has(dep)) {
        fail(
          name,
          `${relative(dir, file)} imports "${dep}", which is not a dependency or peer dependency`,
        );
      }
      if (dep === '@opentelemetry/api' && !pkg.peerDependencies?.[dep]) {
        fail(name, '@opentelemetry/api is imported but is not a peer dependency');
      }
    }
  }
  // What this package's own workspace dependencies take as peers: a dependency that supplies one
  // (tracing brings `@opentelemetry/resources` for `@datum-telemetry/config/resource`) is used.
  const suppliedPeers = new Set();
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (!dep.startsWith('@datum-telemetry/')) continue;
    const manifestPath = join(
      root,
      'packages',
      dep.slice('@datum-telemetry/'.length),
      'package.json',
    );
    if (!existsSync(manifestPath)) continue;
    const peers = JSON.parse(readFileSync(manifestPath, 'utf8')).peerDependencies ?? {};
    for (const peer of Object.keys(peers)) suppliedPeers.add(peer);
  }
  // A runtime dependency nothing imports is installed for every user for nothing. (Peers are left
  // out: a framework peer such as `express` is the host the package runs in, not an import.)
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (!imported.has(dep) && !suppliedPeers.has(dep)) {
      fail(name, `"${dep}" is a dependency, but no file under src imports it`);
    }
  }
}

// Under `npx -p node@24 -p pnpm@...` (the README's commands), npm sets `npm_config_package` for
// every child, and a nested `npx -y pnpm@x` then reads it as the package list and fails with
// "pnpm@x: not found". The nested call gets the environment without it.
const { npm_config_package: _outerNpxPackages, ...childEnv } = process.env;

function run(cmd, args, cwd) {
  try {
    return {
      ok: true,
      out: execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: childEnv }),
    };
  } catch (error) {
    return { ok: false, out: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir, { recursive: true });
const bin = (tool) => join(root, 'node_modules', '.bin', tool);
let checked = 0;
for (const entry of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', entry);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  if (only.length > 0 && !only.includes(pkg.name) && !only.includes(entry)) continue;
  checked++;
  checkManifest(dir, pkg);

  const packed = run(
    'npx',
    ['-y', `pnpm@${PNPM_VERSION}`, 'pack', '--pack-destination', packDir],
    dir,
  );
  if (!packed.ok) {
    fail(pkg.name, `pnpm pack failed:\n${packed.out}`);
    continue;
  }
  const tarball = readdirSync(packDir).find(
    (f) => f.startsWith(pkg.name.replace('@', '').replace('/', '-')) && f.endsWith('.tgz'),
  );
  if (!tarball) {
    fail(pkg.name, 'no tarball was packed');
    continue;
  }
  const tgz = join(packDir, tarball);
  const listing = run('tar', ['-tzf', tgz], root).out;
  if (/tsbuildinfo|\/test\/|\.test\.|\/src\//.test(listing)) {
    fail(pkg.name, `the tarball holds files it should not:\n${listing}`);
  }
  const publint = run(bin('publint'), ['run', tgz, '--strict'], root);
  if (!publint.ok || /warning|error/i.test(publint.out.replace(/All good!/, ''))) {
    fail(pkg.name, `publint:\n${publint.out}`);
  }
  const attw = run(bin('attw'), [tgz, '--profile', 'esm-only', '--format', 'ascii'], root);
  if (!attw.ok) fail(pkg.name, `are-the-types-wrong:\n${attw.out}`);
  console.log(`checked ${pkg.name} (${tarball})`);
}

if (checked === 0) failures.push('no package was checked');
if (failures.length > 0) {
  console.error(`\npackaging checks failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(`packaging checks passed for ${checked} package(s)`);

// Each package as a user gets it: packed (workspace versions rewritten as on publish), installed
// ALONE with plain npm into an empty directory (its published dependencies from the registry, the
// workspace packages it needs as tarballs beside it), then its README quick start is run. The
// install must not bring any other signal package.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SIGNALS = ['metrics', 'tracing', 'logging'];

interface Target {
  /** Folder under packages/. */
  readonly dir: string;
  /** Registry packages the quick start itself imports (the framework). */
  readonly extra: readonly string[];
}

const TARGETS: readonly Target[] = [
  { dir: 'conventions', extra: [] },
  { dir: 'config', extra: [] },
  { dir: 'metrics', extra: [] },
  { dir: 'tracing', extra: [] },
  { dir: 'logging', extra: [] },
  { dir: 'express', extra: ['express@5.3.0'] },
  { dir: 'koa', extra: ['koa@3.2.1', '@koa/router@15.7.0'] },
];

let packDir: string;
const tarballs = new Map<string, string>();

function manifest(dir: string): { name: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
}

/** The workspace packages a package needs, itself included, transitively. */
function workspaceClosure(dir: string, seen = new Set<string>()): Set<string> {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  for (const dep of Object.keys(manifest(dir).dependencies ?? {})) {
    if (dep.startsWith('@datum-telemetry/'))
      workspaceClosure(dep.slice('@datum-telemetry/'.length), seen);
  }
  return seen;
}

function countPackages(nodeModules: string): number {
  let count = 0;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) count += readdirSync(join(nodeModules, entry)).length;
    else count++;
  }
  return count;
}

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'datum-pack-'));
  const needed = new Set<string>();
  for (const t of TARGETS) for (const d of workspaceClosure(t.dir)) needed.add(d);
  for (const dir of needed) {
    execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', packDir], {
      cwd: join(root, 'packages', dir),
      stdio: 'pipe',
    });
    const prefix = `datum-telemetry-${dir}-`;
    const file = readdirSync(packDir).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    if (file === undefined) throw new Error(`no tarball for ${dir}`);
    tarballs.set(dir, join(packDir, file));
  }
}, 120_000);

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

describe.each(TARGETS)('@datum-telemetry/$dir installed alone', (target) => {
  it('installs with plain npm and runs its quick start', () => {
    const project = mkdtempSync(join(tmpdir(), `datum-${target.dir}-`));
    try {
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'user-project', private: true, type: 'module' }),
      );
      const local = [...workspaceClosure(target.dir)].map((d) => tarballs.get(d)!);
      execFileSync(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          ...local,
          '@opentelemetry/api@1.9.1',
          ...target.extra,
        ],
        {
          cwd: project,
          stdio: 'pipe',
          timeout: 240_000,
        },
      );
      const installed = readdirSync(join(project, 'node_modules', '@datum-telemetry')).sort();
      expect(installed).toEqual([...workspaceClosure(target.dir)].sort());
      for (const signal of SIGNALS) {
        if (signal !== target.dir) expect(installed).not.toContain(signal);
      }
      const example = join(root, 'packages', target.dir, 'examples', 'quickstart.mjs');
      // Every package with a README quick start runs it; conventions and config have none to run.
      if (!['conventions', 'config'].includes(target.dir)) {
        cpSync(example, join(project, 'quickstart.mjs'));
        const out = execFileSync(process.execPath, ['quickstart.mjs'], {
          cwd: project,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, OTEL_SERVICE_NAME: '' },
        });
        expect(out).toContain('quickstart ok');
      }
      console.log(
        `@datum-telemetry/${target.dir}: ${countPackages(join(project, 'node_modules'))} packages installed`,
      );
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 300_000);
});

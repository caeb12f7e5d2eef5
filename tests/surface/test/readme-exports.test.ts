// Each published package's README lists, under "## Exports", the public names of each of its
// entry points: this compares those lists with what the built entry points export, so that one
// cannot change without the other. Values are read by importing the entry by package name (through
// its exports map, as a user gets it); types from its .d.ts, which names every export because
// entries export by name only (no `export *`). An `./internal` entry is not public: the README
// says so and does not list it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Manifest {
  name: string;
  private?: boolean;
  exports: Record<string, string | { types: string }>;
}

interface Names {
  values: string[];
  types: string[];
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/;
const NOT_PUBLIC = './internal';

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }: { manifest: Manifest }) => !manifest.private) as {
  dir: string;
  manifest: Manifest;
}[];

/** The names a built entry's .d.ts exports, values and types apart. */
function declaredExports(dts: string): Names {
  expect(dts, 'an entry exports by name, never `export *`').not.toMatch(/export\s*\*/);
  const values: string[] = [];
  const types: string[] = [];
  for (const [, typeOnly, list] of dts.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const raw of list!.split(',')) {
      const spec = raw.trim();
      if (spec === '') continue;
      const isType = typeOnly !== undefined || spec.startsWith('type ');
      const name = spec
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .at(-1)!;
      (isType ? types : values).push(name);
    }
  }
  for (const [, name] of dts.matchAll(
    /export\s+declare\s+(?:const|let|function|class|enum|abstract class)\s+([A-Za-z_$][\w$]*)/g,
  )) {
    values.push(name!);
  }
  for (const [, name] of dts.matchAll(/export\s+(?:interface|type)\s+([A-Za-z_$][\w$]*)/g)) {
    types.push(name!);
  }
  return { values: values.sort(), types: types.sort() };
}

/**
 * The README's Exports section: one `### \`entry\`` heading per entry point, a table whose first
 * column names each value, and a paragraph starting `Types:` naming each type.
 */
function readmeExports(readme: string): Map<string, Names> {
  const section = /^## Exports\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  expect(section, 'the README has an "## Exports" section').toBeDefined();
  const entries = new Map<string, Names>();
  const parts = section!.split(/^### `([^`]+)`\s*$/m);
  for (let i = 1; i < parts.length; i += 2) {
    const values: string[] = [];
    const types: string[] = [];
    for (const paragraph of parts[i + 1]!.split(/\n\s*\n/)) {
      if (paragraph.startsWith('Types:')) {
        for (const [, name] of paragraph.matchAll(/`([^`]+)`/g)) types.push(name!);
        continue;
      }
      for (const line of paragraph.split('\n')) {
        const cell = /^\|\s*`([^`]+)`/.exec(line)?.[1];
        if (cell !== undefined) values.push(IDENTIFIER.exec(cell)![0]!);
      }
    }
    entries.set(parts[i]!, { values: values.sort(), types: types.sort() });
  }
  return entries;
}

describe.each(packages.map((p) => [p.manifest.name, p] as const))(
  '%s',
  (_name, { dir, manifest }) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const entryPoints = Object.entries(manifest.exports)
      .filter(([key]) => key !== './package.json' && key !== NOT_PUBLIC)
      .map(([key, target]) => ({
        entry: key === '.' ? manifest.name : `${manifest.name}${key.slice(1)}`,
        types: typeof target === 'string' ? target : target.types,
      }));

    it('has a README section for each public entry point, and none for others', () => {
      expect([...readmeExports(readme).keys()].sort()).toEqual(
        entryPoints.map((e) => e.entry).sort(),
      );
    });

    it.each(entryPoints)('lists exactly what $entry exports', async ({ entry, types }) => {
      const declared = declaredExports(readFileSync(join(dir, types), 'utf8'));
      const loaded = Object.keys(await import(entry)).sort();
      expect(loaded, 'the values of the .d.ts are the values the module has').toEqual(
        declared.values,
      );
      expect(readmeExports(readme).get(entry)).toEqual(declared);
    });

    if (NOT_PUBLIC in manifest.exports) {
      it('says its internal entry is not public', () => {
        const internal = `${manifest.name}/internal`;
        const mention = readme.split('\n').find((line) => line.includes(`\`${internal}\``));
        expect(mention, `the README names ${internal}`).toBeDefined();
        expect(mention).toMatch(/not public/);
      });
    }
  },
);

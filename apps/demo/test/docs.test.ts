// docs/implementation.md shows code from the demo services; those services are what the other tests
// in this folder run. The package READMEs show their shipped examples/quickstart.mjs, which
// tests/standalone runs from the packed tarballs. This test fails when a snippet and its source differ.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

it('every snippet in docs/implementation.md and the package READMEs equals its source', () => {
  const out = execFileSync(process.execPath, ['scripts/doc-snippets.mjs', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  const count = Number(/(\d+) snippets checked/.exec(out)?.[1]);
  const markersIn = (file: string) =>
    readFileSync(`${root}${file}`, 'utf8').match(/<!-- snippet: /g)?.length ?? 0;
  const guide = markersIn('docs/implementation.md');
  const readmes = readdirSync(`${root}packages`)
    .filter((dir) => existsSync(`${root}packages/${dir}/README.md`))
    .map((dir) => markersIn(`packages/${dir}/README.md`));
  expect(count).toBe(guide + readmes.reduce((a, b) => a + b, 0));
  expect(guide).toBeGreaterThanOrEqual(10);
  // Every package but the CLI shows its shipped examples/quickstart.mjs as its quick start.
  expect(readmes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(10);
});

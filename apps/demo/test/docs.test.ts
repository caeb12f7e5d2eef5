// docs/implementation.md shows code from the demo services; those services are what the other tests
// in this folder run. This test fails when a snippet in the guide and its source differ.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

it('every snippet in docs/implementation.md equals its region in the demo sources', () => {
  const out = execFileSync(process.execPath, ['scripts/doc-snippets.mjs', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  const count = Number(/(\d+) snippets checked/.exec(out)?.[1]);
  const markers = readFileSync(`${root}docs/implementation.md`, 'utf8').match(
    /<!-- snippet: /g,
  )?.length;
  expect(count).toBe(markers);
  expect(count).toBeGreaterThanOrEqual(10);
});

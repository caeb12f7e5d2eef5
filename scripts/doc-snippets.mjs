#!/usr/bin/env node
// Keeps the code in the docs equal to code that tests run. A fenced block in docs/*.md or a
// package README placed right after `<!-- snippet: path/to/file.ts#name -->` holds the lines between
// `// #region name` and `// #endregion name` of that file (dedented); after
// `<!-- snippet: path/to/file.mjs -->` (no `#name`) it holds the whole file, as the README quick
// starts hold the `examples/quickstart.mjs` their package ships.
//   node scripts/doc-snippets.mjs          rewrite the blocks from the sources
//   node scripts/doc-snippets.mjs --check  exit 1 when a block differs from its source
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const docs = [
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
  ...readdirSync(join(root, 'packages'))
    .map((dir) => join('packages', dir, 'README.md'))
    .filter((f) => existsSync(join(root, f))),
];

function region(file, name) {
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`${file} does not exist`);
  if (name === undefined) return readFileSync(path, 'utf8').replace(/\n$/, '');
  const lines = readFileSync(path, 'utf8').split('\n');
  const marker = (l, word) => [`// #${word} ${name}`, `# #${word} ${name}`].includes(l.trim());
  const start = lines.findIndex((l) => marker(l, 'region'));
  const end = lines.findIndex((l, i) => i > start && marker(l, 'endregion'));
  if (start === -1 || end === -1) throw new Error(`${file} has no region "${name}"`);
  const body = lines.slice(start + 1, end).filter((l) => !/^\s*(\/\/|#) #(end)?region /.test(l));
  const indent = Math.min(
    ...body.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)[0].length),
  );
  return body.map((l) => l.slice(indent)).join('\n');
}

const problems = [];
let count = 0;
for (const doc of docs) {
  const text = readFileSync(join(root, doc), 'utf8');
  const updated = text.replace(
    /(<!-- snippet: ([^#\s]+)(?:#([\w-]+))? -->\n```\w*\n)([\s\S]*?)^```$/gm,
    (match, head, file, name, body) => {
      count++;
      let source;
      try {
        source = `${region(file, name)}\n`;
      } catch (error) {
        problems.push(`${doc}: ${error.message}`);
        return match;
      }
      if (source !== body)
        problems.push(
          `${doc}: the snippet ${file}${name ? `#${name}` : ''} differs from its source`,
        );
      return `${head}${source}\`\`\``;
    },
  );
  if (!check && updated !== text) writeFileSync(join(root, doc), updated);
}
if (check && problems.length > 0) {
  console.error(`${problems.join('\n')}\nrun: node scripts/doc-snippets.mjs`);
  process.exit(1);
}
if (!check) for (const p of problems.filter((p) => !p.includes('differs'))) console.error(p);
console.log(`${count} snippets ${check ? 'checked' : 'written'}`);

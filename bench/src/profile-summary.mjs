// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
// and the share of time spent inside each package (by file path), so a profile can be read in a
// terminal and quoted in RESULTS.md. Usage: node profile-summary.mjs file.cpuprofile [top]
import { readFileSync } from 'node:fs';

export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
  // Idle samples are the process waiting (for a timer, for I/O): not time anything spent.
  for (const node of profile.nodes)
    if (node.callFrame.functionName === '(idle)') self.delete(node.id);
  let total = 0;
  for (const count of self.values()) total += count;
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const functions = new Map();
  const packages = new Map();
  const inclusive = new Map();
  // Self time by the package of the running function: a partition of the time that adds up to
  // 100%, grouped so that it reads as "where the time goes".
  const selfByGroup = new Map();
  for (const [id, count] of self) {
    const frame = byId.get(id).callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + count);
    const group = groupOf(frame);
    selfByGroup.set(group, (selfByGroup.get(group) ?? 0) + count);
    // Inclusive time per package: each sample counts once for every package on its stack.
    const seen = new Set();
    const seenFn = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const callFrame = byId.get(at).callFrame;
      const fnKey = `${callFrame.functionName || '(anonymous)'} ${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}`;
      if (!seenFn.has(fnKey)) {
        seenFn.add(fnKey);
        inclusive.set(fnKey, (inclusive.get(fnKey) ?? 0) + count);
      }
      const pkg = packageOf(callFrame.url);
      if (pkg !== undefined && !seen.has(pkg)) {
        seen.add(pkg);
        packages.set(pkg, (packages.get(pkg) ?? 0) + count);
      }
    }
  }
  const pct = (n) => Math.round((1000 * n) / total) / 10;
  return {
    samples: total,
    selfTop: [...functions]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, n]) => ({ fn, pct: pct(n) })),
    ours: [...inclusive]
      .filter(([fn]) =>
        /^\S+ (http|express|koa|metrics|tracing|logging|conventions)\/dist\//.test(fn),
      )
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, n]) => ({ fn, pct: pct(n) })),
    packages: [...packages]
      .filter(([pkg]) => pkg !== 'bench')
      .sort((a, b) => b[1] - a[1])
      .map(([pkg, n]) => ({ pkg, pct: pct(n) })),
    groups: [...selfByGroup]
      .sort((a, b) => b[1] - a[1])
      .map(([group, n]) => ({ group, pct: pct(n) })),
  };
}

const GROUPS = [
  [/^@datum-telemetry\/(http|express|koa)$/, 'our middleware (http, express, koa)'],
  [/^@datum-telemetry\/conventions$/, 'route parsing and naming (conventions)'],
  [/^@datum-telemetry\/(logging|tracing|metrics|config)$|^bunyan$/, 'our signal packages + bunyan'],
  [/^@opentelemetry\/(sdk-trace|sdk-trace-base|core|resources)$/, 'OTel SDK: spans'],
  [/^@opentelemetry\/(api|context-async-hooks)$/, 'OTel API + context (AsyncLocalStorage)'],
  [/^@opentelemetry\/sdk-metrics$/, 'OTel SDK: metrics'],
  [/^@opentelemetry\/(otlp-|exporter-)/, 'OTLP export (serialise + send)'],
  [
    /^(express|router|koa|koa-compose|@koa\/router|delegates|on-finished|ee-first|path-to-regexp|parseurl|body-parser|qs|etag|send|finalhandler|type-is|mime-types|mime-db|accepts|content-type|side-channel.*|get-intrinsic|http-errors|statuses|vary|negotiator|depd|debug|ms|fresh|cookies|only|encodeurl|escape-html|content-disposition|proxy-addr|forwarded|ipaddr\.js|range-parser|safe-buffer|setprototypeof|toidentifier|merge-descriptors|methods|utils-merge|call-bind.*|call-bound|function-bind|es-.*|gopd|has-.*|hasown|dunder-proto|get-proto|math-intrinsics|object-inspect|once|wrappy|is-promise|inherits|koa-convert|http-assert|cache-content-type|ylru|media-typer)$/,
    'framework (express/koa and their deps)',
  ],
];

function groupOf(frame) {
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(program)' || name === '(root)') return 'V8 / native (program)';
  const pkg = packageOf(frame.url);
  if (pkg === undefined) return 'V8 / native (program)';
  if (pkg === 'node:internal') return 'Node.js core (http, streams, events, fs)';
  if (pkg === 'bench') return 'bench harness and route handler';
  for (const [pattern, group] of GROUPS) if (pattern.test(pkg)) return group;
  return 'other packages';
}

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) return url.slice(nm + 13);
  const pk = url.indexOf('/packages/');
  if (pk !== -1) return url.slice(pk + 10);
  return url.replace(/^file:\/\//, '');
}

function packageOf(url) {
  if (!url) return undefined;
  if (url.startsWith('node:')) return 'node:internal';
  const ours = /\/packages\/([^/]+)\//.exec(url);
  if (ours && !url.includes('node_modules')) return `@datum-telemetry/${ours[1]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm === -1) return url.includes('/bench/') ? 'bench' : undefined;
  const rest = url.slice(nm + 13).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = summarise(
    JSON.parse(readFileSync(process.argv[2], 'utf8')),
    Number(process.argv[3] ?? 25),
  );
  console.log(`${summary.samples} samples\n\nself time:`);
  for (const { fn, pct } of summary.selfTop) console.log(`${String(pct).padStart(5)}%  ${fn}`);
  console.log('\nself time by group:');
  for (const { group, pct } of summary.groups) console.log(`${String(pct).padStart(5)}%  ${group}`);
  console.log('\ninclusive time of our functions:');
  for (const { fn, pct } of summary.ours) console.log(`${String(pct).padStart(5)}%  ${fn}`);
  console.log('\ninclusive time by package:');
  for (const { pkg, pct } of summary.packages) console.log(`${String(pct).padStart(5)}%  ${pkg}`);
}

// The cost section as an A/B of two builds in one run: `node --expose-gc src/ab-cost.mjs <other
// checkout> [variants] [rounds]` runs `signal-cost.mjs` from this checkout and from the other one
// (a git worktree of the old commit, installed and built), alternating which goes first in each
// round, against one sink. Each round's ratio (this / other, CPU µs per request) is taken within
// the round, then the median, so the machine's slow phases cancel out. Prints a Markdown table;
// with BENCH_RESULTS set, writes it there too.
//
//   git worktree add /tmp/base <old-commit> && (cd /tmp/base && pnpm install --frozen-lockfile && pnpm build)
//   node --expose-gc bench/src/ab-cost.mjs /tmp/base all,off 7 [koa,express]
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSink } from './processes.mjs';
import { median } from './stats.mjs';

const [otherRoot, variantsText = 'off,all', roundsText = '7', frameworksText = 'koa,express'] =
  process.argv.slice(2);
if (otherRoot === undefined || !existsSync(resolve(otherRoot, 'bench/src/signal-cost.mjs'))) {
  throw new Error(
    'usage: ab-cost.mjs <other checkout, built> [variants, e.g. off,all] [rounds] [koa,express]',
  );
}
const variants = variantsText.split(',');
const rounds = Number(roundsText);
const REQUESTS = { koa: 20_000, express: 10_000 };
const here = fileURLToPath(new URL('./signal-cost.mjs', import.meta.url));
const there = resolve(otherRoot, 'bench/src/signal-cost.mjs');

function runCost(script, framework, variant, sinkUrl) {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--expose-gc', script, framework, variant, String(REQUESTS[framework])],
      { env: { ...process.env, BENCH_SINK_URL: sinkUrl, BENCH_LOG_FILE: '/dev/null' } },
      (error, stdout, stderr) => {
        if (error)
          fail(new Error(`${script} ${framework} ${variant}: ${error.message}\n${stderr}`));
        else done(JSON.parse(stdout.trim().split('\n').pop()));
      },
    );
  });
}

const fmt = (n, digits = 1) => n.toFixed(digits);

const sink = await startSink('ok');
const rows = [];
try {
  for (const framework of frameworksText.split(',')) {
    for (const variant of variants) {
      const mine = [];
      const theirs = [];
      const ratios = [];
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? [here, there] : [there, here];
        const result = {};
        for (const script of order) {
          result[script] = await runCost(script, framework, variant, sink.url);
        }
        const a = result[here].cpuMicrosPerRequest;
        const b = result[there].cpuMicrosPerRequest;
        mine.push(a);
        theirs.push(b);
        ratios.push(a / b);
        process.stderr.write(
          `[ab-cost] ${framework} ${variant} round ${r + 1}/${rounds}: ${fmt(a)} vs ${fmt(b)} µs\n`,
        );
      }
      rows.push(
        `| ${framework} | ${variant} | ${fmt(median(mine))} | ${fmt(median(theirs))} | ${fmt(median(ratios), 2)}x | ${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)} |`,
      );
    }
  }
} finally {
  sink.stop();
}

const table = [
  `A/B of the cost section, ${rounds} rounds, Node ${process.version}: this checkout against ${otherRoot}.`,
  '',
  '| framework | variant | this: CPU µs/req (median) | other: CPU µs/req (median) | this / other (median of rounds) | range |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');
process.stdout.write(table);
if (process.env.BENCH_RESULTS) writeFileSync(process.env.BENCH_RESULTS, table);
process.exit(0);

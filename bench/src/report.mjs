// Turns the raw results of run.mjs into the summary (medians over rounds, ratios taken within each
// round and then their median), the goals, and the Markdown / terminal tables.
import { cpus, totalmem } from 'node:os';
import { exemplarCost, summariseCost } from './cost-summary.mjs';
import { fmt, fmtInt, pad, padl, table, x } from './format.mjs';
import { issueGoals } from './goals.mjs';
import { simultaneousMarkdown, simultaneousTerminal } from './simultaneous-report.mjs';
import { controlWarnings, summariseSimultaneous } from './simultaneous-summary.mjs';
import { median } from './stats.mjs';

const LABELS = {
  'express-bare': 'Express 5, bare',
  'express-ours-all': 'Express + ours: traces, metrics, access log',
  'express-ours-tm': 'Express + ours: traces, metrics',
  'express-otel-auto': 'Express + OTel auto-instrumentation (http + express)',
  'express-otel-manual': 'Express + hand-written OTel middleware (span, counter, histogram)',
  'express-prom-bundle': 'Express + express-prom-bundle (metrics only)',
  'express-ours-metrics': 'Express + ours: metrics only (Prometheus pull, as express-prom-bundle)',
  'express-pino-http': 'Express + pino-http (access log only)',
  'express-ours-log': 'Express + ours: access log only (to a file, as pino-http)',
  'koa-bare': 'Koa 3 + @koa/router, bare',
  'koa-ours-all': 'Koa + ours: traces, metrics, access log',
  'koa-ours-tm': 'Koa + ours: traces, metrics',
  'koa-otel-auto': 'Koa + OTel auto-instrumentation (http + koa)',
  'koa-otel-manual': 'Koa + hand-written OTel middleware (span, counter, histogram)',
};

/** Medians of each measure over the rounds, and of the per-round ratios to `base`. */
function summariseRows(rounds, names, base, extra = {}) {
  return names.map((name) => {
    const runs = rounds.map((round) => round[name]).filter(Boolean);
    const ratio = (key, against) =>
      median(
        rounds.map((round) =>
          round[name] && round[against] ? round[name][key] / round[against][key] : undefined,
        ),
      );
    const row = {
      name,
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      maxRssMB: median(runs.map((r) => r.maxRssBytes / 2 ** 20)),
      cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
      otlpMB: median(
        runs.map((r) => (r.otlpBytes === undefined ? undefined : r.otlpBytes / 2 ** 20)),
      ),
      errors: runs.reduce((sum, r) => sum + r.errors, 0),
      requests: runs.reduce((sum, r) => sum + r.requests, 0),
      rounds: runs.length,
      throughputRatio: ratio('requestsPerSecond', base),
      p50Ratio: ratio('p50', base),
      p99Ratio: ratio('p99', base),
      rssRatio: ratio('maxRssBytes', base),
      cpuRatio: ratio('cpuMicrosPerRequest', base),
    };
    for (const [key, against] of Object.entries(extra))
      row[key] = ratio('requestsPerSecond', against);
    return row;
  });
}

const COST_LABELS = {
  bare: 'the framework alone',
  off: 'telemetry() with every signal off',
  traces: 'server span, exported over OTLP',
  metrics: 'request metrics, exported over OTLP',
  log: 'access log line, written to a file',
  all: 'all three (the `*-ours-all` configuration), exemplars kept (`trace_based`)',
  'all-exemplars-off': 'all three, exemplar filter `always_off`',
  manual: 'hand-written OTel middleware: span, counter, histogram',
};

export function summarise(results) {
  const out = {};
  if (results.http) {
    const { rounds, configs } = results.http;
    const ran = (names) => names.filter((name) => rounds.some((round) => round[name]));
    if (ran(configs.express).length > 0) {
      out.express = summariseRows(rounds, ran(configs.express), 'express-bare', {
        vsOtelAuto: 'express-otel-auto',
      });
    }
    if (ran(configs.koa).length > 0) {
      out.koa = summariseRows(rounds, ran(configs.koa), 'koa-bare', {
        vsOtelAuto: 'koa-otel-auto',
      });
    }
  }
  if (results.reliability) {
    out.reliability = summariseRows(results.reliability.rounds, results.reliability.sinks, 'up');
  }
  if (results.simultaneous) {
    out.simultaneous = summariseSimultaneous(results.simultaneous);
    out.warnings = [
      ...(results.simultaneous.warning === undefined
        ? []
        : [`WARNING: ${results.simultaneous.warning}`]),
      ...controlWarnings(out.simultaneous),
    ];
  }
  out.goals = issueGoals(results, out);
  return out;
}

const metText = (met) => (met === undefined ? 'not measured' : met ? 'met' : 'NOT met');

function httpTable(rows, base) {
  return table(
    [
      'configuration',
      'req/s',
      'x bare',
      'x OTel auto',
      'p50 ms',
      'p99 ms',
      'x bare p99',
      'peak RSS MB',
      'x bare RSS',
      'server CPU µs/req',
      'OTLP MB sent',
      'errors',
    ],
    rows.map((r) => [
      `${LABELS[r.name] ?? r.name}`,
      fmtInt(r.requestsPerSecond),
      r.name === base ? '1.00x' : x(r.throughputRatio),
      x(r.vsOtelAuto),
      fmt(r.p50, 1),
      fmt(r.p99, 1),
      r.name === base ? '1.00x' : x(r.p99Ratio),
      fmt(r.maxRssMB),
      r.name === base ? '1.00x' : x(r.rssRatio),
      fmt(r.cpuMicrosPerRequest),
      fmt(r.otlpMB, 1),
      String(r.errors),
    ]),
  );
}

function machine() {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, ${process.platform} ${process.arch}`;
}

export function renderMarkdown(results) {
  const s = summarise(results);
  const st = results.settings;
  const parts = [];
  const costOnly =
    results.cost !== undefined &&
    ['simultaneous', 'http', 'reliability', 'micro', 'soak', 'profile'].every(
      (section) => results[section] === undefined,
    );
  parts.push('# datum-telemetry performance results');
  const mode = costOnly
    ? `- Mode: ${st.mode}, cost per signal only (${st.costRounds} round(s); ${st.costRequests.koa.toLocaleString('en-US')} Koa / ${st.costRequests.express.toLocaleString('en-US')} Express requests per run; whole run ${fmtInt(results.elapsedSeconds)} s)`
    : `- Mode: ${st.mode} (simultaneous: ${st.simultaneous.repeats} repeat(s) of ${st.simultaneous.warmupSeconds} s warm-up + ${st.simultaneous.measureSeconds} s per pair; interleaved HTTP: ${st.rounds} round(s) of ${st.warmupSeconds} s warm-up + ${st.measureSeconds} s per configuration; ${results.connections} connections; whole run ${fmtInt(results.elapsedSeconds)} s)`;
  const command = costOnly
    ? '- Command: `BENCH_SECTIONS=cost BENCH_RESULTS=bench/COST.md pnpm bench` (writes this file).'
    : '- Command: `pnpm bench` (writes this file); `BENCH_QUICK=1 pnpm bench` for a smoke run.';
  parts.push(
    [
      `- Date: ${new Date().toISOString()}`,
      `- Machine: ${machine()}`,
      `- Node.js: ${process.version}`,
      mode,
      command,
    ].join('\n'),
  );
  if (!costOnly)
    parts.push(`## How to read this

- Every server configuration runs in its own process on 127.0.0.1; autocannon runs in another
  process with ${results.connections} connections; spans and metrics are exported over OTLP/protobuf
  to a sink in a third process that drains each request and answers 200 (no decoding). The
  machine has few cores and everything competes for them, as it would in a small pod.
- The goals are judged on the simultaneous pairs (throughput and tail), the in-process cost per
  signal, the micro benchmarks, the soak and the reliability runs; \`not measured\` means the
  section did not run or the case does not exist.
- Simultaneous pairs: a baseline and a configuration at the same time, pinned to the same CPU,
  each loaded by its own load generator; compared by requests per server CPU-second over the same
  window. A bare-next-to-bare control pair shows how even the two sides are.
- Interleaved HTTP (the second view): configurations are interleaved: every round runs each one once (warm-up, then measurement), the
  order rotating between rounds. A ratio (\`x bare\`, \`x OTel auto\`) is taken between
  measurements of the *same round* and the table shows the median over rounds, so slow phases of
  a shared machine cancel out; absolute req/s move with the machine's load and are only
  comparable within one run.
- \`x bare\` on req/s: share of the bare framework's throughput kept (higher is better); on latency
  and RSS: the multiple of the bare framework's (lower is better). \`server CPU µs/req\` is the
  server process's CPU time during the measurement divided by the requests served: the cost of a
  request, less sensitive to other load on the machine than req/s. \`OTLP MB sent\` is what the
  sink received during the measurement (proof that spans were exported; the batch queue drops
  spans it cannot export in time, for every SDK-based configuration alike).
- Micro benchmarks: median CPU time per operation over interleaved samples (our call, then the
  raw call, in the same process), a full GC before each sample.
- What was optimized, and what the profiles say about the goals not met: \`bench/README.md\`,
  section "Findings". The last section here is this run's own profile.
- The soak drives the real app in-process (real \`IncomingMessage\`/\`ServerResponse\` objects on a
  discarding socket) so that a million requests fit in the time budget; heap is measured after a
  full GC.`);

  if (!costOnly) {
    parts.push('## Goals (issue 15)');
    parts.push(
      table(
        ['goal', 'target', 'result', ''],
        s.goals.map((g) => [g.text, g.target, g.shown, metText(g.met)]),
      ),
    );
    for (const warning of s.warnings ?? []) parts.push(`**${warning}**`);
  }
  if (results.simultaneous) {
    parts.push(simultaneousMarkdown(results.simultaneous, s.simultaneous, s.warnings));
  }
  if (s.express) {
    parts.push('## HTTP: Express 5');
    parts.push(httpTable(s.express, 'express-bare'));
  }
  if (s.koa) {
    parts.push('## HTTP: Koa 3');
    parts.push(httpTable(s.koa, 'koa-bare'));
  }
  if (s.reliability) {
    parts.push('## Reliability: Express + ours (all three signals) with the collector failing');
    parts.push(
      'Same app and load; only the OTLP endpoint changes: `up` answers 200, `down` refuses connections, `slow` answers after 3 s, `500` and `429` (Retry-After: 1) reject every export. Ratios are to `up` in the same round.',
    );
    parts.push(
      table(
        [
          'collector',
          'req/s',
          'x up',
          'p99 ms',
          'x up p99',
          'peak RSS MB',
          'x up RSS',
          'server CPU µs/req',
          'x up CPU',
          'errors',
        ],
        s.reliability.map((r) => [
          r.name,
          fmtInt(r.requestsPerSecond),
          r.name === 'up' ? '1.00x' : x(r.throughputRatio),
          fmt(r.p99, 1),
          r.name === 'up' ? '1.00x' : x(r.p99Ratio),
          fmt(r.maxRssMB),
          r.name === 'up' ? '1.00x' : x(r.rssRatio),
          fmt(r.cpuMicrosPerRequest),
          r.name === 'up' ? '1.00x' : x(r.cpuRatio),
          String(r.errors),
        ]),
      ),
    );
  }
  if (results.micro) {
    parts.push('## Micro benchmarks (CPU ns per operation, median)');
    parts.push(
      table(
        ['operation', 'ours', 'ns/op', 'raw', 'ns/op', 'ratio'],
        results.micro.map((m) => [
          m.name,
          m.ours,
          fmtInt(m.oursNs),
          m.raw,
          fmtInt(m.rawNs),
          x(m.ratio),
        ]),
      ),
    );
    parts.push(
      'The wrapper goal (<= 1.10x) applies to the first six rows. The middleware rows compare the whole per-request path of `@datum-telemetry/express` (route-to-resource parsing, `{Operation}{Kind}` naming, 13 span attributes, in-flight gauge, two metrics, access log) with a hand-written middleware that only starts a span with 8 attributes, adds a counter and a histogram (and writes a bunyan line): they show what the extra features cost, not a wrapper overhead.',
    );
  }
  if (results.cost) {
    parts.push('## What each signal costs (CPU µs per request, in-process)');
    parts.push(
      "The same app with one signal at a time (`src/signal-cost.mjs`), each run in its own process, the order rotating between rounds; the cost over bare is taken within a round, then the median. In-process there is no socket or kernel time, which over HTTP adds the same cost to every configuration, so `x bare` here is lower than the HTTP tables' for the same work. The hand-written row is the floor of any middleware built on the OpenTelemetry SDK: one span, a counter and a histogram, exported the same way.",
    );
    for (const [framework, title] of [
      ['koa', 'Koa 3 + @koa/router'],
      ['express', 'Express 5'],
    ]) {
      if (!results.cost[framework]) continue;
      parts.push(`### ${title}`);
      parts.push(
        table(
          [
            'variant',
            'what runs',
            'CPU µs/req',
            'over bare µs',
            'x bare',
            'spans dropped',
            'failures',
          ],
          summariseCost(results.cost[framework]).map((r) => [
            r.variant,
            COST_LABELS[r.variant] ?? r.variant,
            fmt(r.cpuMicrosPerRequest, 1),
            r.variant === 'bare' ? '' : fmt(r.overBare, 1),
            r.variant === 'bare' ? '1.00x' : x(r.bareRatio),
            fmtInt(r.droppedSpans),
            r.failures,
          ]),
        ),
      );
      const ex = exemplarCost(results.cost[framework]);
      if (ex !== undefined) {
        parts.push(
          `Exemplars: \`all\` keeps them (filter \`trace_based\`, every span sampled, so every request offers one), \`all-exemplars-off\` runs the same with \`always_off\`, which never reads the span context. **Exemplars cost ${fmt(ex.micros, 1)} µs per request** (\`all\` minus \`all-exemplars-off\` within each round, median of ${ex.rounds}; range ${fmt(ex.range[0], 1)} to ${fmt(ex.range[1], 1)}; a negative number is noise).`,
        );
      }
      const sk = results.cost[framework].skeleton;
      if (sk !== undefined) {
        parts.push(
          `The middleware with every signal off, measured in one process (\`src/skeleton.mjs\`: a bare app and the same app behind \`telemetry()\` with traces, metrics and the logger off, blocks of ${fmtInt(sk.block)} requests alternating, ${sk.rounds} rounds): bare ${fmt(sk.bareMicros, 1)} µs, off ${fmt(sk.offMicros, 1)} µs, **the skeleton ${fmt(sk.skeletonMicros, 1)} µs per request** (median of the per-round differences; range ${fmt(sk.skeletonRange[0], 1)} to ${fmt(sk.skeletonRange[1], 1)}).`,
        );
      }
    }
    const em = results.cost.exemplarMeasurements;
    if (em !== undefined) {
      parts.push('### Exemplars per measurement');
      parts.push(
        `Per request, an exemplar is smaller than the noise of the rounds above, so it is also measured on its own (\`src/exemplar-cost.mjs\`): the middleware's request recorder (counter and histogram cells, as the middleware reaches them) and a \`defineMetrics\` histogram recorded inside \`context.with\` of a span, each under \`always_off\` (no exemplar code runs: the numbers without exemplars) and \`trace_based\` with a sampled span (every measurement offered to the reservoirs) and an unsampled one, blocks alternating in one process, median ns of ${em.rounds} round(s).`,
      );
      parts.push(
        table(
          [
            'measurement',
            'always_off (ns)',
            'trace_based, sampled (ns)',
            'trace_based, unsampled (ns)',
            'sampled - off (ns)',
          ],
          [
            ['request recorder (one request)', em.request],
            ['defineMetrics histogram.record', em.own],
          ].map(([label, m]) => [
            label,
            fmt(m.always_off, 0),
            fmt(m['trace_based, sampled'], 0),
            fmt(m['trace_based, unsampled'], 0),
            `${fmt(m.sampledMinusOff, 0)} (${fmt(m.range[0], 0)} to ${fmt(m.range[1], 0)})`,
          ]),
        ),
      );
    }
  }
  if (results.soak) {
    const k = results.soak;
    parts.push(`## Soak: ${fmtInt(k.requests)} requests, ${k.framework}, all three signals`);
    parts.push(
      `${fmtInt(k.requests)} requests in ${fmt(k.seconds, 1)} s in-process (after ${fmtInt(k.warmupRequests)} warm-up requests), ${k.failures} failures. Heap after GC: ${fmt(k.heapStartBytes / 2 ** 20, 1)} MB at the start, ${fmt(k.heapEndBytes / 2 ** 20, 1)} MB at the end: growth **${fmt(k.growthBytes / 2 ** 20, 2)} MB**. Along the way: ${k.samples.map((p) => `${fmtInt(p.requests)}: ${fmt(p.heapBytes / 2 ** 20, 1)} MB`).join(', ')}. Spans dropped by the bounded batch queue (in-process load is faster than one exporter): ${fmtInt(k.droppedSpans)}.`,
    );
  }
  if (results.profile) {
    parts.push('## Where the time goes (CPU profile of the per-request path, in-process)');
    for (const [config, p] of Object.entries(results.profile)) {
      parts.push(
        `### ${LABELS[config] ?? config}: ${fmt(p.cpuMicrosPerRequest, 1)} µs CPU per request`,
      );
      parts.push(
        table(
          ['self time by group', 'share'],
          p.groups.map((g) => [g.group, `${fmt(g.pct, 1)}%`]),
        ),
      );
      parts.push(
        table(
          ['top functions (self time)', 'share'],
          p.selfTop.slice(0, 12).map((f) => [`\`${f.fn}\``, `${fmt(f.pct, 1)}%`]),
        ),
      );
    }
  }
  return `${parts.join('\n\n')}\n`;
}

export function renderTerminal(results) {
  const s = summarise(results);
  const lines = [];
  if (results.simultaneous) {
    lines.push(...simultaneousTerminal(results.simultaneous, s.simultaneous, s.warnings));
  }
  for (const [title, rows, base] of [
    ['Express 5', s.express, 'express-bare'],
    ['Koa 3', s.koa, 'koa-bare'],
  ]) {
    if (!rows) continue;
    lines.push(`\n${title}`);
    lines.push(
      `${pad('configuration', 22)}${padl('req/s', 9)}${padl('x bare', 8)}${padl('x otel', 8)}${padl('p50', 7)}${padl('p99', 7)}${padl('RSS MB', 8)}${padl('CPU µs', 8)}${padl('errors', 8)}`,
    );
    for (const r of rows) {
      lines.push(
        `${pad(r.name, 22)}${padl(fmtInt(r.requestsPerSecond), 9)}${padl(r.name === base ? '1.00x' : x(r.throughputRatio), 8)}${padl(x(r.vsOtelAuto), 8)}${padl(fmt(r.p50, 1), 7)}${padl(fmt(r.p99, 1), 7)}${padl(fmt(r.maxRssMB), 8)}${padl(fmt(r.cpuMicrosPerRequest), 8)}${padl(r.errors, 8)}`,
      );
    }
  }
  if (s.reliability) {
    lines.push('\nReliability (express-ours-all; ratio to collector up)');
    for (const r of s.reliability)
      lines.push(
        `${pad(r.name, 8)}${padl(fmtInt(r.requestsPerSecond), 9)}${padl(r.name === 'up' ? '1.00x' : x(r.throughputRatio), 8)}${padl(`${fmt(r.maxRssMB)} MB`, 10)}${padl(`${fmt(r.cpuMicrosPerRequest)} µs`, 10)}${padl(r.errors, 6)}`,
      );
  }
  if (results.micro) {
    lines.push('\nMicro (CPU ns/op: ours vs raw)');
    for (const m of results.micro)
      lines.push(
        `${pad(m.name, 46)}${padl(fmtInt(m.oursNs), 9)}${padl(fmtInt(m.rawNs), 9)}${padl(x(m.ratio), 8)}`,
      );
  }
  if (results.cost) {
    for (const framework of ['koa', 'express']) {
      const cost = results.cost[framework];
      if (cost === undefined) continue;
      lines.push(`\nCost per signal, ${framework} (CPU µs/request in-process; over bare)`);
      for (const r of summariseCost(cost))
        lines.push(
          `${pad(r.variant, 18)}${padl(fmt(r.cpuMicrosPerRequest, 1), 8)}${padl(r.variant === 'bare' ? '' : `${r.overBare >= 0 ? '+' : ''}${fmt(r.overBare, 1)}`, 8)}`,
        );
    }
  }
  const em = results.cost?.exemplarMeasurements;
  if (em !== undefined) {
    lines.push('\nExemplars per measurement (ns; always_off, trace_based sampled, unsampled)');
    for (const [label, m] of [
      ['request recorder', em.request],
      ['defineMetrics histogram', em.own],
    ])
      lines.push(
        `${pad(label, 26)}${padl(fmt(m.always_off, 0), 8)}${padl(fmt(m['trace_based, sampled'], 0), 8)}${padl(fmt(m['trace_based, unsampled'], 0), 8)}`,
      );
  }
  if (results.soak) {
    lines.push(
      `\nSoak: ${fmtInt(results.soak.requests)} requests, heap growth ${fmt(results.soak.growthBytes / 2 ** 20, 2)} MB`,
    );
  }
  lines.push('\nGoals (issue 15)');
  for (const g of s.goals)
    lines.push(`${pad(metText(g.met), 13)} ${g.text}: ${g.shown} (target ${g.target})`);
  for (const warning of s.warnings ?? []) lines.push(warning);
  return `${lines.join('\n')}\n`;
}

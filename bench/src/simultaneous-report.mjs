// The simultaneous section in the Markdown and terminal reports.
import { fmt, fmtInt, pad, padl, range, table, x } from './format.mjs';

/** Markdown: how the section ran, then one table for the saturated pairs, one for the paced. */
export function simultaneousMarkdown(sim, rows, warnings) {
  const parts = ['## Simultaneous: two servers on one CPU, at the same time'];
  const placement = sim.pinned
    ? `both servers of a pair pinned to one CPU, their load generators and the OTLP sink to the others (\`taskset\`; per repeat: ${sim.placement.map((p) => `servers on ${p.server}, load on ${p.load}`).join('; ')})`
    : `**not pinned** (${sim.warning})`;
  parts.push(
    `Each pair runs a baseline and a configuration at the same time, ${placement}, each server loaded by its own load generator: ${sim.warmupSeconds} s warm-up, then ${sim.measureSeconds} s measured; ${sim.repeats.length} repeat(s), the pair order rotating and the side started first alternating. Whatever else the machine does during a window, both sides of the pair suffer it. \`x base\` is the subject's requests per CPU-second of its server process over the base's, both counted by the servers themselves over the same window, taken within a repeat; the table gives the median and the range over repeats. The control pair (bare next to bare) shows how even the two sides are: its ratio should be 1.00 (0.97-1.03).`,
  );
  for (const warning of warnings) parts.push(`**${warning}**`);
  const saturated = rows.filter((r) => r.load === 'saturated');
  if (saturated.length > 0) {
    parts.push(
      `### Saturated: autocannon, ${sim.connections} connections each, as fast as each server answers`,
    );
    parts.push(
      table(
        [
          'pair',
          'subject',
          'base',
          'subject req/CPU-s',
          'base req/CPU-s',
          'x base',
          'range',
          'req/s x base',
          'p99 ms subject / base',
          'p99 x base',
          'errors',
        ],
        saturated.map((r) => [
          r.name,
          r.subject.config,
          r.base.config,
          fmtInt(r.subject.requestsPerCpuSecond),
          fmtInt(r.base.requestsPerCpuSecond),
          x(r.ratio),
          range(r.ratioMin, r.ratioMax),
          x(r.throughputRatio),
          `${fmt(r.subject.p99, 1)} / ${fmt(r.base.p99, 1)}`,
          x(r.p99Ratio),
          String(r.subject.errors + r.base.errors),
        ]),
      ),
    );
    parts.push(
      'Under a closed loop with a fixed number of connections, latency is connections over throughput, so the saturated p99 ratio follows the throughput ratio; the paced pairs below give the latency at the same traffic.',
    );
  }
  const paced = rows.filter((r) => r.load === 'paced');
  if (paced.length > 0) {
    parts.push(
      `### Paced: ${fmtInt(sim.pacedRate)} requests per second to each server, spread evenly (open loop)`,
    );
    parts.push(
      "The same traffic to both servers whatever their speed, leaving the CPU mostly idle, so that the event loop's stalls (a batch of spans serialised for export, a GC pause) are not hidden by two saturated servers taking turns on the CPU. Event-loop delay: `monitorEventLoopDelay` with a 1 ms timer over the window, the 1 ms subtracted; max is the worst repeat, p99 the median over repeats; stalls over 2 ms are counted per 100 ms slice (a slice whose worst delay is over 2 ms), summed over repeats. An idle Node.js process on a shared VM already sees a few such stalls; the bare server next to the instrumented one shows how many. Latency is timed by the load generator to a fraction of a millisecond.",
    );
    parts.push(
      table(
        [
          'pair',
          'server',
          'CPU µs/req',
          'p50 ms',
          'p99 ms',
          'p99 x bare',
          'max latency ms',
          'event-loop delay p99 ms',
          'event-loop delay max ms',
          'stalls over 2 ms',
          'errors',
        ],
        paced.flatMap((r) =>
          ['base', 'subject'].map((side) => [
            r.name,
            r[side].config,
            fmt(r[side].cpuMicrosPerRequest, 0),
            fmt(r[side].p50, 2),
            fmt(r[side].p99, 2),
            side === 'base' ? '1.00x' : x(r.p99Ratio),
            fmt(r[side].maxLatency, 1),
            fmt(r[side].eventLoopP99Ms, 2),
            fmt(r[side].eventLoopMaxMs, 1),
            `${fmtInt(r[side].eventLoopStalls)} in ${fmtInt(r[side].windowSeconds)} s`,
            String(r[side].errors),
          ]),
        ),
      ),
    );
  }
  return parts.join('\n\n');
}

/** Terminal lines. */
export function simultaneousTerminal(sim, rows, warnings) {
  const lines = [
    `\nSimultaneous (pairs on one CPU${sim.pinned ? '' : ', NOT pinned'}; requests per server CPU-second, subject x base, median and range of ${sim.repeats.length} repeat(s))`,
  ];
  for (const r of rows) {
    const what = `${r.subject.config} / ${r.base.config}`;
    if (r.load === 'saturated') {
      lines.push(
        `${pad(r.name, 20)}${pad(what, 44)}${padl(x(r.ratio), 7)}${padl(range(r.ratioMin, r.ratioMax), 11)}   p99 ${x(r.p99Ratio)}`,
      );
    } else {
      lines.push(
        `${pad(r.name, 20)}${pad(what, 44)} at ${fmtInt(sim.pacedRate)} req/s: p99 ${fmt(r.subject.p99, 2)} vs ${fmt(r.base.p99, 2)} ms; event-loop max ${fmt(r.subject.eventLoopMaxMs, 1)} vs ${fmt(r.base.eventLoopMaxMs, 1)} ms, stalls > 2 ms ${r.subject.eventLoopStalls} vs ${r.base.eventLoopStalls}`,
      );
    }
  }
  for (const warning of warnings) lines.push(warning);
  return lines;
}

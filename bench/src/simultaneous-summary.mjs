// The simultaneous section's numbers, summarised: per pair, the ratio of the subject's requests
// per server CPU-second to the base's, taken within each repeat, then the median and the range
// over repeats; the same for req/s and p99 latency; the event-loop delay of each side.
import { median } from './stats.mjs';

/** The control pairs' ratio should be 1.00; outside this range the sides were not even. */
export const CONTROL_RANGE = [0.97, 1.03];

const within = (sim, name, f) =>
  sim.repeats.map((repeat) => (repeat[name] === undefined ? undefined : f(repeat[name])));
const finite = (values) => values.filter((v) => typeof v === 'number' && Number.isFinite(v));
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);

function sideSummary(sim, name, side) {
  const runs = finite(within(sim, name, (pair) => pair[side].requestsPerCpuSecond));
  const eventLoop = within(sim, name, (pair) => pair[side].eventLoop).filter(Boolean);
  return {
    config: sim.pairs.find((p) => p.name === name)[side],
    requestsPerCpuSecond: median(runs),
    requestsPerSecond: median(within(sim, name, (pair) => pair[side].requestsPerSecond)),
    cpuMicrosPerRequest: median(within(sim, name, (pair) => pair[side].cpuMicrosPerRequest)),
    p50: median(within(sim, name, (pair) => pair[side].p50)),
    p99: median(within(sim, name, (pair) => pair[side].p99)),
    maxLatency: Math.max(...finite(within(sim, name, (pair) => pair[side].maxLatency)), -1),
    eventLoopP99Ms: median(eventLoop.map((e) => e.p99Ms)),
    // The worst repeat: a stall is a stall, however rare.
    eventLoopMaxMs: eventLoop.length === 0 ? undefined : Math.max(...eventLoop.map((e) => e.maxMs)),
    eventLoopStalls: eventLoop.reduce((sum, e) => sum + e.stalls, 0),
    windowSeconds: finite(within(sim, name, (pair) => pair[side].windowSeconds)).reduce(
      (a, b) => a + b,
      0,
    ),
    requests: finite(within(sim, name, (pair) => pair[side].requests)).reduce((a, b) => a + b, 0),
    errors: finite(within(sim, name, (pair) => pair[side].errors)).reduce((a, b) => a + b, 0),
  };
}

/** One row per pair that ran. */
export function summariseSimultaneous(sim) {
  return sim.pairs
    .filter((pair) => sim.repeats.some((repeat) => repeat[pair.name] !== undefined))
    .map((pair) => {
      const cpuRatios = finite(
        within(sim, pair.name, (p) =>
          ratio(p.subject.requestsPerCpuSecond, p.base.requestsPerCpuSecond),
        ),
      );
      return {
        name: pair.name,
        load: pair.load,
        base: sideSummary(sim, pair.name, 'base'),
        subject: sideSummary(sim, pair.name, 'subject'),
        repeats: cpuRatios.length,
        ratio: median(cpuRatios),
        ratioMin: cpuRatios.length === 0 ? undefined : Math.min(...cpuRatios),
        ratioMax: cpuRatios.length === 0 ? undefined : Math.max(...cpuRatios),
        throughputRatio: median(
          within(sim, pair.name, (p) =>
            ratio(p.subject.requestsPerSecond, p.base.requestsPerSecond),
          ),
        ),
        p99Ratio: median(within(sim, pair.name, (p) => ratio(p.subject.p99, p.base.p99))),
      };
    });
}

/**
 * `a`'s ratio over `b`'s, taken within each repeat (both pairs ran in it), then the median: e.g.
 * ours with all three signals against the hand-written middleware, each against bare.
 */
export function pairAgainstPair(sim, a, b) {
  const cpuRatio = (pair) =>
    pair === undefined
      ? undefined
      : ratio(pair.subject.requestsPerCpuSecond, pair.base.requestsPerCpuSecond);
  return median(sim.repeats.map((repeat) => ratio(cpuRatio(repeat[a]), cpuRatio(repeat[b]))));
}

/** A warning per control pair whose ratio is outside CONTROL_RANGE (or missing). */
export function controlWarnings(rows) {
  const [low, high] = CONTROL_RANGE;
  return rows
    .filter((row) => row.name.endsWith('-control'))
    .filter((row) => !(row.ratio >= low && row.ratio <= high))
    .map(
      (row) =>
        `WARNING: control pair ${row.name} (bare next to bare) gave ${row.ratio?.toFixed(2) ?? 'n/a'}x, outside ${low.toFixed(2)}-${high.toFixed(2)}: the two sides of a pair were not even in this run; read the other ratios with that margin.`,
    );
}

// A small, honest loop harness: each function is calibrated to run about `sampleMs` per sample,
// warmed up, then sampled `samples` times with the functions of a comparison interleaved
// (A B A B ...) and a full GC before every sample, so one function's garbage is not billed to the
// next. Time is this process's CPU time (user + system, GC threads included), not wall time: the
// machines are shared, and another process taking the core must not count as ours. The result is
// the median ns/op of the samples.
import { median } from './stats.mjs';

function cpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function timeLoop(fn, iterations) {
  const started = cpuNs();
  for (let i = 0; i < iterations; i++) fn(i);
  return cpuNs() - started;
}

function calibrate(fn, sampleMs) {
  let iterations = 64;
  for (;;) {
    const ns = timeLoop(fn, iterations);
    if (ns >= sampleMs * 1e6 || iterations >= 1 << 24) {
      return Math.max(64, Math.round((iterations * sampleMs * 1e6) / Math.max(ns, 1)));
    }
    iterations *= 4;
  }
}

const gc = globalThis.gc ?? (() => {});

/**
 * Measures the functions of one comparison together. `fns` maps a label to `(i) => void`.
 * Returns `{ label: { nsPerOp, samples } }`.
 */
export function compare(fns, { samples, sampleMs, warmupMs }) {
  const entries = Object.entries(fns);
  for (const [, fn] of entries) {
    const until = cpuNs() + warmupMs * 1e6;
    while (cpuNs() < until) timeLoop(fn, 256);
  }
  const iterations = new Map(entries.map(([label, fn]) => [label, calibrate(fn, sampleMs)]));
  const results = new Map(entries.map(([label]) => [label, []]));
  for (let s = 0; s < samples; s++) {
    // Alternate which function goes first, so neither always follows the other's garbage.
    const order = s % 2 === 0 ? entries : [...entries].reverse();
    for (const [label, fn] of order) {
      gc();
      const n = iterations.get(label);
      results.get(label).push(timeLoop(fn, n) / n);
    }
  }
  return Object.fromEntries(
    [...results].map(([label, values]) => [label, { nsPerOp: median(values), samples: values }]),
  );
}

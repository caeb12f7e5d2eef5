// The cost section's numbers, summarised: per variant, the median CPU µs per request, and the
// cost over bare taken within each round, then the median.
import { median } from './stats.mjs';

/** Per variant: median CPU µs/request, median (within a round) cost over bare, and bare/variant. */
export function summariseCost(cost) {
  const { variants, rounds } = cost;
  return variants.map((variant) => {
    const runs = rounds.map((round) => round[variant]).filter(Boolean);
    return {
      variant,
      cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
      overBare: median(
        rounds.map((round) =>
          round[variant] && round.bare
            ? round[variant].cpuMicrosPerRequest - round.bare.cpuMicrosPerRequest
            : undefined,
        ),
      ),
      bareRatio: median(
        rounds.map((round) =>
          round[variant] && round.bare
            ? round.bare.cpuMicrosPerRequest / round[variant].cpuMicrosPerRequest
            : undefined,
        ),
      ),
      droppedSpans: runs.reduce((sum, r) => sum + r.droppedSpans, 0),
      failures: runs.reduce((sum, r) => sum + r.failures, 0),
      rounds: runs.length,
    };
  });
}

/**
 * What exemplars cost per request: `all` (filter `trace_based`, every span sampled, so every request
 * offers an exemplar) minus `all-exemplars-off` (`always_off`), taken within each round, then the
 * median and the range. `undefined` when the run had no such pair.
 */
export function exemplarCost(cost) {
  const differences = cost.rounds
    .map((round) =>
      round.all && round['all-exemplars-off']
        ? round.all.cpuMicrosPerRequest - round['all-exemplars-off'].cpuMicrosPerRequest
        : undefined,
    )
    .filter((d) => d !== undefined);
  if (differences.length === 0) return undefined;
  return {
    micros: median(differences),
    range: [Math.min(...differences), Math.max(...differences)],
    rounds: differences.length,
  };
}

// The `promtool test rules` file beside a rule file: for the alerts of every SLI, synthetic request
// series whose error share follows a chosen profile, and which of the SLI's alerts must fire at the
// end of it. The profiles pin the SRE workbook's behaviour: within the budget nothing fires; a burn
// a little above an alert's lowest burn-rate factor fires it, a little below does not; about twice
// the budget opens a ticket but pages no one; a burn that has stopped (its long windows still high,
// its short windows clean) fires nothing.
import type { BurnWindow, SloAlert } from './rules.js';
import type { YamlValue } from './yaml.js';

/** Requests per minute in the synthetic series: large, so that small budgets are plain numbers. */
const PER_MINUTE = 1_000_000;
/** Minutes of a steady burn: every window holds at least two samples (rate() takes what there is). */
const STEADY_MINUTES = 60;
/**
 * Minutes between rule evaluations: every case ends on a multiple of it (the alerts have no `for`,
 * so only the last evaluation counts), and days of one-minute evaluations would be slow.
 */
const EVALUATION_MINUTES = 15;
/** How far above (or below) an alert's threshold the cases that fire (or not) burn. */
const MARGIN = 1.1;
/** A burn of about twice the budget: a ticket, never a page (SRE workbook, "Alerting on SLOs"). */
const TWICE = 2;
/**
 * Relative distance from a threshold under which a window whose error share changed is not
 * asserted on: rate() over a window the change crosses may see it one sample early or late.
 */
const UNSURE = 0.05;

/** Minutes in a Prometheus duration such as `5m`, `6h` or `3d`. */
function durationMinutes(text: string): number {
  const match = /^(\d+)([mhd])$/.exec(text);
  if (match === null) throw new Error(`not a window: ${text}`);
  const unit = { m: 1, h: 60, d: 1440 }[match[2] as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** A stretch of the synthetic series: `minutes` long, with `share` of the requests bad. */
interface Segment {
  readonly minutes: number;
  readonly share: number;
}

/** A number as promtool's series notation reads it back (no binary rounding noise). */
function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * A counter's values, one a minute from 0: `perMinute(share)` added each minute of each segment,
 * in promtool's expanding notation (`a+bxn`).
 */
function counterValues(segments: readonly Segment[], perMinute: (share: number) => number): string {
  let value = 0;
  const parts = ['0'];
  for (const { minutes, share } of segments) {
    const step = perMinute(share);
    parts.push(`${num(value + step)}+${num(step)}x${minutes - 1}`);
    value += step * minutes;
  }
  return parts.join(' ');
}

function series(name: string, labels: Readonly<Record<string, string>>, values: string) {
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return { series: `${name}{${text}}`, values };
}

/** Series of the alert's SLI whose bad requests follow `segments`. */
function inputSeries(alert: SloAlert, segments: readonly Segment[]) {
  const scope = { operation: alert.operation ?? 'Get' };
  const good = counterValues(segments, (share) => PER_MINUTE * (1 - share));
  const bad = counterValues(segments, (share) => PER_MINUTE * share);
  const all = counterValues(segments, () => PER_MINUTE);
  if (alert.sli === 'availability') {
    return [
      series(alert.series.requests, { ...scope, http_response_status_code: '200' }, good),
      series(alert.series.requests, { ...scope, http_response_status_code: '500' }, bad),
    ];
  }
  return [
    series(`${alert.series.duration}_bucket`, { ...scope, le: String(alert.threshold) }, good),
    series(`${alert.series.duration}_bucket`, { ...scope, le: '+Inf' }, all),
    series(`${alert.series.duration}_count`, scope, all),
  ];
}

/**
 * The error share of the last `window` minutes of `segments` (of what there is when the series is
 * shorter), and whether it changed within the window.
 */
function windowShare(segments: readonly Segment[], window: number) {
  let left = window;
  let bad = 0;
  let total = 0;
  const shares = new Set<number>();
  for (let i = segments.length - 1; i >= 0 && left > 0; i--) {
    const { minutes, share } = segments[i]!;
    const taken = Math.min(minutes, left);
    bad += taken * share;
    total += taken;
    shares.add(share);
    left -= taken;
  }
  return { share: bad / total, steady: shares.size === 1 };
}

/**
 * Whether the alert fires at the end of `segments` (both windows of a pair above factor x budget),
 * or `undefined` when a window whose share changed is too near its threshold to say.
 */
function fires(windows: readonly BurnWindow[], budget: number, segments: readonly Segment[]) {
  let unsure = false;
  for (const { long, short, factor } of windows) {
    const threshold = factor * budget;
    const verdicts = [long, short].map((w) => {
      const { share, steady } = windowShare(segments, durationMinutes(w));
      if (!steady && Math.abs(share - threshold) < UNSURE * threshold) return undefined;
      return share > threshold;
    });
    if (verdicts.every((v) => v === true)) return true;
    if (verdicts.every((v) => v !== false)) unsure = true;
  }
  return unsure ? undefined : false;
}

/** The lowest burn-rate factor of an alert: the least that fires it, when the burn is steady. */
function lowestFactor(alert: SloAlert): number {
  return Math.min(...alert.windows.map((w) => w.factor));
}

interface Case {
  readonly name: string;
  readonly segments: readonly Segment[];
}

function steady(share: number): Segment[] {
  return [{ minutes: STEADY_MINUTES, share: Math.min(1, share) }];
}

/** The profiles every SLI is tested with, given its budget and alerts. */
function cases(budget: number, alerts: readonly SloAlert[], what: string): Case[] {
  const percent = (share: number) => `${Number((Math.min(1, share) * 100).toPrecision(4))}%`;
  const list: Case[] = [
    {
      name: `half the error budget (${percent(budget / 2)} ${what})`,
      segments: steady(budget / 2),
    },
    {
      name: `twice the error budget (${percent(TWICE * budget)} ${what})`,
      segments: steady(TWICE * budget),
    },
  ];
  for (const alert of alerts) {
    const factor = lowestFactor(alert);
    const above = MARGIN * factor * budget;
    const below = (factor * budget) / MARGIN;
    list.push(
      {
        name: `just above ${factor}x the budget (${percent(above)} ${what})`,
        segments: steady(above),
      },
      {
        name: `just below ${factor}x the budget (${percent(below)} ${what})`,
        segments: steady(below),
      },
    );
    // A burn that stopped: every request bad for the alert's longest long window (at most 12 h:
    // the 1d and 3d windows then see it over the whole series, and days of one-minute samples are
    // slow to evaluate), then clean for a little more than its longest short window. Its long
    // windows still see the burn; its short windows do not.
    const longestLong = Math.max(...alert.windows.map((w) => durationMinutes(w.long)));
    const longestShort = Math.max(...alert.windows.map((w) => durationMinutes(w.short)));
    const clean = longestShort + EVALUATION_MINUTES;
    const burn = Math.min(longestLong, 12 * 60);
    list.push({
      name: `a ${alert.severity} burn that stopped ${clean} minutes ago (every request ${what} for ${burn} minutes)`,
      segments: [
        { minutes: burn, share: 1 },
        { minutes: clean, share: 0 },
      ],
    });
  }
  return list;
}

/** Alerts grouped by the SLI they watch (one objective's availability or latency), in order. */
function bySli(alerts: readonly SloAlert[]): SloAlert[][] {
  const groups = new Map<string, SloAlert[]>();
  for (const alert of alerts) {
    const key = `${alert.slo}\u0000${alert.sli}`;
    groups.set(key, [...(groups.get(key) ?? []), alert]);
  }
  return [...groups.values()];
}

/**
 * The test file: `ruleFile` is the rule file's path as the test file sees it (promtool resolves it
 * from the test file's folder). For each SLI, one test per profile of {@link cases}; each says, for
 * every alert of the SLI, whether it fires at the end (with its labels and annotations) or not.
 */
export function buildRuleTests(ruleFile: string, alerts: readonly SloAlert[]): YamlValue {
  const tests = bySli(alerts).flatMap((group) => {
    const first = group[0]!;
    const budget = 1 - first.target / 100;
    const what =
      first.sli === 'availability' ? 'failing (5xx)' : `slower than ${first.threshold} s`;
    return cases(budget, group, what).map(({ name, segments }) => {
      const minutes = segments.reduce((sum, s) => sum + s.minutes, 0);
      const checks = group.flatMap((alert) => {
        const verdict = fires(alert.windows, budget, segments);
        if (verdict === undefined) return [];
        return [
          {
            eval_time: `${minutes}m`,
            alertname: alert.alert,
            exp_alerts: verdict
              ? [{ exp_labels: alert.labels, exp_annotations: alert.annotations }]
              : [],
          },
        ];
      });
      const verdicts = checks
        .map((c) => `${c.alertname} ${c.exp_alerts.length > 0 ? 'fires' : 'stays quiet'}`)
        .join(', ');
      return {
        name: `${first.slo} ${first.sli}, ${name}: ${verdicts}`,
        interval: '1m',
        input_series: inputSeries(first, segments),
        alert_rule_test: checks,
      };
    });
  });
  return { rule_files: [ruleFile], evaluation_interval: `${EVALUATION_MINUTES}m`, tests };
}

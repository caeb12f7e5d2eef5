// The `promtool test rules` file beside a rule file: for every alert, synthetic request series that
// burn the error budget (the alert must fire) and series that stay within it (it must not).
import type { SloAlert } from './rules.js';
import type { YamlValue } from './yaml.js';

/** Requests per minute in the synthetic series: large, so that small budgets are whole numbers. */
const PER_MINUTE = 1_000_000;
/**
 * An hour of one-minute samples: every window holds at least two samples, and rate() over a longer
 * window takes what there is, so the error ratio of every window is the one of the series.
 */
const SAMPLES = 60;
const EVAL_TIME = '1h';

function series(name: string, labels: Readonly<Record<string, string>>, perMinute: number) {
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return { series: `${name}{${text}}`, values: `0+${perMinute}x${SAMPLES}` };
}

/** Series whose errors are `errorShare` of the requests, for the alert's SLI. */
function inputSeries(alert: SloAlert, errorShare: number) {
  const scope = { operation: alert.operation ?? 'Get' };
  const bad = Math.round(PER_MINUTE * errorShare);
  if (alert.sli === 'availability') {
    return [
      series(
        alert.series.requests,
        { ...scope, http_response_status_code: '200' },
        PER_MINUTE - bad,
      ),
      series(alert.series.requests, { ...scope, http_response_status_code: '500' }, bad),
    ];
  }
  return [
    series(
      `${alert.series.duration}_bucket`,
      { ...scope, le: String(alert.threshold) },
      PER_MINUTE - bad,
    ),
    series(`${alert.series.duration}_bucket`, { ...scope, le: '+Inf' }, PER_MINUTE),
    series(`${alert.series.duration}_count`, scope, PER_MINUTE),
  ];
}

/**
 * The test file: `ruleFile` is the rule file's path as the test file sees it (promtool resolves it
 * from the test file's folder). Two cases per alert: half the requests failing (or too slow) fires
 * it; errors at half the budget do not.
 */
export function buildRuleTests(ruleFile: string, alerts: readonly SloAlert[]): YamlValue {
  const tests = alerts.flatMap((alert) => {
    const budget = 1 - alert.target / 100;
    const what =
      alert.sli === 'availability' ? 'failing (5xx)' : `slower than ${alert.threshold} s`;
    return [
      {
        name: `${alert.alert} fires when half the requests are ${what}`,
        interval: '1m',
        input_series: inputSeries(alert, 0.5),
        alert_rule_test: [
          {
            eval_time: EVAL_TIME,
            alertname: alert.alert,
            exp_alerts: [{ exp_labels: alert.labels, exp_annotations: alert.annotations }],
          },
        ],
      },
      {
        name: `${alert.alert} stays quiet when half the error budget is spent`,
        interval: '1m',
        input_series: inputSeries(alert, budget / 2),
        alert_rule_test: [{ eval_time: EVAL_TIME, alertname: alert.alert, exp_alerts: [] }],
      },
    ];
  });
  return { rule_files: [ruleFile], evaluation_interval: '1m', tests };
}

import type {
  FindingLevel,
  FindingSignal,
  ReportData,
  TextReportOptions,
  ValidationFinding,
} from '../types.js';
import { fails, levelSummary, receivedSummary } from './summary.js';

const SIGNALS: readonly FindingSignal[] = ['metrics', 'traces', 'logs', 'service'];
const LEVELS: readonly FindingLevel[] = ['violation', 'warning', 'info'];
const COLOURS: Readonly<Record<FindingLevel | 'ok' | 'bold' | 'dim', string>> = {
  violation: '\u001b[31m',
  warning: '\u001b[33m',
  info: '\u001b[36m',
  ok: '\u001b[32m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
};
const RESET = '\u001b[0m';

function finding(
  f: ValidationFinding,
  paint: (style: keyof typeof COLOURS, text: string) => string,
): string {
  const seen = f.count > 1 ? paint('dim', ` (seen ${f.count} times)`) : '';
  return `  ${paint(f.level, f.level.padEnd(9))} ${paint('bold', f.rule)}  ${f.name}${seen}\n    ${f.message}\n`;
}

/** The report for people: findings grouped by signal, then level, and a closing verdict. */
export function formatTextReport(data: ReportData, options: TextReportOptions = {}): string {
  const paint = (style: keyof typeof COLOURS, text: string) =>
    options.colour ? `${COLOURS[style]}${text}${RESET}` : text;
  const { result } = data;
  const service = result.service === undefined ? '' : ` for the service ${result.service}`;
  let out = `datum-telemetry validate${service}\nreceived ${receivedSummary(data.received)}\n`;
  for (const signal of SIGNALS) {
    const mine = result.findings.filter((f) => f.signal === signal);
    if (mine.length === 0) continue;
    out += `\n${paint('bold', signal)}\n`;
    for (const level of LEVELS)
      for (const f of mine.filter((x) => x.level === level)) out += finding(f, paint);
  }
  const skipped = result.checks.filter((c) => c.status === 'skipped');
  if (skipped.length > 0) {
    out += `\n${paint('dim', `skipped: ${skipped.map((c) => `${c.id} (${c.skipped})`).join('; ')}`)}\n`;
  }
  const failed = fails(result.findings, data.failOn);
  const verdict = failed ? paint('violation', 'FAILED') : paint('ok', 'OK');
  out += `\n${verdict}: ${levelSummary(result.findings)} (${result.checks.length - skipped.length} checks ran)\n`;
  return out;
}

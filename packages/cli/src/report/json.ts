import type { ReportData } from '../types.js';
import { countLevels, fails } from './summary.js';

/** The `format` of the JSON report; fields are only ever added within it. */
export const JSON_REPORT_FORMAT = 'datum-telemetry.validate/v1';

/** The report for tools: one JSON document. */
export function formatJsonReport(data: ReportData): string {
  const { result } = data;
  const counts = countLevels(result.findings);
  return `${JSON.stringify(
    {
      format: JSON_REPORT_FORMAT,
      ok: !fails(result.findings, data.failOn),
      failOn: data.failOn,
      ...(result.service === undefined ? {} : { service: result.service }),
      summary: { violations: counts.violation, warnings: counts.warning, info: counts.info },
      received: data.received,
      checks: result.checks.map((c) => ({
        id: c.id,
        title: c.title,
        signal: c.signal,
        status: c.status,
        ...(c.skipped === undefined ? {} : { skipped: c.skipped }),
        findings: c.findings.length,
      })),
      findings: result.findings,
    },
    null,
    2,
  )}\n`;
}

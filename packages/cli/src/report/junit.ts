import type { CheckResult, ReportData, ValidationFinding } from '../types.js';
import { plural } from './summary.js';

/** Escapes text for XML 1.0, dropping the characters it cannot hold at all. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function line(f: ValidationFinding): string {
  return `[${f.level}] [${f.rule}] ${f.name}: ${f.message}${f.count > 1 ? ` (seen ${f.count} times)` : ''}`;
}

function testcase(
  check: CheckResult,
  failing: (f: ValidationFinding) => boolean,
  word: string,
): string {
  const suite = check.signal === 'all' ? 'secrets' : check.signal;
  const head = `    <testcase classname="datum-telemetry.${suite}" name="${xmlEscape(`${check.id}: ${check.title}`)}">`;
  const failures = check.findings.filter(failing);
  const others = check.findings.filter((f) => !failing(f));
  let body = '';
  if (failures.length > 0) {
    body += `\n      <failure type="${failures[0]!.level}" message="${xmlEscape(`${plural(failures.length, word)}: ${failures.map((f) => f.rule).join(', ')}`.slice(0, 500))}">${xmlEscape(failures.map(line).join('\n'))}</failure>`;
  } else if (check.status === 'skipped') {
    body += `\n      <skipped message="${xmlEscape(check.skipped ?? '')}"/>`;
  }
  if (others.length > 0)
    body += `\n      <system-out>${xmlEscape(others.map(line).join('\n'))}</system-out>`;
  return body === '' ? `${head}</testcase>\n` : `${head}${body}\n    </testcase>\n`;
}

/**
 * JUnit XML for CI: one testsuite per signal, one testcase per check, a `<failure>` listing the
 * violations (and warnings with `--fail-on warning`); other findings go to `<system-out>`.
 */
export function formatJunitReport(data: ReportData): string {
  const failing = (f: ValidationFinding) =>
    f.level === 'violation' || (data.failOn === 'warning' && f.level === 'warning');
  const suites = new Map<string, CheckResult[]>();
  for (const check of data.result.checks) {
    const suite = check.signal === 'all' ? 'secrets' : check.signal;
    suites.set(suite, [...(suites.get(suite) ?? []), check]);
  }
  const isFailed = (c: CheckResult) => c.findings.some(failing);
  const all = data.result.checks;
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n';
  xml += `<testsuites name="datum-telemetry validate" tests="${all.length}" failures="${all.filter(isFailed).length}" errors="0" skipped="${all.filter((c) => !isFailed(c) && c.status === 'skipped').length}">\n`;
  for (const [name, checks] of suites) {
    const failures = checks.filter(isFailed).length;
    const skipped = checks.filter((c) => !isFailed(c) && c.status === 'skipped').length;
    xml += `  <testsuite name="${xmlEscape(name)}" tests="${checks.length}" failures="${failures}" errors="0" skipped="${skipped}">\n`;
    for (const check of checks) {
      xml += testcase(check, failing, data.failOn === 'warning' ? 'finding' : 'violation');
    }
    xml += '  </testsuite>\n';
  }
  xml += '</testsuites>\n';
  return xml;
}

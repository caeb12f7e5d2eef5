/** How serious a finding is. A `violation` breaks a rule; a `warning` is very likely a mistake. */
export type FindingLevel = 'violation' | 'warning' | 'info';

/** Which kind of name a finding is about. */
export type FindingSubject = 'metric' | 'span' | 'log' | 'attribute' | 'resource';

/**
 * One broken (or doubtful) rule. `message` names the rule's meaning and the fix, so it can be shown
 * to a person as it is; `suggestion`, when present, is a corrected name the caller can use.
 */
export interface Finding {
  /** Stable rule id, for example `metric.name.counter-suffix`. */
  readonly rule: string;
  readonly level: FindingLevel;
  readonly subject: FindingSubject;
  /** The name that was checked. */
  readonly name: string;
  readonly message: string;
  /** A corrected name, when one can be derived. */
  readonly suggestion?: string;
}

/** Thrown by the `assert*` functions and the builders: carries every finding, not just the first. */
export class ConventionError extends Error {
  readonly findings: readonly Finding[];

  constructor(findings: readonly Finding[]) {
    super(formatFindings(findings));
    this.name = 'ConventionError';
    this.findings = findings;
  }
}

/** One line per finding: `[rule] message`. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.rule}] ${f.message}`).join('\n');
}

/** True when at least one finding is a violation. */
export function hasViolations(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === 'violation');
}

export function finding(
  rule: string,
  subject: FindingSubject,
  name: string,
  message: string,
  suggestion?: string,
  level: FindingLevel = 'violation',
): Finding {
  return suggestion === undefined || suggestion === name
    ? { rule, level, subject, name, message }
    : { rule, level, subject, name, message, suggestion };
}

/** Shows a name inside a message, cut short so that hostile input cannot flood a log line. */
export function quote(name: string): string {
  const shown = name.length > 120 ? `${name.slice(0, 117)}...` : name;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
  return `\`${shown.replace(/[\u0000-\u001f\u007f]/g, '?')}\``;
}

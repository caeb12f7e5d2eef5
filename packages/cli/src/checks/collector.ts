import type { Finding } from '@datum-telemetry/conventions';
import type { CheckId, FindingLevel, FindingSignal, ValidationFinding } from '../types.js';

const SIGNAL_ORDER: Readonly<Record<FindingSignal, number>> = {
  metrics: 0,
  traces: 1,
  logs: 2,
  service: 3,
};
const LEVEL_ORDER: Readonly<Record<FindingLevel, number>> = { violation: 0, warning: 1, info: 2 };

/** What a check reports; `count` is worked out by the collector. */
export interface NewFinding {
  readonly check: CheckId;
  readonly signal: FindingSignal;
  readonly rule: string;
  readonly level: FindingLevel;
  readonly name: string;
  readonly message: string;
  readonly suggestion?: string;
}

/**
 * Gathers findings and folds repeats: the same rule about the same name on the same signal is one
 * finding with a count, whatever the number of spans or exports it was seen on. The first
 * message is kept, so it names the first place it was seen.
 */
export class FindingCollector {
  readonly #byKey = new Map<string, { finding: NewFinding; count: number }>();

  add(
    finding: NewFinding,
    key = `${finding.rule}\u0000${finding.signal}\u0000${finding.name}`,
  ): void {
    const known = this.#byKey.get(key);
    if (known === undefined) this.#byKey.set(key, { finding, count: 1 });
    else known.count++;
  }

  /** Adds the findings of a conventions check, with the level given, or the check's own. */
  addConventions(
    findings: readonly Finding[],
    where: {
      check: CheckId | ((rule: string) => CheckId);
      signal: FindingSignal;
      level?: FindingLevel;
    },
  ): void {
    for (const f of findings) {
      this.add({
        check: typeof where.check === 'function' ? where.check(f.rule) : where.check,
        signal: where.signal,
        rule: f.rule,
        level: where.level ?? f.level,
        name: f.name,
        message: f.message,
        ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }),
      });
    }
  }

  /**
   * Every finding, grouped by signal, then level, then rule and name. The canaries (secret values
   * the scenario sent) are masked wherever a name or message would show them.
   */
  list(canaries: readonly string[] = []): ValidationFinding[] {
    const mask = (text: string) =>
      canaries.reduce((t, c) => t.split(c).join(`${c.slice(0, 3)}…`), hideCredentials(text));
    return [...this.#byKey.values()]
      .map(({ finding, count }) => ({
        ...finding,
        name: mask(finding.name),
        message: mask(finding.message),
        ...(finding.suggestion === undefined ? {} : { suggestion: mask(finding.suggestion) }),
        count,
      }))
      .sort(
        (a, b) =>
          SIGNAL_ORDER[a.signal] - SIGNAL_ORDER[b.signal] ||
          LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
          a.rule.localeCompare(b.rule) ||
          a.name.localeCompare(b.name),
      );
  }
}

/** Credentials that may sit in a name or message shown: a bearer/basic token, a JWT. */
const SHOWN_CREDENTIAL =
  /\b(bearer|basic|digest|negotiate)\s+[A-Za-z0-9._~+/=-]+|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_.-]*/gi;

/** Hides credentials in text that a report will show. */
export function hideCredentials(text: string): string {
  return text.replace(SHOWN_CREDENTIAL, (_, scheme: string | undefined) =>
    scheme === undefined ? '[REDACTED]' : `${scheme} [REDACTED]`,
  );
}

/** Shows a name in a message: back-quoted, cut short, without control characters or credentials. */
export function q(name: string): string {
  const shown = name.length > 120 ? `${name.slice(0, 117)}...` : name;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
  return `\`${hideCredentials(shown).replace(/[\u0000-\u001f\u007f]/g, '?')}\``;
}

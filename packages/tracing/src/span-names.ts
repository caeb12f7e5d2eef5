import type { SpanNameCheckOptions } from '@datum-telemetry/conventions';
import { buildSpanName, checkSpanName, formatFindings } from '@datum-telemetry/conventions';
import { diag } from '@opentelemetry/api';

/** Distinct names remembered; past it, names are not checked (span names must be bounded anyway). */
const MAX_REMEMBERED_NAMES = 1000;

function warn(findingsText: string): void {
  diag.warn(`@datum-telemetry/tracing: ${findingsText}`);
}

/**
 * Span names seen at run time, each checked once: a bad name gets one `diag.warn` and is used
 * as it is, because a naming mistake must never stop the app's work.
 */
export class RuntimeSpanNames {
  private readonly names = new Set<string>();
  private readonly built = new Map<string, Map<string, string>>();
  private remembered = 0;
  private warnedFull = false;

  constructor(private readonly check: SpanNameCheckOptions) {}

  /** A name given as it is: checked the first time it is seen. */
  named(name: string): string {
    if (this.names.has(name)) return name;
    const shown = typeof name === 'string' ? name : String(name);
    if (!this.hasRoom()) return shown;
    this.names.add(name);
    const findings = checkSpanName(shown, this.check);
    if (findings.length > 0) warn(formatFindings(findings));
    return shown;
  }

  /** `{operation}{kind}`: built and checked the first time the pair is seen. */
  fromParts(operation: string, kind: string): string {
    let byKind = this.built.get(operation);
    const cached = byKind?.get(kind);
    if (cached !== undefined) return cached;
    let name: string;
    try {
      name = buildSpanName(operation, kind, this.check);
      const findings = checkSpanName(name, this.check);
      if (findings.length > 0) warn(formatFindings(findings));
    } catch (error) {
      name = `${String(operation)}${String(kind)}`;
      warn(error instanceof Error ? error.message : String(error));
    }
    if (this.hasRoom()) {
      if (byKind === undefined) {
        byKind = new Map();
        this.built.set(operation, byKind);
      }
      byKind.set(kind, name);
    }
    return name;
  }

  private hasRoom(): boolean {
    if (this.remembered < MAX_REMEMBERED_NAMES) {
      this.remembered++;
      return true;
    }
    if (!this.warnedFull) {
      this.warnedFull = true;
      warn(
        `more than ${MAX_REMEMBERED_NAMES} distinct span names: span names must not carry ids or paths (put them in attributes); further names are not checked`,
      );
    }
    return false;
  }
}

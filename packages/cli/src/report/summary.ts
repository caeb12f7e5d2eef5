import type {
  CollectedTelemetry,
  FailOn,
  FindingLevel,
  ReceivedCounts,
  ValidationFinding,
} from '../types.js';

export function receivedCounts(collected: CollectedTelemetry): ReceivedCounts {
  return {
    spans: collected.spans?.length ?? 0,
    metrics: new Set((collected.metrics ?? []).map((m) => m.name)).size,
    logRecords: collected.logs?.length ?? 0,
    logLines: (collected.lines ?? []).filter((l) => l.fields !== undefined).length,
    prometheusFamilies: (collected.prometheus ?? []).reduce((n, s) => n + s.families.length, 0),
    requests: collected.requests?.length ?? 0,
  };
}

export function countLevels(findings: readonly ValidationFinding[]): Record<FindingLevel, number> {
  const counts = { violation: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.level]++;
  return counts;
}

/** True when the findings fail the run at the given threshold. */
export function fails(findings: readonly ValidationFinding[], failOn: FailOn): boolean {
  return findings.some(
    (f) => f.level === 'violation' || (failOn === 'warning' && f.level === 'warning'),
  );
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `3 violations, 1 warning, 2 info`. */
export function levelSummary(findings: readonly ValidationFinding[]): string {
  const c = countLevels(findings);
  return `${plural(c.violation, 'violation')}, ${plural(c.warning, 'warning')}, ${c.info} info`;
}

export function receivedSummary(r: ReceivedCounts): string {
  return [
    plural(r.spans, 'span'),
    plural(r.metrics, 'metric'),
    plural(r.logRecords, 'log record'),
    plural(r.logLines, 'JSON log line'),
    plural(r.prometheusFamilies, 'Prometheus family', 'Prometheus families'),
    plural(r.requests, 'scenario request'),
  ].join(', ');
}

import type { LoggedRecord } from './types.js';

/**
 * Parses JSON log lines (a child process's stdout, a captured stream). Blank lines are skipped; a
 * line that is not a JSON object throws an error naming its number and showing it.
 */
export function parseLogLines(text: string): LoggedRecord[] {
  const records: LoggedRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(
        `log line ${i + 1} is not a JSON object: ${line.length > 200 ? `${line.slice(0, 197)}...` : line}`,
      );
    }
    records.push(parsed as LoggedRecord);
  }
  return records;
}

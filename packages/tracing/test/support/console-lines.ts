/** One `text` console line, parsed back into its parts. */
export interface ParsedSpanLine {
  name: string;
  kind: string;
  durationMs: number;
  status: string;
  statusMessage?: string;
  fields: Record<string, string>;
}

const HEAD =
  /^(\S+) (internal|server|client|producer|consumer) ([0-9.]+)ms (UNSET|OK|ERROR)(?: ("(?:[^"\\]|\\.)*"))?((?: \S+=(?:"(?:[^"\\]|\\.)*"|\S+))*)(?: \+(\d+) attributes)?$/;
const FIELD = / (\S+?)=("(?:[^"\\]|\\.)*"|\S+)/g;

/** Parses a line of the readable console exporter; `undefined` when it is not one. */
export function parseSpanLine(line: string): ParsedSpanLine | undefined {
  const match = HEAD.exec(line);
  if (match === null) return undefined;
  const fields: Record<string, string> = {};
  for (const [, key, raw] of match[6]!.matchAll(FIELD)) {
    fields[key!] = raw!.startsWith('"') ? (JSON.parse(raw!) as string) : raw!;
  }
  return {
    name: match[1]!,
    kind: match[2]!,
    durationMs: Number(match[3]),
    status: match[4]!,
    statusMessage: match[5] === undefined ? undefined : (JSON.parse(match[5]) as string),
    fields,
  };
}

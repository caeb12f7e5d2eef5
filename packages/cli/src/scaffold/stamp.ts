import { createHash } from 'node:crypto';

const PREFIX = '// datum-telemetry scaffold sha256:';
const STAMP = /\n\/\/ datum-telemetry scaffold sha256:([0-9a-f]{16})\n$/;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** `content` with a last line stamping it: the start of the SHA-256 of everything above. */
export function stamped(content: string): string {
  return `${content}\n${PREFIX}${digest(content)}\n`;
}

/**
 * True when `text` is a file as `scaffold` wrote it: its stamp matches its content. Any edit (or a
 * file scaffold did not write) makes it false.
 */
export function isAsWritten(text: string): boolean {
  const match = STAMP.exec(text);
  return match !== null && digest(text.slice(0, match.index)) === match[1];
}

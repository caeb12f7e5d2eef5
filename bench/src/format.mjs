// Number and table formatting shared by the Markdown and terminal reports.

export const fmt = (v, digits = 0) =>
  v === undefined || v === null || Number.isNaN(v) || !Number.isFinite(v)
    ? 'n/a'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const fmtInt = (v) => fmt(v, 0);
export const x = (v) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${fmt(v, 2)}x`);
export const range = (low, high) =>
  low === undefined || high === undefined ? 'n/a' : `${fmt(low, 2)}-${fmt(high, 2)}`;

/** A Markdown table. */
export function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export const pad = (text, n) => String(text).padEnd(n);
export const padl = (text, n) => String(text).padStart(n);

/** JSON with object keys sorted, so that two values that are equal print the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(item).sort())
        sorted[key] = (item as Record<string, unknown>)[key];
      return sorted;
    },
    2,
  );
}

/**
 * A line diff of two values printed as JSON: `- ` lines only in the expected value, `+ ` lines only
 * in the actual one. Longest common subsequence on lines; the values here are small.
 */
export function formatDiff(expected: unknown, actual: unknown): string {
  const a = stableJson(expected).split('\n');
  const b = stableJson(actual).split('\n');
  const lengths: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] =
        a[i] === b[j]
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const out: string[] = ['- expected', '+ actual', ''];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      out.push(`- ${a[i]}`);
      i++;
    } else {
      out.push(`+ ${b[j]}`);
      j++;
    }
  }
  return out.join('\n');
}

// How rounds vary their order, shared by every section that repeats its measurements.

/** Rotates the list by `by`: round r starts at a different entry (A B A B ...). */
export function rotated(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK` of `trace.proto`: whether the parent was remote is known. */
const HAS_IS_REMOTE = 0x100;
/** `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`: the parent (or linked) span context came from elsewhere. */
const IS_REMOTE = 0x200;

/**
 * The `flags` of a Span or Link: the W3C trace flags in the low byte, and the two is-remote bits,
 * which the transformer always sets for spans and links (the "known" bit on every one).
 */
export function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  let flags = (traceFlags & 0xff) | HAS_IS_REMOTE;
  if (isRemote) flags |= IS_REMOTE;
  return flags;
}

import type { Context, Link, TextMapGetter } from '@opentelemetry/api';
import { isSpanContextValid, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { IncomingContextPolicy, RequestHeaders } from './types.js';

/** Longer headers are dropped whole, so hostile input cannot cost more than this. */
export const MAX_TRACEPARENT_LENGTH = 512;
/**
 * A bound against hostile input only (W3C Trace Context §7.2): 32 of the largest members fit twice
 * over. Member rules, the 32-member limit and truncation to 512 characters (§3.3.1.5) are the
 * propagator's: empty members are allowed, so commas say nothing about the member count.
 */
export const MAX_TRACESTATE_LENGTH = 32_768;
export const MAX_TRACESTATE_MEMBERS = 32;
/**
 * The same kind of bound for `baggage`: four times the 8192 bytes W3C Baggage §Limits asks to
 * propagate. The member rules, the 180 members and the 8192 bytes are the propagator's: a longer
 * list, or one with empty members, still has members to keep (at least 64 of them, §Limits), so
 * neither its length up to this bound nor its commas drop it whole.
 */
export const MAX_BAGGAGE_LENGTH = 32_768;

interface Carrier {
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
}

const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) =>
    key === 'traceparent' || key === 'tracestate' || key === 'baggage' ? carrier[key] : undefined,
};

/**
 * Only the three propagation headers, each dropped when repeated (traceparent) or oversized: what
 * is left is what the global propagator may read.
 */
export function sanitizeCarrier(headers: RequestHeaders): Carrier | undefined {
  const traceparent = headers.traceparent;
  const tracestate = headers.tracestate;
  const baggage = headers.baggage;
  if (traceparent === undefined && baggage === undefined) return undefined;
  const carrier: Carrier = {};
  if (typeof traceparent === 'string' && traceparent.length <= MAX_TRACEPARENT_LENGTH) {
    carrier.traceparent = traceparent;
    const state = Array.isArray(tracestate) ? tracestate.join(',') : tracestate;
    if (typeof state === 'string' && state.length <= MAX_TRACESTATE_LENGTH) {
      carrier.tracestate = state;
    }
  }
  const bag = Array.isArray(baggage) ? baggage.join(',') : baggage;
  if (typeof bag === 'string' && bag.length <= MAX_BAGGAGE_LENGTH) carrier.baggage = bag;
  return carrier;
}

/** The parent context of the server span, and the link to the caller when restarting. */
export interface IncomingContext {
  readonly parent: Context;
  readonly links: Link[] | undefined;
}

const NONE: IncomingContext = Object.freeze({ parent: ROOT_CONTEXT, links: undefined });

/**
 * Reads the caller's trace context through the global propagator (so it follows whatever the
 * application registered) and applies the trust policy.
 */
export function incomingContext(
  headers: RequestHeaders,
  policy: IncomingContextPolicy,
): IncomingContext {
  if (policy === 'ignore') return NONE;
  const carrier = sanitizeCarrier(headers);
  if (carrier === undefined) return NONE;
  const extracted = propagation.extract(ROOT_CONTEXT, carrier, getter);
  if (policy === 'continue') return { parent: extracted, links: undefined };
  const caller = trace.getSpanContext(extracted);
  if (caller === undefined || !isSpanContextValid(caller)) return NONE;
  return {
    parent: ROOT_CONTEXT,
    links: [{ context: caller, attributes: { 'datum.link.reason': 'untrusted-caller' } }],
  };
}

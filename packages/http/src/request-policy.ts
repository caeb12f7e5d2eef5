import type { ResolvedOptions } from './options.js';
import { reportFailure } from './report-failure.js';
import type { IncomingContextPolicy, RequestInfo } from './types.js';

/**
 * The `incomingContext` policy for one request: the option's value, or what its function answers.
 * A function that throws is reported and the request continues the caller's trace, the default.
 */
export function incomingContextPolicy(
  policy: ResolvedOptions['policy'],
  request: RequestInfo,
): IncomingContextPolicy {
  if (typeof policy !== 'function') return policy;
  try {
    return policy(request) ?? 'continue';
  } catch (error) {
    reportFailure('incomingContext', error);
    return 'continue';
  }
}

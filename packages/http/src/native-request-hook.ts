import type { Span } from '@opentelemetry/api';
import type { HttpTelemetryOptions, RequestInfo } from './types.js';

/**
 * The options of an adapter whose `requestHook` gets `Request`: the request the core describes
 * plus the framework's own request as one more field (`req` in Express, `ctx` in Koa).
 */
export type NativeRequestHookOptions<Request extends RequestInfo> = Omit<
  HttpTelemetryOptions,
  'requestHook'
> & {
  readonly requestHook?: (span: Span, request: Request) => void;
};

/**
 * For adapters: the core options for an adapter's options whose `requestHook` takes the
 * framework's request as `request[field]`, from the `native` value the adapter passes to `start()`.
 * The hook's argument is made per request only when there is a hook. Options without a hook
 * function (invalid ones too) are returned as they are, so that the core checks and names them.
 */
export function withNativeRequest<Request extends RequestInfo>(
  options: NativeRequestHookOptions<Request>,
  field: Exclude<keyof Request, keyof RequestInfo> & string,
): HttpTelemetryOptions {
  if (options === null || typeof options !== 'object') return options;
  const hook = options.requestHook;
  if (typeof hook !== 'function') return options as HttpTelemetryOptions;
  return {
    ...options,
    requestHook: (span, request, native) => hook(span, { ...request, [field]: native } as Request),
  };
}

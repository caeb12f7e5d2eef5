// Type-level tests: `pnpm typecheck` compiles this file; an unused `@ts-expect-error` fails it.
import type { RequestLogger, RequestTelemetry } from '@datum-telemetry/http';
import type { ParameterizedContext } from 'koa';
import type { KoaContext, TelemetryFields } from '../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_value?: T): void {}

// A context that has not passed through `telemetry()` has neither (context-properties.test.ts).
assertType<Equal<TelemetryFields['log'], RequestLogger | undefined>>();
assertType<Equal<TelemetryFields['telemetry'], RequestTelemetry | undefined>>();
assertType<Equal<KoaContext['log'], RequestLogger | undefined>>();

export async function handler(ctx: ParameterizedContext & TelemetryFields): Promise<void> {
  ctx.log?.info('allocating an address');
  // @ts-expect-error `ctx.log` is undefined on a context that did not pass through telemetry()
  ctx.log.info('allocating an address');
}

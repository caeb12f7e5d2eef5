// Type-level tests: `pnpm typecheck` compiles this file; an unused `@ts-expect-error` fails it.
import type { RequestLogger, RequestTelemetry } from '@datum-telemetry/http';
import type { RequestHandler } from 'express';
import type {} from '../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_value?: T): void {}

// Every Express request is typed with them, also those that never pass through `telemetry()`, and
// those read `undefined` at run time (request-properties.test.ts): so both are optional.
assertType<Equal<Express.Request['log'], RequestLogger | undefined>>();
assertType<Equal<Express.Request['telemetry'], RequestTelemetry | undefined>>();

export const handler: RequestHandler = (req, res) => {
  req.log?.info('reading the virtual machine');
  // @ts-expect-error `req.log` is undefined on a request that did not pass through telemetry()
  req.log.info('reading the virtual machine');
  res.end();
};

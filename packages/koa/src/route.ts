import type { KoaContext } from './types.js';

/**
 * The route template @koa/router matched (`/api/v1/users/:id`, prefixes and nested routers
 * included), or `undefined` when no route (only router middleware, or nothing) matched.
 */
export function koaRoute(ctx: KoaContext): string | undefined {
  const matchedRoute = ctx._matchedRoute;
  if (matchedRoute === undefined || matchedRoute === null) return undefined;
  const text =
    typeof matchedRoute === 'string'
      ? matchedRoute
      : matchedRoute instanceof RegExp
        ? String(matchedRoute)
        : undefined;
  if (text === undefined) return undefined;
  // `router.use()` middleware also sets `_matchedRoute`; only a layer with methods is a route.
  const layers = Array.isArray(ctx.matched) ? ctx.matched : [];
  const isRoute = layers.some(
    (layer) =>
      Array.isArray(layer?.methods) &&
      layer.methods.length > 0 &&
      (layer.path === matchedRoute || String(layer.path) === text),
  );
  return isRoute ? text : undefined;
}

// One table of requests and what each must produce, whatever the framework.
import type { Flavor } from './apps.js';
import { RESOURCE_BASE } from './apps.js';

type PerFramework<T> = T | { readonly express: T; readonly koa: T };

export interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly status: number;
  readonly spanName: PerFramework<string>;
  /** Expected `http.route` on the span; `undefined`: no route attribute. */
  readonly route: PerFramework<string | undefined>;
  /** Expected `error.type`; its presence means span status ERROR (except for aborts). */
  readonly errorType?: PerFramework<string>;
  /**
   * The exception the span must record: its type and message (no type, and no stack, for a thrown
   * value that is not an Error).
   */
  readonly exception?: PerFramework<
    { readonly type: string | undefined; readonly message: string } | undefined
  >;
  readonly metric: string;
  readonly metricAttributes: Readonly<Record<string, string | number>>;
  readonly spanAttributes?: Readonly<Record<string, string | number>>;
  /** Access log level (bunyan numbers): 30 info, 40 warn, 50 error. */
  readonly logLevel: number;
}

const VMS = `${RESOURCE_BASE}/default/virtualmachines`;
/**
 * `http.route` of a declared resource is the framework's template, in the framework's syntax (the
 * same `:param` form for Express and Koa here), never the registry's `{namespace}` form.
 */
const VMS_ROUTE = `${RESOURCE_BASE}/:namespace/virtualmachines`;

export function pick<T>(value: PerFramework<T>, flavor: Flavor): T {
  if (value !== null && typeof value === 'object' && 'express' in value && 'koa' in value) {
    return flavor.startsWith('express') ? value.express : value.koa;
  }
  return value as T;
}

const vm = (method: string, operation: string, status: number, route = `${VMS_ROUTE}/:name`) => ({
  metric: 'compute.vm.requests.total',
  metricAttributes: {
    'http.request.method': method,
    operation,
    'http.route': route,
    'http.response.status_code': status,
  },
});

export const CASES: readonly Case[] = [
  {
    name: 'List (GET collection)',
    method: 'GET',
    path: VMS,
    status: 200,
    spanName: 'ListVirtualMachine',
    route: VMS_ROUTE,
    ...vm('GET', 'List', 200, VMS_ROUTE),
    spanAttributes: {
      'resource.kind': 'VirtualMachine',
      'resource.namespace': 'default',
      operation: 'List',
      'resource.apiVersion': 'compute.datumapis.com/v1alpha1',
    },
    logLevel: 30,
  },
  {
    name: 'Watch (GET collection ?watch=true)',
    method: 'GET',
    path: `${VMS}?watch=true`,
    status: 200,
    spanName: 'WatchVirtualMachine',
    route: VMS_ROUTE,
    ...vm('GET', 'Watch', 200, VMS_ROUTE),
    logLevel: 30,
  },
  {
    name: 'Create (POST collection)',
    method: 'POST',
    path: VMS,
    headers: { 'content-type': 'application/json' },
    body: { metadata: { name: 'vm-1' } },
    status: 201,
    spanName: 'CreateVirtualMachine',
    route: VMS_ROUTE,
    ...vm('POST', 'Create', 201, VMS_ROUTE),
    spanAttributes: { operation: 'Create', 'resource.namespace': 'default' },
    logLevel: 30,
  },
  {
    name: 'Get (GET item)',
    method: 'GET',
    path: `${VMS}/vm-1`,
    status: 200,
    spanName: 'GetVirtualMachine',
    route: `${VMS_ROUTE}/:name`,
    ...vm('GET', 'Get', 200),
    spanAttributes: { 'resource.name': 'vm-1', 'resource.namespace': 'default', operation: 'Get' },
    logLevel: 30,
  },
  {
    name: 'Get of a missing item is a 404 and not an error',
    method: 'GET',
    path: `${VMS}/missing`,
    status: 404,
    spanName: 'GetVirtualMachine',
    route: `${VMS_ROUTE}/:name`,
    ...vm('GET', 'Get', 404),
    logLevel: 40,
  },
  {
    name: 'Update (PUT item)',
    method: 'PUT',
    path: `${VMS}/vm-1`,
    status: 200,
    spanName: 'UpdateVirtualMachine',
    route: `${VMS_ROUTE}/:name`,
    ...vm('PUT', 'Update', 200),
    logLevel: 30,
  },
  {
    name: 'Patch (PATCH item)',
    method: 'PATCH',
    path: `${VMS}/vm-1`,
    status: 200,
    spanName: 'PatchVirtualMachine',
    route: `${VMS_ROUTE}/:name`,
    ...vm('PATCH', 'Patch', 200),
    logLevel: 30,
  },
  {
    name: 'Delete (DELETE item)',
    method: 'DELETE',
    path: `${VMS}/vm-1`,
    status: 200,
    spanName: 'DeleteVirtualMachine',
    route: `${VMS_ROUTE}/:name`,
    ...vm('DELETE', 'Delete', 200),
    logLevel: 30,
  },
  {
    name: 'nested routers give the full template',
    method: 'GET',
    path: '/api/v1/users/42',
    status: 200,
    spanName: 'GET /api/:version/users/:id',
    route: '/api/:version/users/:id',
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/api/:version/users/:id',
      'http.response.status_code': 200,
    },
    logLevel: 30,
  },
  {
    name: 'app.route() / a plain router route',
    method: 'GET',
    path: '/chained/7',
    status: 200,
    spanName: 'GET /chained/:id',
    route: '/chained/:id',
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/chained/:id',
      'http.response.status_code': 200,
    },
    logLevel: 30,
  },
  {
    name: 'regex route',
    method: 'GET',
    path: '/regex/123',
    status: 200,
    spanName: 'GET /^\\/regex\\/(\\d+)$/',
    route: '/^\\/regex\\/(\\d+)$/',
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/^\\/regex\\/(\\d+)$/',
      'http.response.status_code': 200,
    },
    logLevel: 30,
  },
  {
    name: '404 on an unknown path: one fixed label, never the raw path',
    method: 'GET',
    path: '/no/such/path/12345',
    status: 404,
    spanName: 'GET',
    route: undefined,
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': 'unmatched',
      'http.response.status_code': 404,
    },
    logLevel: 40,
  },
  {
    name: 'a declared resource the app does not route: named by the registry, but no http.route',
    method: 'GET',
    path: `${VMS}/vm-1/status`,
    status: 404,
    spanName: 'GetVirtualMachineStatus',
    route: undefined,
    ...vm('GET', 'Get', 404, 'unmatched'),
    spanAttributes: { 'resource.name': 'vm-1', operation: 'Get' },
    logLevel: 40,
  },
  {
    name: '304 sent by a middleware before the route',
    method: 'GET',
    path: '/cached',
    headers: { 'if-none-match': '"v1"' },
    status: 304,
    spanName: 'GET',
    route: undefined,
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': 'unmatched',
      'http.response.status_code': 304,
    },
    logLevel: 30,
  },
  {
    name: 'thrown error: 500, span error, exception recorded',
    method: 'GET',
    path: '/boom',
    status: 500,
    spanName: 'GET /boom',
    route: '/boom',
    errorType: 'Error',
    exception: { type: 'Error', message: 'kaboom' },
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/boom',
      'http.response.status_code': 500,
    },
    logLevel: 50,
  },
  {
    // The exception event's type follows the same rule as error.type (the SDK's would say `Error`).
    name: 'thrown Error subclass: error.type and exception.type are its class name',
    method: 'GET',
    path: '/subclass-error',
    status: 500,
    spanName: 'GET /subclass-error',
    route: '/subclass-error',
    errorType: 'NotFoundError',
    exception: { type: 'NotFoundError', message: 'no such machine' },
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/subclass-error',
      'http.response.status_code': 500,
    },
    logLevel: 50,
  },
  {
    name: 'thrown string: error.type _OTHER, the string as the exception message',
    method: 'GET',
    path: '/string-error',
    status: 500,
    spanName: 'GET /string-error',
    route: '/string-error',
    errorType: '_OTHER',
    exception: { type: undefined, message: 'machine not found' },
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/string-error',
      'http.response.status_code': 500,
    },
    logLevel: 50,
  },
  {
    name: 'next(err) / thrown TypeError',
    method: 'GET',
    path: '/next-error',
    status: 500,
    spanName: 'GET /next-error',
    route: '/next-error',
    errorType: 'TypeError',
    exception: { type: 'TypeError', message: 'bad thing' },
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/next-error',
      'http.response.status_code': 500,
    },
    logLevel: 50,
  },
  {
    name: 'async rejection',
    method: 'GET',
    path: '/async-error',
    status: 500,
    spanName: 'GET /async-error',
    route: '/async-error',
    errorType: 'RangeError',
    exception: { type: 'RangeError', message: 'async failure' },
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/async-error',
      'http.response.status_code': 500,
    },
    logLevel: 50,
  },
  {
    name: 'error answered by the app error handler (503): error status, the app response unchanged',
    method: 'GET',
    path: '/handled-error',
    status: 503,
    spanName: 'GET /handled-error',
    route: '/handled-error',
    errorType: '503',
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/handled-error',
      'http.response.status_code': 503,
    },
    logLevel: 50,
  },
  {
    name: '400 response is not an error',
    method: 'GET',
    path: '/bad-request',
    status: 400,
    spanName: 'GET /bad-request',
    route: '/bad-request',
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/bad-request',
      'http.response.status_code': 400,
    },
    logLevel: 40,
  },
  {
    name: 'thrown 400 (ctx.throw / next(err) with status) is not an error',
    method: 'GET',
    path: '/throw-400',
    status: 400,
    spanName: 'GET /throw-400',
    route: '/throw-400',
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': 'GET',
      'http.route': '/throw-400',
      'http.response.status_code': 400,
    },
    logLevel: 40,
  },
  {
    name: 'unknown method is _OTHER and named HTTP',
    method: 'PROPFIND',
    path: '/no/such/thing',
    status: 404,
    spanName: 'HTTP',
    route: undefined,
    metric: 'compute.http.requests.total',
    metricAttributes: {
      'http.request.method': '_OTHER',
      'http.route': 'unmatched',
      'http.response.status_code': 404,
    },
    spanAttributes: { 'http.request.method': '_OTHER', 'http.request.method_original': 'PROPFIND' },
    logLevel: 40,
  },
];

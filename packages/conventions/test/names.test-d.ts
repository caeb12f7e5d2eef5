// Type-level tests: `pnpm typecheck` compiles this file. Each `@ts-expect-error` line must be a
// compile error: if a malformed literal name were accepted, the directive would be unused and the
// typecheck would fail.
import type { MetricNameLiteral, NameError, SpanNameLiteral } from '../src/index.js';
import { buildSpanName, metricName, spanName } from '../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_value?: T): void {}

// Valid literals pass through unchanged.
assertType<
  Equal<MetricNameLiteral<'compute.vm.requests.total', 'counter'>, 'compute.vm.requests.total'>
>();
assertType<Equal<MetricNameLiteral<'compute.vm.active', 'updowncounter'>, 'compute.vm.active'>>();
assertType<
  Equal<
    MetricNameLiteral<'compute.vm.request.duration.seconds', 'histogram'>,
    'compute.vm.request.duration.seconds'
  >
>();
assertType<Equal<MetricNameLiteral<'compute.vm.active'>, 'compute.vm.active'>>();
assertType<Equal<SpanNameLiteral<'CreateVirtualMachine'>, 'CreateVirtualMachine'>>();
assertType<Equal<SpanNameLiteral<'AllocateIPAddress'>, 'AllocateIPAddress'>>();
assertType<Equal<SpanNameLiteral<'DrainNode', 'Drain'>, 'DrainNode'>>();
// Non-literal strings are left to the run-time check.
assertType<Equal<MetricNameLiteral<string, 'counter'>, string>>();
assertType<Equal<SpanNameLiteral<string>, string>>();

// Malformed literals become a NameError with the reason.
assertType<
  Equal<
    MetricNameLiteral<'Compute.vm.active'>,
    NameError<'metric names use only a-z, 0-9, "_" and "."'>
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute.active'>,
    NameError<'metric names are {service}.{resource}.{measurement}[.{unit}]'>
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute.vm.requests', 'counter'>,
    NameError<'counter names are {service}.{resource}.{measurement}.total'>
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute.vm.active.total', 'gauge'>,
    NameError<'only counter names end in .total'>
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute.vm.requests.total.total', 'counter'>,
    NameError<'a suffix is written twice (.total.total, .seconds.seconds): write it once'>
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute.vm.request.duration.seconds.seconds'>,
    NameError<'a suffix is written twice (.total.total, .seconds.seconds): write it once'>
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute.vm.sent.bytes.bytes.total', 'counter'>,
    NameError<'a suffix is written twice (.total.total, .seconds.seconds): write it once'>
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute.vm.vm.requests.total', 'counter'>,
    'compute.vm.vm.requests.total'
  >
>();
assertType<
  Equal<
    MetricNameLiteral<'compute..vm'>,
    NameError<'every metric segment starts with a letter, and none is empty'>
  >
>();
assertType<
  Equal<
    SpanNameLiteral<'VirtualMachineCreate'>,
    NameError<'span names start with an operation verb: {Operation}{Resource}, e.g. CreateVirtualMachine'>
  >
>();
assertType<
  Equal<
    SpanNameLiteral<'Create_VM'>,
    NameError<'the resource after the verb is PascalCase letters and digits: {Operation}{Resource}'>
  >
>();

// The checked helpers accept good literals...
const requests: 'compute.vm.requests.total' = metricName('compute.vm.requests.total', {
  kind: 'counter',
});
const create: 'CreateVirtualMachine' = spanName('CreateVirtualMachine');
const drain: 'DrainNode' = spanName('DrainNode', { verbs: ['Drain'] });
const built: 'ReconcileVirtualMachine' = buildSpanName('Reconcile', 'VirtualMachine');
const dynamic: string = metricName(String(requests));
void [create, drain, built, dynamic];

// ...and refuse malformed ones at compile time.
// @ts-expect-error upper case
metricName('Compute.vm.active');
// @ts-expect-error hyphen
metricName('compute-api.vm.active');
// @ts-expect-error space
metricName('compute.vm.active count');
// @ts-expect-error too few segments
metricName('compute.active');
// @ts-expect-error empty segment
metricName('compute..vm.active');
// @ts-expect-error trailing dot
metricName('compute.vm.active.');
// @ts-expect-error segment starts with a digit
metricName('compute.2vm.active');
// @ts-expect-error counter without .total
metricName('compute.vm.requests', { kind: 'counter' });
// @ts-expect-error .total on a gauge
metricName('compute.vm.active.total', { kind: 'gauge' });
// @ts-expect-error .total on a histogram
metricName('compute.vm.latency.total', { kind: 'histogram' });
// @ts-expect-error .total written twice
metricName('compute.vm.requests.total.total', { kind: 'counter' });
// @ts-expect-error not PascalCase
spanName('createVirtualMachine');
// @ts-expect-error verb last
spanName('VirtualMachineCreate');
// @ts-expect-error unknown verb
spanName('DrainNode');
// @ts-expect-error separator
spanName('Create_VirtualMachine');
// @ts-expect-error verb alone
spanName('Create');
// @ts-expect-error raw path
spanName('GET /apis/compute.datumapis.com/v1alpha1/virtualmachines');

// The W3C propagation work of one request, for a pair of propagators (trace context, baggage):
// what the middleware does on an incoming request (`extract` from its headers) and a client on an
// outgoing call (`inject` into a fresh header object). Headers are plain lowercase objects, as
// node:http gives them, read and written through the API's default getter and setter. Eight
// distinct traceparents cycle, as every request carries its own; the tracestate and the baggage
// are the same on every request, as they often are (`tracestate varying` changes the tracestate
// too, for a propagator that would only be fast on a repeated one).
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';

const TRACEPARENTS = Array.from(
  { length: 8 },
  (_, i) => `00-0af7651916cd43dd8448eb211c8031${(0x9c + i).toString(16)}-b7ad6b716920333${i}-01`,
);
export const TRACESTATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';
export const BAGGAGE = 'userId=alice,serverNode=DF%2028,isProduction=false';

const base = { host: '127.0.0.1:8080', 'user-agent': 'datum-bench/1.0', accept: '*/*' };
const onlyTraceparent = TRACEPARENTS.map((traceparent) => ({ ...base, traceparent }));
const withTracestate = TRACEPARENTS.map((traceparent) => ({
  ...base,
  traceparent,
  tracestate: TRACESTATE,
}));
const varyingTracestate = TRACEPARENTS.map((traceparent, i) => ({
  ...base,
  traceparent,
  tracestate: `rojo=00f067aa0ba902b${i},congo=t61rcWkgMzE`,
}));
const withBaggage = { ...base, baggage: BAGGAGE };

/** The workloads for `{ traceContext, baggage }`: name -> `(i) => unknown`. */
export function w3cWorkloads({ traceContext, baggage }) {
  const extractTrace = (carrier) =>
    traceContext.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  // What inject is given: the context its own extract made (its own TraceState and Baggage).
  const traced = extractTrace(withTracestate[0]);
  const bagged = baggage.extract(ROOT_CONTEXT, withBaggage, defaultTextMapGetter);
  if (trace.getSpanContext(traced)?.traceState === undefined) throw new Error('no tracestate');
  if (propagation.getBaggage(bagged)?.getAllEntries().length !== 3) throw new Error('no baggage');
  return {
    'extract traceparent': (i) => extractTrace(onlyTraceparent[i & 7]),
    'extract traceparent + tracestate': (i) => extractTrace(withTracestate[i & 7]),
    'extract traceparent + tracestate varying': (i) => extractTrace(varyingTracestate[i & 7]),
    'extract baggage': () => baggage.extract(ROOT_CONTEXT, withBaggage, defaultTextMapGetter),
    'inject traceparent + tracestate': () => {
      const carrier = {};
      traceContext.inject(traced, carrier, defaultTextMapSetter);
      return carrier;
    },
    'inject baggage': () => {
      const carrier = {};
      baggage.inject(bagged, carrier, defaultTextMapSetter);
      return carrier;
    },
  };
}

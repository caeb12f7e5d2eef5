// Which Views select the middleware's instruments decides whether the cells may serve them; the
// answer must be the SDK's. The SDK is the oracle: a View that changes only the description shows,
// in what a reader collects, whether the SDK applied it.
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import { InstrumentType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { expect, it } from 'vitest';
import type { SelectedInstrument } from '../src/request-cells/view-match.js';
import { onlyLimits, viewSelects } from '../src/request-cells/view-match.js';

class Reader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const INSTRUMENTS: readonly SelectedInstrument[] = [
  {
    name: 'compute.http.requests.total',
    type: InstrumentType.COUNTER,
    unit: '{request}',
    meterName: '@datum-telemetry/http',
    meterVersion: '0.1.0',
  },
  {
    name: 'compute.vm.request.duration.seconds',
    type: InstrumentType.HISTOGRAM,
    unit: 's',
    meterName: '@datum-telemetry/http',
    meterVersion: '0.1.0',
  },
];

const SELECTORS: readonly Omit<ViewOptions, 'description'>[] = [
  { instrumentName: '*' },
  { instrumentName: 'compute.*' },
  { instrumentName: 'compute.http.*' },
  { instrumentName: '*.total' },
  { instrumentName: '*seconds' },
  { instrumentName: 'compute.*.request.*' },
  { instrumentName: 'compute.http.requests.total' },
  { instrumentName: 'COMPUTE.http.requests.total' },
  { instrumentName: 'compute?http.requests.total' },
  { instrumentName: 'compute.http.requests.tota' },
  { instrumentName: 'compute.(http|vm).requests.total' },
  { instrumentName: 'compute[.]http.requests.total' },
  { instrumentName: 'c*e.*' },
  { instrumentType: InstrumentType.COUNTER },
  { instrumentType: InstrumentType.HISTOGRAM },
  { instrumentType: InstrumentType.UP_DOWN_COUNTER },
  { instrumentUnit: 's' },
  { instrumentUnit: '{request}', instrumentName: 'compute.*' },
  { meterName: '@datum-telemetry/http' },
  { meterName: '@datum-telemetry/other' },
  { meterVersion: '0.1.0' },
  { meterVersion: '0.2.0' },
  { meterSchemaUrl: 'https://opentelemetry.io/schemas/1.30.0' },
  { meterName: '@datum-telemetry/http', instrumentName: '*.total', instrumentUnit: 's' },
];

async function sdkSelects(selector: ViewOptions, instrument: SelectedInstrument): Promise<boolean> {
  const reader = new Reader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [{ ...selector, description: 'selected' }],
  });
  const meter = provider.getMeter(instrument.meterName, instrument.meterVersion);
  if (instrument.type === InstrumentType.COUNTER) {
    meter.createCounter(instrument.name, { unit: instrument.unit }).add(1);
  } else {
    meter.createHistogram(instrument.name, { unit: instrument.unit }).record(1);
  }
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const [metric] = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  return metric?.descriptor.description === 'selected';
}

it('selects an instrument exactly when the SDK applies the View to it', async () => {
  const disagreements: string[] = [];
  let selected = 0;
  for (const selector of SELECTORS) {
    for (const instrument of INSTRUMENTS) {
      const expected = await sdkSelects(selector, instrument);
      if (expected) selected++;
      if (viewSelects(selector, instrument) !== expected) {
        disagreements.push(`${JSON.stringify(selector)} on ${instrument.name}: SDK ${expected}`);
      }
    }
  }
  expect(disagreements).toEqual([]);
  // Both answers occur, so the comparison means something.
  expect(selected).toBeGreaterThan(5);
  expect(selected).toBeLessThan(SELECTORS.length * INSTRUMENTS.length - 5);
});

it('takes a View that only limits cardinality, and leaves any other to the SDK', () => {
  expect(onlyLimits({ instrumentName: 'a', aggregationCardinalityLimit: 3 })).toBe(true);
  expect(onlyLimits({ instrumentName: 'a', attributesProcessors: [] })).toBe(true);
  expect(onlyLimits({ instrumentName: 'a', description: 'x' })).toBe(false);
  expect(onlyLimits({ instrumentName: 'a', name: 'b' })).toBe(false);
  expect(onlyLimits({ instrumentName: 'a', aggregation: { type: 0 } })).toBe(false);
});

import { describe, expect, it } from 'vitest';
import {
  negotiateExposition,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from '../src/index.js';

// The headers Prometheus sends: 2.x before scrape_protocols (2.42, Debian's), 2.49 and later with
// the default scrape_protocols, 3.x (escaping, text 1.0.0), and with the protobuf-first protocols
// that native histograms turn on (prometheus/scrape/scrape.go, acceptHeader).
const PROMETHEUS_2_42 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_2_49 =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const PROMETHEUS_PROTO_FIRST =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

describe('negotiateExposition', () => {
  it.each([
    ['Prometheus 2.42', PROMETHEUS_2_42],
    ['Prometheus 2.49+', PROMETHEUS_2_49],
    ['Prometheus 3', PROMETHEUS_3],
    ['Prometheus with protobuf first (we have no protobuf)', PROMETHEUS_PROTO_FIRST],
    ['the spec form', 'application/openmetrics-text; version=1.0.0'],
    ['no version', 'application/openmetrics-text'],
    [
      'a quoted version, other case, spaces',
      'Application/OpenMetrics-Text ; Version="1.0.0" ; q=1',
    ],
    ['OpenMetrics tied with text/plain', 'text/plain, application/openmetrics-text; version=1.0.0'],
    ['OpenMetrics above text', 'text/plain;q=0.2,application/openmetrics-text;q=0.3'],
    ['a header given twice (array)', ['text/plain;q=0.1', 'application/openmetrics-text']],
  ])('gives OpenMetrics to %s', (_who, accept) => {
    expect(negotiateExposition(accept)).toEqual({
      format: 'openmetrics',
      contentType: OPENMETRICS_CONTENT_TYPE,
    });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['curl (*/*)', '*/*'],
    ['a browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['text/plain', 'text/plain'],
    ['text 0.0.4', 'text/plain; version=0.0.4'],
    ['JSON', 'application/json'],
    ['only OpenMetrics 0.0.1', 'application/openmetrics-text; version=0.0.1'],
    ['only OpenMetrics 2.0.0', 'application/openmetrics-text; version=2.0.0'],
    ['OpenMetrics refused', 'application/openmetrics-text; version=1.0.0; q=0'],
    ['OpenMetrics below text', 'application/openmetrics-text;q=0.3,text/plain;q=0.5'],
    ['OpenMetrics below */*', 'application/openmetrics-text;q=0.1,*/*'],
    [
      'the specific range refusing it',
      'application/openmetrics-text;version=1.0.0;q=0,application/openmetrics-text',
    ],
    ['an unreadable q', 'application/openmetrics-text;q=high'],
    ['a q above 1', 'application/openmetrics-text;q=2'],
    ['wildcards only', 'application/*'],
    ['garbage', ';;;,,,=/=/"unclosed'],
    ['a very long header', `${'x/y;a=b,'.repeat(2000)}text/plain`],
  ])('gives the text format 0.0.4 to %s', (_who, accept) => {
    expect(negotiateExposition(accept)).toEqual({
      format: 'prometheus',
      contentType: PROMETHEUS_CONTENT_TYPE,
    });
  });

  it('reads commas and semicolons inside quoted parameters as part of the value', () => {
    expect(
      negotiateExposition('text/plain;note="a,application/openmetrics-text",*/*;q=0.1').format,
    ).toBe('prometheus');
    expect(
      negotiateExposition('application/openmetrics-text;note="x;q=0";version=1.0.0').format,
    ).toBe('openmetrics');
  });
});

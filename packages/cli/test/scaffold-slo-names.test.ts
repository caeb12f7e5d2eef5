// The scaffold's `slo` stub names its objectives after the resource's metric segment: a segment with
// `_` (`ip_address`, which `--short` accepts) must still give camelCase objective names, which the
// definition's checks (checkSloSection, run by defineMetrics when the service starts) accept.
import { checkSloSection } from '@datum-telemetry/config';
import { describe, expect, it } from 'vitest';
import { scaffoldFiles } from '../src/index.js';

/** The objective names in the definition module's `slo: { ... }` block. */
function sloNames(short: string): string[] {
  const files = scaffoldFiles({
    service: 'network',
    resource: 'IpAddress',
    short,
    framework: 'express',
  });
  const module = files.find((f) => /slo: \{/.test(f.content))!;
  const block = module.content.slice(module.content.indexOf('slo: {'));
  return [...block.matchAll(/^ {4}([A-Za-z0-9_$]+): \{$/gm)].map((m) => m[1]!);
}

describe('the scaffold slo stub', () => {
  it.each([
    ['vm', ['vmAvailability', 'vmLatency']],
    ['ip_address', ['ipAddressAvailability', 'ipAddressLatency']],
    ['v2_disk_1', ['v2Disk1Availability', 'v2Disk1Latency']],
  ])('--short %s names its objectives %j, which the definition accepts', (short, names) => {
    const found = sloNames(short);
    expect(found).toEqual(names);
    const section = Object.fromEntries(
      found.map((name) => [
        name,
        { resource: short, availability: 99, runbookUrl: 'https://runbooks.example.com/x' },
      ]),
    );
    expect(() => checkSloSection(section, { resources: new Map([[short, [0.5]]]) })).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';
import { capture, memoryStream } from './helpers.js';

// Each payload tries to end the line and start a forged record of its own.
const PAYLOADS = [
  'done\n{"level":60,"msg":"forged","name":"compute"}',
  'done\r\n{"level":60,"msg":"forged"}',
  'done\r{"level":60,"msg":"forged"}',
  'done\u2028{"level":60,"msg":"forged"}',
  'done\u2029{"level":60,"msg":"forged"}',
  // NEL: a Latin-1 request header or path byte 0x85 becomes this character.
  'done\u0085{"level":60,"msg":"forged"}',
  'done"}\n{"level":60,"msg":"forged',
  'nul\u0000bell\u0007escape\u001b[31mred',
];

function physicalLines(text: string): string[] {
  // Every way a reader might split lines: \n, \r\n, \r, and the Unicode separators.
  return text.split(/\r\n|[\n\r\u2028\u2029\u0085]/).filter((line) => line !== '');
}

describe('log injection', () => {
  it.each(PAYLOADS)('keeps one line for a message %j', (payload) => {
    const { log, out } = capture();
    log.info(payload);
    const lines = physicalLines(out.text());
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).msg).toBe(payload);
    expect(JSON.parse(lines[0]!).level).toBe(30);
  });

  it.each(PAYLOADS)('keeps one line for a field value and a key %j', (payload) => {
    const { log, out } = capture();
    log.info('fields', 'user', payload, payload, 'as key', 'nested', { deep: [payload] });
    const lines = physicalLines(out.text());
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line.user).toBe(payload);
    expect(line[payload]).toBe('as key');
    expect(line.nested).toEqual({ deep: [payload] });
  });

  it('keeps one line for an error whose message and stack hold newlines', () => {
    const { log, out } = capture();
    log.error(new Error('line one\n{"level":30,"msg":"forged"}'), 'failed');
    expect(physicalLines(out.text())).toHaveLength(1);
  });

  it.each(PAYLOADS)('keeps one line in pretty mode too: %j', (payload) => {
    const out = memoryStream();
    const log = createLogger({ service: 'compute', pretty: true, stream: out, env: {} });
    log.info(payload, 'field', payload);
    expect(physicalLines(out.text())).toHaveLength(1);
  });
});

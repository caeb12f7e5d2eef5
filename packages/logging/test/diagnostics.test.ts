import { diag } from '@opentelemetry/api';
import { afterEach, expect, it } from 'vitest';
import { logDiagnostics } from '../src/index.js';
import { createTestLogger } from '../src/testing/index.js';

afterEach(() => diag.disable());

it('sends diag warnings and errors to the logger, and nothing below the level', () => {
  const test = createTestLogger();
  logDiagnostics(test.logger);
  diag.warn('spans were dropped');
  diag.error('export failed', new Error('ECONNREFUSED'));
  diag.info('not shown at warn');
  const records = test.records();
  expect(records).toHaveLength(2);
  expect(records[0]).toMatchObject({
    component: 'opentelemetry',
    msg: 'spans were dropped',
    severity_text: 'WARN',
  });
  expect(records[1]).toMatchObject({
    component: 'opentelemetry',
    msg: 'export failed',
    severity_text: 'ERROR',
    error: { message: 'ECONNREFUSED' },
  });
});

it('rejects an unknown level', () => {
  expect(() => logDiagnostics(createTestLogger().logger, 'loud' as never)).toThrow(
    /^level: got "loud"; expected one of "error", "warn", "info", "debug"$/,
  );
});

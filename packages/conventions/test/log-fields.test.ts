import { describe, expect, it } from 'vitest';
import {
  checkAttributeKey,
  checkLogFields,
  isSensitiveKey,
  LogField,
  resourceLogFields,
  STANDARD_LOG_FIELDS,
  TRACE_LOG_FIELDS,
} from '../src/index.js';

describe('standard log fields', () => {
  it('are the seed names', () => {
    expect(STANDARD_LOG_FIELDS).toEqual([
      'resource.name',
      'resource.namespace',
      'resource.apiVersion',
      'resource.kind',
      'operation',
      'error',
    ]);
    expect(TRACE_LOG_FIELDS).toEqual(['trace_id', 'span_id', 'trace_flags']);
    expect(LogField.ResourceName).toBe('resource.name');
  });
});

describe('resourceLogFields', () => {
  it('takes the identity of a Kubernetes-style object', () => {
    expect(
      resourceLogFields({
        apiVersion: 'compute.datumapis.com/v1alpha1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm-1', namespace: 'default' },
      }),
    ).toEqual({
      'resource.name': 'vm-1',
      'resource.namespace': 'default',
      'resource.apiVersion': 'compute.datumapis.com/v1alpha1',
      'resource.kind': 'VirtualMachine',
    });
  });

  it.each([
    [null, {}],
    [undefined, {}],
    ['a string', {}],
    [42, {}],
    [{ metadata: null }, {}],
    [{ metadata: { name: 42, namespace: ['x'] }, kind: {} }, {}],
    [{ kind: 'Thing', metadata: { name: '' } }, { 'resource.kind': 'Thing' }],
  ])('%j -> %j', (input, expected) => {
    expect(resourceLogFields(input as never)).toEqual(expected);
  });

  it('cuts overlong values and survives throwing getters', () => {
    expect(
      resourceLogFields({ metadata: { name: 'x'.repeat(1000) } })['resource.name'],
    ).toHaveLength(253);
    const hostile = {
      get metadata(): never {
        throw new Error('boom');
      },
    };
    expect(resourceLogFields(hostile)).toEqual({});
  });
});

describe('checkLogFields', () => {
  it('accepts the standard fields', () => {
    expect(
      checkLogFields({
        'resource.name': 'a',
        'resource.namespace': 'b',
        operation: 'create',
        error: 'x',
        msg: 'm',
      }),
    ).toEqual([]);
  });

  it.each([
    ['name', 'resource.name'],
    ['namespace', 'resource.namespace'],
    ['resourceName', 'resource.name'],
    ['kind', 'resource.kind'],
    ['apiVersion', 'resource.apiVersion'],
    ['err', 'error'],
    ['traceId', 'trace_id'],
  ])('%s -> use %s', (key, standard) => {
    const [f] = checkLogFields({ [key]: 'x' });
    expect(f!.rule).toBe('log.field.standard-name');
    expect(f!.suggestion).toBe(standard);
    expect(f!.message).toBe(
      `log field \`${key}\` is a standard field under another name: use \`${standard}\``,
    );
  });

  it.each([
    'password',
    'user.password',
    'apiKey',
    'api_key',
    'authorization',
    'Cookie',
    'session_id',
    'client_secret',
    'accessToken',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
    expect(checkLogFields({ [key]: 'x' }).map((f) => f.rule)).toContain('log.field.sensitive');
  });

  it.each(['tokenizer_version', 'passenger', 'author', 'resource.name', 'operation'])(
    '%s is not sensitive',
    (key) => {
      expect(isSensitiveKey(key)).toBe(false);
    },
  );
});

describe('checkAttributeKey', () => {
  it.each([
    'http.request.method',
    'resource.namespace',
    'resource.apiVersion',
    'operation',
    'k8s.pod.name',
  ])('%s is valid', (key) => {
    expect(checkAttributeKey(key)).toEqual([]);
  });

  it.each([
    ['httpMethod', 'http_method'],
    ['HTTP.Method', 'http.method'],
    ['resource-name', 'resource_name'],
    ['.leading', 'leading'],
  ])('%s -> %s', (key, fixed) => {
    const [f] = checkAttributeKey(key);
    expect(f!.rule).toBe('attribute.key.format');
    expect(f!.suggestion).toBe(fixed);
  });

  it('flags secrets', () => {
    expect(checkAttributeKey('http.request.header.authorization')[0]!.rule).toBe(
      'attribute.key.sensitive',
    );
  });
});

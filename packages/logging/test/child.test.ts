import { describe, expect, it } from 'vitest';
import { capture, only } from './helpers.js';

const vm = {
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm-1', namespace: 'default' },
  spec: { cpu: 2 },
};

describe('child loggers', () => {
  it('carry their fields on every line, and the parent does not', () => {
    const { log, out } = capture();
    const child = log.child({ operation: 'create' });
    child.info('from child');
    log.info('from parent');
    const [fromChild, fromParent] = out.lines();
    expect(fromChild).toMatchObject({ msg: 'from child', operation: 'create' });
    expect(fromParent).not.toHaveProperty('operation');
  });

  it('nest, and call fields win over child fields', () => {
    const { log, out } = capture();
    log.child({ operation: 'create', a: 1 }).child({ b: 2 }).info('nested', 'a', 'call');
    expect(only(out)).toMatchObject({ operation: 'create', a: 'call', b: 2 });
  });

  it('apply the same rules to their fields: standard names, redaction, reserved keys', () => {
    const { log, out } = capture();
    log.child({ name: 'vm-1', token: 'abc', level: 'x' }).info('child');
    const line = only(out);
    expect(line['resource.name']).toBe('vm-1');
    expect(line.token).toBe('[REDACTED]');
    expect(line.level).toBe(30);
    expect(line['field.level']).toBe('x');
  });

  it('keep the level of their parent', () => {
    const { log, out } = capture({ level: 'warn' });
    const child = log.child({ operation: 'x' });
    child.info('hidden');
    child.warn('shown');
    expect(out.lines().map((line) => line.msg)).toEqual(['shown']);
    expect(child.isLevelEnabled('info')).toBe(false);
  });

  it('take bunyan option names (stream, streams, serializers) as plain fields', () => {
    const { log, out } = capture();
    log.child({ stream: 'stdout', streams: 3, serializers: 'none' }).info('fields');
    expect(only(out)).toMatchObject({ stream: 'stdout', streams: 3, serializers: 'none' });
  });
});

describe('withResource', () => {
  it('adds the resource.* fields of a Kubernetes-style object', () => {
    const { log, out } = capture();
    log.withResource(vm).child({ operation: 'create' }).info('created');
    const line = only(out);
    expect(line).toMatchObject({
      'resource.name': 'vm-1',
      'resource.namespace': 'default',
      'resource.apiVersion': 'compute.datumapis.com/v1alpha1',
      'resource.kind': 'VirtualMachine',
      operation: 'create',
    });
    expect(line).not.toHaveProperty('spec');
  });

  it('adds nothing for null, a string, or an object whose getters throw', () => {
    const { log, out } = capture();
    const hostile = {
      get metadata(): never {
        throw new Error('nope');
      },
    };
    for (const value of [null, undefined, 'vm-1', hostile]) {
      log.withResource(value as never).info('safe');
    }
    for (const line of out.lines()) {
      expect(Object.keys(line).filter((key) => key.startsWith('resource.'))).toEqual([]);
    }
    expect(out.lines()).toHaveLength(4);
  });
});

import { describe, expect, it } from 'vitest';
import type { SpanNameCheckOptions } from '../src/index.js';
import {
  assertSpanName,
  buildSpanName,
  ConventionError,
  checkSpanName,
  DEFAULT_VERBS,
  httpSpanName,
  spanNameVerb,
} from '../src/index.js';

describe('checkSpanName: the seed examples are valid', () => {
  it.each([
    'CreateVirtualMachine',
    'ReconcileVirtualMachine',
    'ValidateVirtualMachine',
    'AllocateIPAddress',
    'DeleteCollectionVirtualMachine',
    'UpdateVirtualMachineStatus',
    'ListNetworks',
    'GetV1Thing',
  ])('%s', (name) => {
    expect(checkSpanName(name)).toEqual([]);
    expect(() => assertSpanName(name)).not.toThrow();
  });

  it('accepts HTTP names only when asked to', () => {
    for (const name of ['GET /users/:id', 'POST', 'HTTP', 'DELETE /apis/{group}/things/{name}']) {
      expect(checkSpanName(name, { allowHttpFormat: true })).toEqual([]);
      expect(checkSpanName(name).map((f) => f.rule)).toEqual(['span.name.http-format']);
    }
  });
});

describe('checkSpanName: wrong names are rejected by the expected rule', () => {
  const wrong: Array<[string, SpanNameCheckOptions, string]> = [
    ['', {}, 'span.name.empty'],
    ['   ', {}, 'span.name.empty'],
    [`Create${'X'.repeat(200)}`, {}, 'span.name.length'],
    ['createVirtualMachine', {}, 'span.name.pascal-case'],
    ['create_virtual_machine', {}, 'span.name.pascal-case'],
    ['create-virtual-machine', {}, 'span.name.pascal-case'],
    ['Create VirtualMachine', {}, 'span.name.pascal-case'],
    ['Create.VirtualMachine', {}, 'span.name.pascal-case'],
    ['CreateVirtualMachine!', {}, 'span.name.pascal-case'],
    ['Create:VirtualMachine', {}, 'span.name.pascal-case'],
    ['CreateVirtual_Machine', {}, 'span.name.pascal-case'],
    ['create', {}, 'span.name.pascal-case'],
    ['Create\nVirtualMachine', {}, 'span.name.pascal-case'],
    ['CréerVirtualMachine', {}, 'span.name.pascal-case'],
    ['VirtualMachineCreate', {}, 'span.name.verb'],
    ['VirtualMachine', {}, 'span.name.verb'],
    ['MakeVirtualMachine', {}, 'span.name.verb'],
    ['DoStuff', {}, 'span.name.verb'],
    ['Getaway', {}, 'span.name.verb'],
    ['Createvirtualmachine', {}, 'span.name.verb'],
    ['CREATEVirtualMachine', {}, 'span.name.verb'],
    ['HandlerVirtualMachine', {}, 'span.name.verb'],
    ['PostVirtualMachine', {}, 'span.name.verb'],
    ['PutVirtualMachine', {}, 'span.name.verb'],
    ['DrainNode', {}, 'span.name.verb'],
    ['Create', {}, 'span.name.resource'],
    ['Reconcile', {}, 'span.name.resource'],
    ['Watch', {}, 'span.name.resource'],
    ['GetVirtualMachine12345', {}, 'span.name.high-cardinality'],
    ['DeleteVm0b7c2a9e-1f3d-4c5b-9a8e-123456789abc', {}, 'span.name.pascal-case'],
    ['GetUser20261126', {}, 'span.name.high-cardinality'],
    ['/apis/compute.datumapis.com/v1alpha1/virtualmachines', {}, 'span.name.raw-path'],
    ['CreateVirtualMachine/status', {}, 'span.name.raw-path'],
    ['GET /apis/compute/virtualmachines', {}, 'span.name.http-format'],
    ['POST', {}, 'span.name.http-format'],
    ['HTTP', {}, 'span.name.http-format'],
    ['GET /users/12345', { allowHttpFormat: true }, 'span.name.high-cardinality'],
    [
      'GET /vms/0b7c2a9e-1f3d-4c5b-9a8e-123456789abc',
      { allowHttpFormat: true },
      'span.name.high-cardinality',
    ],
    ['CreateVirtualMachin', { kinds: ['VirtualMachine'] }, 'span.name.unknown-kind'],
    ['GetIpAddress', { kinds: ['IPAddress', 'VirtualMachine'] }, 'span.name.unknown-kind'],
    ['Créer', {}, 'span.name.pascal-case'],
    ['Create_', {}, 'span.name.pascal-case'],
  ];

  it('has at least 40 cases', () => {
    expect(wrong.length).toBeGreaterThanOrEqual(40);
  });

  it.each(wrong)('%j %j -> %s', (name, options, rule) => {
    const found = checkSpanName(name, options);
    expect(found.map((f) => f.rule)).toContain(rule);
    for (const f of found) expect(f.subject).toBe('span');
  });

  it('unknown kinds are a warning, not a violation', () => {
    const [f] = checkSpanName('CreateRouter', { kinds: ['VirtualMachine'] });
    expect(f!.level).toBe('warning');
    expect(() => assertSpanName('CreateRouter', { kinds: ['VirtualMachine'] })).not.toThrow();
    expect(checkSpanName('UpdateVirtualMachineStatus', { kinds: ['VirtualMachine'] })).toEqual([]);
  });
});

describe('finding messages name the rule and the fix', () => {
  it('suggests the swapped name when the verb comes last', () => {
    const [f] = checkSpanName('VirtualMachineCreate');
    expect(f!.suggestion).toBe('CreateVirtualMachine');
    expect(f!.message).toContain('use `CreateVirtualMachine`');
  });

  it('suggests PascalCase', () => {
    const [f] = checkSpanName('create_virtual_machine');
    expect(f!.message).toBe(
      '`create_virtual_machine` is not PascalCase: span names are `{Operation}{Resource}` with no separators; use `CreateVirtualMachine`',
    );
  });

  it('bad input types are findings, not exceptions', () => {
    for (const value of [null, undefined, 7, {}]) {
      expect(checkSpanName(value as unknown as string).map((f) => f.rule)).toEqual([
        'span.name.empty',
      ]);
    }
  });
});

describe('verbs are extensible', () => {
  it('a user verb is accepted where it is given, and only there', () => {
    expect(checkSpanName('DrainNode', { verbs: ['Drain'] })).toEqual([]);
    expect(checkSpanName('DrainNode').map((f) => f.rule)).toEqual(['span.name.verb']);
    expect(buildSpanName('drain', 'Node', { verbs: ['Drain'] })).toBe('DrainNode');
  });

  it('an invalid user verb throws at once', () => {
    expect(() => checkSpanName('DrainNode', { verbs: ['drain'] })).toThrow(/span\.verb\.invalid/);
  });

  it('the longest verb wins', () => {
    expect(spanNameVerb('DeleteCollectionVirtualMachine')).toBe('DeleteCollection');
    expect(spanNameVerb('DeleteVirtualMachine')).toBe('Delete');
    expect(spanNameVerb('Getaway')).toBeUndefined();
  });

  it('the default list holds the Kubernetes verbs', () => {
    for (const v of [
      'Create',
      'Get',
      'List',
      'Update',
      'Patch',
      'Delete',
      'DeleteCollection',
      'Watch',
    ]) {
      expect(DEFAULT_VERBS).toContain(v);
    }
  });
});

describe('buildSpanName', () => {
  it('builds {Operation}{Resource} and normalizes the verb case', () => {
    expect(buildSpanName('Create', 'VirtualMachine')).toBe('CreateVirtualMachine');
    expect(buildSpanName('reconcile', 'VirtualMachine')).toBe('ReconcileVirtualMachine');
    expect(buildSpanName('DELETECOLLECTION', 'VirtualMachine')).toBe(
      'DeleteCollectionVirtualMachine',
    );
  });

  it('throws one ConventionError with every problem', () => {
    try {
      buildSpanName('Frobnicate', 'virtual machine');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConventionError);
      const found = (error as ConventionError).findings;
      expect(found.map((f) => f.rule)).toEqual(['span.name.verb', 'span.name.resource']);
      expect(found[1]!.suggestion).toBe('VirtualMachine');
    }
  });

  it('every built name passes the check', () => {
    for (const verb of DEFAULT_VERBS) {
      expect(checkSpanName(buildSpanName(verb, 'VirtualMachine'))).toEqual([]);
    }
  });
});

describe('httpSpanName', () => {
  it.each([
    ['get', '/users/:id', 'GET /users/:id'],
    ['POST', undefined, 'POST'],
    ['PROPFIND', '/dav', 'HTTP /dav'],
    ['', undefined, 'HTTP'],
    ['delete', '', 'DELETE'],
  ])('%s %s -> %s', (method, route, expected) => {
    expect(httpSpanName(method, route)).toBe(expected);
  });
});

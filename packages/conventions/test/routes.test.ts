import { describe, expect, it } from 'vitest';
import type { ResourceDeclaration, ResourceOperation } from '../src/index.js';
import {
  ConventionError,
  createResourceRegistry,
  isWatchQuery,
  parseResourcePath,
  resourceOperation,
} from '../src/index.js';

const G = 'compute.datumapis.com';
const V = `/apis/${G}/v1alpha1`;

describe('parseResourcePath', () => {
  // [path, group, version, namespace, plural, name, subresource, route]
  const table: Array<
    [
      string,
      string,
      string,
      string | undefined,
      string,
      string | undefined,
      string | undefined,
      string,
    ]
  > = [
    [
      `${V}/namespaces/default/virtualmachines`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      undefined,
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      undefined,
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/vm-1`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      'vm-1',
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines/{name}`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/vm-1/`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      'vm-1',
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines/{name}`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/vm-1?dryRun=All&x=1`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      'vm-1',
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines/{name}`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/vm-1#frag`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      'vm-1',
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines/{name}`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/vm-1/status`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      'vm-1',
      'status',
      `${V}/namespaces/{namespace}/virtualmachines/{name}/status`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/my%20vm`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      'my vm',
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines/{name}`,
    ],
    [
      `${V}/namespaces/default/virtualmachines/vm%2D1`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      'vm-1',
      undefined,
      `${V}/namespaces/{namespace}/virtualmachines/{name}`,
    ],
    [
      `${V}/virtualmachines`,
      G,
      'v1alpha1',
      undefined,
      'virtualmachines',
      undefined,
      undefined,
      `${V}/virtualmachines`,
    ],
    [
      `/apis/${G}/v1/clusters/c1`,
      G,
      'v1',
      undefined,
      'clusters',
      'c1',
      undefined,
      `/apis/${G}/v1/clusters/{name}`,
    ],
    [
      `/apis/${G}/v2beta3/clusters/c1/scale`,
      G,
      'v2beta3',
      undefined,
      'clusters',
      'c1',
      'scale',
      `/apis/${G}/v2beta3/clusters/{name}/scale`,
    ],
    [
      '/api/v1/namespaces/kube-system/pods',
      '',
      'v1',
      'kube-system',
      'pods',
      undefined,
      undefined,
      '/api/v1/namespaces/{namespace}/pods',
    ],
    [
      '/api/v1/namespaces/kube-system/pods/p1/log',
      '',
      'v1',
      'kube-system',
      'pods',
      'p1',
      'log',
      '/api/v1/namespaces/{namespace}/pods/{name}/log',
    ],
    ['/api/v1/nodes/n1', '', 'v1', undefined, 'nodes', 'n1', undefined, '/api/v1/nodes/{name}'],
    [
      '/api/v1/namespaces',
      '',
      'v1',
      undefined,
      'namespaces',
      undefined,
      undefined,
      '/api/v1/namespaces',
    ],
    [
      '/api/v1/namespaces/default',
      '',
      'v1',
      undefined,
      'namespaces',
      'default',
      undefined,
      '/api/v1/namespaces/{name}',
    ],
    [
      `/apis/${G}/v1alpha1/watch/namespaces/default/virtualmachines`,
      G,
      'v1alpha1',
      'default',
      'virtualmachines',
      undefined,
      undefined,
      `/apis/${G}/v1alpha1/watch/namespaces/{namespace}/virtualmachines`,
    ],
  ];

  it.each(table)('%s', (path, group, version, namespace, plural, name, subresource, route) => {
    const parsed = parseResourcePath(path);
    expect(parsed).toBeDefined();
    expect(parsed!.group).toBe(group);
    expect(parsed!.version).toBe(version);
    expect(parsed!.apiVersion).toBe(group === '' ? version : `${group}/${version}`);
    expect(parsed!.namespace).toBe(namespace);
    expect(parsed!.plural).toBe(plural);
    expect(parsed!.name).toBe(name);
    expect(parsed!.subresource).toBe(subresource);
    expect(parsed!.route).toBe(route);
  });

  it.each([
    '/',
    '',
    'apis/compute.datumapis.com/v1alpha1/virtualmachines',
    '/healthz',
    '/metrics',
    '/users/42',
    '/apis',
    `/apis/${G}`,
    `/apis/${G}/v1alpha1`,
    `/apis/${G}/v1alpha1/`,
    '/api/v1',
    `/apis/${G}/latest/virtualmachines`,
    `/apis/${G}/V1/virtualmachines`,
    `/apis/${G}/v0/virtualmachines`,
    '/apis/Compute.Datum/v1/virtualmachines',
    '/apis/-bad-/v1/virtualmachines',
    `${V}//virtualmachines`,
    `${V}/namespaces/default//virtualmachines`,
    `${V}/namespaces/Default/virtualmachines`,
    `${V}/namespaces/default/VirtualMachines`,
    `${V}/namespaces/default/virtualmachines/vm-1/status/extra`,
    `${V}/namespaces/default/virtualmachines/a%2Fb`,
    `${V}/namespaces/default/virtualmachines/%E0%A4%A`,
    `${V}/namespaces/default/virtualmachines/..`,
    `${V}/namespaces/default/virtualmachines/%2E%2E`,
    `${V}/namespaces/default/virtualmachines/a%0Ab`,
    `${V}/namespaces/default/virtualmachines/${'x'.repeat(300)}`,
    `${V}/namespaces/default/virtualmachines/vm/${'x/'.repeat(5000)}`,
    `${V}/namespaces/${'n'.repeat(64)}/virtualmachines`,
  ])('%j is not a resource path', (path) => {
    expect(parseResourcePath(path)).toBeUndefined();
  });

  it('bad input types parse to nothing', () => {
    for (const value of [null, undefined, 42, {}, ['/api/v1/nodes']]) {
      expect(parseResourcePath(value as unknown as string)).toBeUndefined();
    }
  });
});

describe('resourceOperation', () => {
  const coll = parseResourcePath(`${V}/namespaces/default/virtualmachines`)!;
  const item = parseResourcePath(`${V}/namespaces/default/virtualmachines/vm-1`)!;
  const sub = parseResourcePath(`${V}/namespaces/default/virtualmachines/vm-1/status`)!;
  const watchPath = parseResourcePath(`${V}/watch/namespaces/default/virtualmachines`)!;

  it.each<[string, string, string | undefined, ResourceOperation | undefined]>([
    ['POST', 'collection', undefined, 'Create'],
    ['GET', 'collection', undefined, 'List'],
    ['get', 'collection', undefined, 'List'],
    ['HEAD', 'collection', undefined, 'List'],
    ['GET', 'collection', 'watch=true', 'Watch'],
    ['GET', 'collection', 'limit=5&watch=1', 'Watch'],
    ['GET', 'collection', 'watch=false', 'List'],
    ['DELETE', 'collection', undefined, 'DeleteCollection'],
    ['PUT', 'collection', undefined, undefined],
    ['PATCH', 'collection', undefined, undefined],
    ['GET', 'item', undefined, 'Get'],
    ['GET', 'item', 'watch=true', 'Watch'],
    ['PUT', 'item', undefined, 'Update'],
    ['PATCH', 'item', undefined, 'Patch'],
    ['DELETE', 'item', undefined, 'Delete'],
    ['POST', 'item', undefined, undefined],
    ['OPTIONS', 'item', undefined, undefined],
    ['GET', 'sub', undefined, 'Get'],
    ['PUT', 'sub', undefined, 'Update'],
    ['PATCH', 'sub', undefined, 'Patch'],
    ['POST', 'sub', undefined, 'Create'],
    ['GET', 'watch', undefined, 'Watch'],
    ['POST', 'watch', undefined, undefined],
  ])('%s %s ?%s -> %s', (method, shape, query, expected) => {
    const path = { collection: coll, item, sub, watch: watchPath }[shape]!;
    expect(resourceOperation(method, path, query)).toBe(expected);
  });

  it('isWatchQuery', () => {
    expect(isWatchQuery('watch=true')).toBe(true);
    expect(isWatchQuery('?watch=true')).toBe(true);
    expect(isWatchQuery('a=1&watch=1&b=2')).toBe(true);
    expect(isWatchQuery('watch=truex')).toBe(false);
    expect(isWatchQuery('nowatch=true')).toBe(false);
    expect(isWatchQuery(undefined)).toBe(false);
  });
});

describe('createResourceRegistry', () => {
  const resources: ResourceDeclaration[] = [
    {
      group: G,
      plural: 'virtualmachines',
      kind: 'VirtualMachine',
      short: 'vm',
      versions: ['v1alpha1'],
    },
    {
      group: 'networking.datumapis.com',
      plural: 'ipaddresses',
      kind: 'IPAddress',
      short: 'ipaddress',
    },
    { group: G, plural: 'clusters', kind: 'Cluster', short: 'cluster', scope: 'Cluster' },
    { group: '', plural: 'namespaces', kind: 'Namespace', short: 'namespace', scope: 'Cluster' },
  ];
  const registry = createResourceRegistry(resources);

  it.each<[string, string, string | undefined, string | undefined]>([
    ['POST', `${V}/namespaces/default/virtualmachines`, 'CreateVirtualMachine', 'vm'],
    ['GET', `${V}/namespaces/default/virtualmachines/vm-1`, 'GetVirtualMachine', 'vm'],
    ['GET', `${V}/namespaces/default/virtualmachines`, 'ListVirtualMachine', 'vm'],
    ['GET', `${V}/namespaces/default/virtualmachines?watch=true`, 'WatchVirtualMachine', 'vm'],
    ['PUT', `${V}/namespaces/default/virtualmachines/vm-1`, 'UpdateVirtualMachine', 'vm'],
    ['PATCH', `${V}/namespaces/default/virtualmachines/vm-1`, 'PatchVirtualMachine', 'vm'],
    ['DELETE', `${V}/namespaces/default/virtualmachines/vm-1`, 'DeleteVirtualMachine', 'vm'],
    ['DELETE', `${V}/namespaces/default/virtualmachines`, 'DeleteCollectionVirtualMachine', 'vm'],
    [
      'PUT',
      `${V}/namespaces/default/virtualmachines/vm-1/status`,
      'UpdateVirtualMachineStatus',
      'vm',
    ],
    ['GET', `${V}/virtualmachines`, 'ListVirtualMachine', 'vm'],
    [
      'POST',
      '/apis/networking.datumapis.com/v1/namespaces/ns/ipaddresses',
      'CreateIPAddress',
      'ipaddress',
    ],
    ['GET', `/apis/${G}/v1alpha1/clusters/c1`, 'GetCluster', 'cluster'],
    ['GET', '/api/v1/namespaces/default', 'GetNamespace', 'namespace'],
    ['PUT', '/api/v1/namespaces/default/finalize', 'UpdateNamespaceFinalize', 'namespace'],
    // never guessed: undeclared resources, versions not served, wrong scope, no verb
    ['GET', `/apis/${G}/v1beta1/namespaces/default/virtualmachines`, undefined, undefined],
    ['GET', `${V}/namespaces/default/disks`, undefined, undefined],
    ['GET', '/apis/other.example.com/v1/namespaces/default/virtualmachines', undefined, undefined],
    ['GET', `${V}/virtualmachines/vm-1`, undefined, undefined],
    ['POST', `${V}/virtualmachines`, undefined, undefined],
    ['GET', `/apis/${G}/v1alpha1/namespaces/default/clusters/c1`, undefined, undefined],
    ['PUT', `${V}/namespaces/default/virtualmachines`, undefined, undefined],
    ['GET', '/healthz', undefined, undefined],
  ])('%s %s -> %s', (method, path, spanName, short) => {
    const m = registry.match(method, path);
    expect(m?.spanName).toBe(spanName);
    expect(m?.short).toBe(short);
  });

  it('returns the identity fields of a match', () => {
    const m = registry.match('GET', `${V}/namespaces/prod/virtualmachines/web-1`)!;
    expect(m).toMatchObject({
      operation: 'Get',
      kind: 'VirtualMachine',
      group: G,
      version: 'v1alpha1',
      apiVersion: `${G}/v1alpha1`,
      namespace: 'prod',
      name: 'web-1',
      route: `${V}/namespaces/{namespace}/virtualmachines/{name}`,
    });
    expect(m.resource).toBe(registry.lookup(G, 'virtualmachines'));
  });

  it('takes the query separately as well', () => {
    expect(
      registry.match('GET', `${V}/namespaces/a/virtualmachines`, 'watch=true')?.operation,
    ).toBe('Watch');
  });

  it('rejects bad declarations with every problem named', () => {
    try {
      createResourceRegistry([
        {
          group: 'Bad Group',
          plural: 'VMs',
          kind: 'virtual machine',
          short: 'V-M',
          versions: ['latest'],
        },
        { group: G, plural: 'virtualmachines', kind: 'VirtualMachine', short: 'vm' },
        { group: G, plural: 'virtualmachines', kind: 'VirtualMachine', short: 'vm' },
        { group: G, plural: 'vms2', kind: 'Other', short: 'vm' },
        { group: G, plural: 'things', kind: 'Thing', short: 'thing', scope: 'Global' as 'Cluster' },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConventionError);
      expect((error as ConventionError).findings.map((f) => f.rule)).toEqual([
        'resource.group',
        'resource.plural',
        'resource.kind',
        'resource.short',
        'resource.versions',
        'resource.duplicate',
        'resource.duplicate-short',
        'resource.scope',
      ]);
      expect((error as Error).message).toContain(
        'resources[0]: kind `virtual machine` is not PascalCase; use `VirtualMachine`',
      );
    }
  });

  it('rejects a non-array', () => {
    expect(() => createResourceRegistry({} as unknown as ResourceDeclaration[])).toThrow(
      ConventionError,
    );
  });

  it('bounded span names: 10,000 distinct item names give one span name', () => {
    const names = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      names.add(
        registry.match('GET', `${V}/namespaces/ns${i % 50}/virtualmachines/vm-${i}`)!.spanName,
      );
    }
    expect([...names]).toEqual(['GetVirtualMachine']);
  });
});

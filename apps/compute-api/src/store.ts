/** A VirtualMachine as the API stores and returns it. */
export interface VirtualMachine {
  apiVersion: 'compute.datumapis.com/v1alpha1';
  kind: 'VirtualMachine';
  metadata: { name: string; namespace: string; uid: string; creationTimestamp: string };
  spec: { cpu: number; memoryGiB: number };
  status: { phase: 'Running'; address: string };
}

/** In-memory store, by namespace then name. */
export class VirtualMachineStore {
  private readonly byNamespace = new Map<string, Map<string, VirtualMachine>>();

  list(namespace: string): VirtualMachine[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  get(namespace: string, name: string): VirtualMachine | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  put(vm: VirtualMachine): void {
    let names = this.byNamespace.get(vm.metadata.namespace);
    if (names === undefined) {
      names = new Map();
      this.byNamespace.set(vm.metadata.namespace, names);
    }
    names.set(vm.metadata.name, vm);
  }

  delete(namespace: string, name: string): VirtualMachine | undefined {
    const vm = this.get(namespace, name);
    if (vm !== undefined) this.byNamespace.get(namespace)?.delete(name);
    return vm;
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a create/update body; returns the problems (empty when valid). */
export function validateVirtualMachine(body: unknown): string[] {
  const problems: string[] = [];
  const b = (body ?? {}) as {
    metadata?: { name?: unknown };
    spec?: { cpu?: unknown; memoryGiB?: unknown };
  };
  const name = b.metadata?.name;
  if (typeof name !== 'string' || !NAME.test(name) || name.length > 63)
    problems.push('metadata.name must be a DNS label');
  const cpu = b.spec?.cpu;
  if (typeof cpu !== 'number' || !Number.isInteger(cpu) || cpu < 1 || cpu > 64)
    problems.push('spec.cpu must be an integer from 1 to 64');
  const memory = b.spec?.memoryGiB;
  if (typeof memory !== 'number' || memory <= 0 || memory > 512)
    problems.push('spec.memoryGiB must be a number from 0 to 512');
  return problems;
}

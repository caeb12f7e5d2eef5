import { inParallel } from './traffic.js';

const VMS = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines';

/** One request of a round and what its answer must be. */
interface Expected {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  /** A check of the JSON answer. */
  readonly answer: (body: Record<string, unknown>) => boolean;
}

function round(name: string): Expected[] {
  return [
    {
      method: 'POST',
      path: VMS,
      body: { metadata: { name }, spec: { cpu: 1, memoryGiB: 1 } },
      status: 201,
      answer: (b) =>
        (b.metadata as { name?: unknown })?.name === name &&
        typeof (b.status as { address?: unknown })?.address === 'string',
    },
    {
      method: 'GET',
      path: `${VMS}/${name}`,
      status: 200,
      answer: (b) => (b.metadata as { name?: unknown })?.name === name,
    },
    {
      method: 'GET',
      path: VMS,
      status: 200,
      answer: (b) => b.kind === 'VirtualMachineList' && Array.isArray(b.items),
    },
    {
      method: 'DELETE',
      path: `${VMS}/${name}`,
      status: 200,
      answer: (b) => b.status === 'Success',
    },
  ];
}

/**
 * Drives `rounds` rounds of create, get, list and delete of a VirtualMachine through compute-api
 * (create and delete call network-api), `concurrency` rounds at a time. Resolves to the number of
 * requests sent and every answer that was not the normal one (empty when all were).
 */
export async function burst(
  url: string,
  tag: string,
  rounds: number,
  concurrency = 16,
): Promise<{ requests: number; wrong: string[] }> {
  const results = await inParallel(rounds, concurrency, async (i) => {
    const wrong: string[] = [];
    for (const step of round(`vm-${tag.replaceAll('_', '-')}-${i}`)) {
      try {
        const response = await fetch(`${url}${step.path}`, {
          method: step.method,
          headers: { 'content-type': 'application/json' },
          body: step.body === undefined ? undefined : JSON.stringify(step.body),
        });
        const body = (await response.json()) as Record<string, unknown>;
        if (response.status !== step.status || !step.answer(body)) {
          wrong.push(`${step.method} ${step.path}: ${response.status} ${JSON.stringify(body)}`);
        }
      } catch (error) {
        wrong.push(`${step.method} ${step.path}: ${String(error)}`);
      }
    }
    return wrong;
  });
  return { requests: rounds * 4, wrong: results.flat() };
}

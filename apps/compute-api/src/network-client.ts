// Calls network-api with the global fetch. The tracing set-up instruments fetch: each call gets a
// CLIENT span and carries traceparent/tracestate/baggage, so network-api's spans join this trace.

export interface IPAddressAllocation {
  readonly address: string;
}

export class NetworkClient {
  constructor(private readonly baseUrl: string) {}

  // #region allocate
  async allocate(namespace: string, owner: string): Promise<IPAddressAllocation> {
    const url = `${this.baseUrl}/apis/networking.datumapis.com/v1alpha1/namespaces/${encodeURIComponent(namespace)}/ipaddresses`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'IPAddress',
        metadata: { name: `${owner}-ip`, namespace },
      }),
    });
    const body = (await res.json()) as { status?: { address?: string }; message?: string };
    if (!res.ok || typeof body.status?.address !== 'string') {
      throw new Error(
        `network-api could not allocate an address (${res.status}): ${body.message ?? 'no message'}`,
      );
    }
    return { address: body.status.address };
  }
  // #endregion allocate

  async release(namespace: string, owner: string): Promise<void> {
    const url = `${this.baseUrl}/apis/networking.datumapis.com/v1alpha1/namespaces/${encodeURIComponent(namespace)}/ipaddresses/${encodeURIComponent(`${owner}-ip`)}`;
    const res = await fetch(url, { method: 'DELETE' });
    await res.arrayBuffer();
  }
}

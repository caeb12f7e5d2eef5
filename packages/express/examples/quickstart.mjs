// The README quick start. Run: node examples/quickstart.mjs

import { telemetry } from '@datum-telemetry/express';
import express from 'express';

const app = express();
app.use(
  telemetry({
    service: 'compute',
    resources: [
      {
        group: 'compute.datumapis.com',
        plural: 'virtualmachines',
        kind: 'VirtualMachine',
        short: 'vm',
      },
    ],
  }),
);
app.get(
  '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines/:name',
  (req, res) => {
    req.log?.info('reading the virtual machine');
    res.json({
      kind: 'VirtualMachine',
      metadata: { name: req.params.name, namespace: req.params.namespace },
    });
  },
);

const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const res = await fetch(
    `http://127.0.0.1:${port}/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/vm-1`,
  );
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}`);
  server.close();
  server.closeAllConnections();
});
server.on('close', () => console.log('quickstart ok'));

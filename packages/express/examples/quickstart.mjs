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
const server = app.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(`listening on port ${server.address().port}`);
});

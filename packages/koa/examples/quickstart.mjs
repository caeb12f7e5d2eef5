// The README quick start. Run: node examples/quickstart.mjs

import { telemetry } from '@datum-telemetry/koa';
import Router from '@koa/router';
import Koa from 'koa';

const app = new Koa();
app.use(
  telemetry({
    service: 'network',
    resources: [
      {
        group: 'networking.datumapis.com',
        plural: 'ipaddresses',
        kind: 'IPAddress',
        short: 'ipaddress',
      },
    ],
  }),
);
const router = new Router({
  prefix: '/apis/networking.datumapis.com/v1alpha1/namespaces/:namespace/ipaddresses',
});
router.post('/', (ctx) => {
  ctx.log?.info('allocating an address');
  ctx.status = 201;
  ctx.body = { kind: 'IPAddress', spec: { address: '10.0.0.7' } };
});
app.use(router.routes());

const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const res = await fetch(
    `http://127.0.0.1:${port}/apis/networking.datumapis.com/v1alpha1/namespaces/default/ipaddresses`,
    { method: 'POST' },
  );
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}`);
  server.close();
  server.closeAllConnections();
});
server.on('close', () => console.log('quickstart ok'));

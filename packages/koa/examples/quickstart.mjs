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
const server = app.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(`listening on port ${server.address().port}`);
});

import { createServer } from 'node:http';
import { createHttpTelemetry } from '@datum-telemetry/http';
import { context } from '@opentelemetry/api';

// Options are validated here, once. Without a framework there is no route template to read:
// the handler names its route with setRoute() (a template, never the raw path).
const core = createHttpTelemetry({ service: 'compute' });

function handle(req, res, rec) {
  const user = /^\/users\/([^/?]+)/.exec(req.url ?? '');
  if (user === null) {
    res.statusCode = 404;
    res.end('not found\n');
    return;
  }
  rec?.setRoute('/users/:id');
  rec?.log.info('reading the user');
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ id: user[1] }));
}

const server = createServer((req, res) => {
  // One per request; it ends itself when the response closes. undefined for ignored paths.
  const rec = core.startNode(req, res, req);
  if (rec === undefined) handle(req, res, rec);
  else context.with(rec.context, handle, undefined, req, res, rec);
});
server.listen(Number(process.env.PORT ?? 8080), () => {
  console.log(`listening on port ${server.address().port}`);
});

import { createRequire } from 'node:module';
import { withRoute as withExpressRoute } from '/work/main/bench/src/apps/express.mjs';
import { withRoute as withKoaRoute } from '/work/main/bench/src/apps/koa.mjs';
import { PATHS, RESOURCES } from '/work/main/bench/src/apps/route.mjs';
import { setupSignals } from '/work/main/bench/src/apps/signals.mjs';
import { drive } from '/work/main/bench/src/inprocess.mjs';
const require = createRequire('/work/main/bench/src/x.mjs');
const fw = process.argv[2];
const signals = setupSignals({ sinkUrl: 'http://127.0.0.1:4399' });
const OFF = { service: 'compute', resources: RESOURCES, traces: false, metrics: false, logger: false };
let l;
if (fw === 'express') { const { telemetry } = await import('@datum-telemetry/express'); const a = require('express')(); if (process.argv[3]!=='bare') a.use(telemetry(OFF)); l = withExpressRoute(a); }
else { const { telemetry } = await import('@datum-telemetry/koa'); const K = require('koa'); const a = new K(); if (process.argv[3]!=='bare') a.use(telemetry(OFF)); l = withKoaRoute(a); }
await drive(l, { total: 20000, paths: PATHS, yieldEvery: 4 });
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 50 }); await s.post('Profiler.start');
await drive(l, { total: 100000, paths: PATHS, yieldEvery: 4 });
const { profile } = await s.post('Profiler.stop');
(await import('node:fs')).writeFileSync(`/tmp/off-${fw}.cpuprofile`, JSON.stringify(profile));
process.exit(0);

/**
 * Baseline of the API read benchmark: an express 5 app whose GET handlers return fixed JSON
 * bodies, with no authentication, validation, logging or database. It prints `{"url": …}`
 * once it listens.
 *
 *   node --import tsx test/bench/api/baseline-server.ts <bodies.json>
 *
 * The file maps each route path (no query string) to the parsed JSON body to return, as
 * captured from the platform. Handlers call `res.json`, so every request serializes the body
 * again, as the platform does. `GET /__bench/cpu` returns the process's CPU time so far.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

import express from 'express';

const bodiesFile = process.argv[2];
if (!bodiesFile) {
  console.error('Usage: baseline-server.ts <bodies.json>');
  process.exit(2);
}
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as Record<string, unknown>;

const app = express();
// The platform sends no ETag, so computing one here (a SHA-1 of every body by default) would
// charge the baseline for work the platform does not do.
app.set('etag', false);
app.disable('x-powered-by');

// CPU time of this process so far, so the benchmark can print CPU per request as it does for the platform.
app.get('/__bench/cpu', (_request, response) => {
  const usage = process.cpuUsage();
  response.json({ cpuSeconds: (usage.user + usage.system) / 1e6 });
});

for (const [path, body] of Object.entries(bodies)) {
  app.get(path, (_request, response) => {
    response.json(body);
  });
}

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

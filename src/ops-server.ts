import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthProbe } from './health';
import type { Metrics } from './metrics';

/** GET /healthz from the probe's last result; never a database query per request. */
export function answerHealth(probe: HealthProbe, res: ServerResponse): void {
  const health = probe.current();
  res.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(health));
}

/**
 * The operations port (METRICS_PORT): GET /metrics and GET /healthz, for every role. Kept off the
 * port Slack posts to, so that the internet never sees the metrics (open incidents count private
 * ones too) and scraping never competes with Slack's requests.
 */
export async function startOpsServer(options: { host: string; port: number; probe: HealthProbe; metrics: Metrics }): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const { probe, metrics } = options;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' });
      res.end();
    } else if (path === '/healthz') {
      answerHealth(probe, res);
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

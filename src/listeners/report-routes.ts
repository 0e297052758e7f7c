import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Deps } from '../deps';
import { CHART_PATH_PREFIX } from '../domain/chart-link';
import { chartForLink } from '../flows/report-flow';

/** GET /reports/chart/:file, the Home tab's chart image (SPEC.md section 11), on the same HTTP server as Slack's requests. */
export function reportRoutes(getDeps: () => Deps | undefined) {
  return [
    {
      path: `${CHART_PATH_PREFIX}:file`,
      method: 'GET',
      handler: (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => {
        const deps = getDeps();
        if (!deps) {
          res.writeHead(503).end();
          return;
        }
        chartForLink(deps, req.params?.file ?? '').then(
          (answer) => {
            if (answer.status !== 200) {
              res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.status === 410 ? 'this chart link has expired' : 'not found');
              return;
            }
            // Private: each link is one person's view; nothing in between should keep it.
            res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'private, max-age=300', 'content-length': answer.png.length }).end(answer.png);
          },
          (error: unknown) => {
            deps.log.error({ err: error }, 'chart image failed');
            res.writeHead(500).end();
          },
        );
      },
    },
  ];
}

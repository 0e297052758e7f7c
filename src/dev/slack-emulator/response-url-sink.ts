/** ResponseUrlSink: records what Bolt's respond() posts to response_url. */
import { LoopbackServer, readBody } from '../listen';

export interface ReceivedResponse {
  path: string;
  /** parsed JSON when the body is JSON, the raw string otherwise */
  body: unknown;
}

function parseMaybeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export class ResponseUrlSink {
  readonly received: ReceivedResponse[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly http = new LoopbackServer('ResponseUrlSink', async (req, res) => {
    const raw = await readBody(req);
    this.received.push({ path: req.url ?? '/', body: parseMaybeJson(raw) });
    for (const l of [...this.listeners]) l();
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"ok":true}');
  }, 400);

  async start(port = 0): Promise<void> {
    await this.http.start(port);
  }

  async stop(): Promise<void> {
    await this.http.stop();
  }

  /** A response_url whose path names the invocation, e.g. url('volunteer-1'). */
  url(name: string): string {
    return this.http.url(`/response/${encodeURIComponent(name)}`);
  }

  waitFor(n: number, timeoutMs = 5000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.received.length < n) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        const paths = this.received.map((r) => r.path).join(', ') || 'none';
        reject(new Error(`ResponseUrlSink.waitFor: expected ${n} POSTs within ${timeoutMs}ms, got ${this.received.length} (${paths})`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }
}

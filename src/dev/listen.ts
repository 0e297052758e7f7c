import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on loopback (port 0: any free port) and resolves with the port, or rejects on EADDRINUSE and the like. */
export async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** A request's whole body as UTF-8 text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The HTTP server the dev stand-ins (Slack emulator, response_url sink, Socket Mode) share: one
 * start on loopback, one stop that does not wait for idle keep-alive sockets, one way to name URLs.
 */
export class LoopbackServer {
  private server: Server | undefined;
  private boundPort: number | undefined;

  /** `name` prefixes the errors; a handler that throws answers `failureStatus` with the error text. */
  constructor(
    private readonly name: string,
    private readonly handle: HttpHandler,
    private readonly failureStatus = 500,
  ) {}

  /** Starts listening and returns the node server (e.g. to take WebSocket upgrades). */
  async start(port = 0): Promise<Server> {
    if (this.server) throw new Error(`${this.name} already started`);
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(this.failureStatus, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    this.boundPort = await listenOnLoopback(server, port);
    this.server = server;
    return server;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // keep-alive sockets from fetch would otherwise hold close() open
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error(`${this.name} not started: call start() first`);
    return this.boundPort;
  }

  /** http://127.0.0.1:PORT followed by `path` */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }
}

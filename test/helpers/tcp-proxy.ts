import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on loopback that a test can cut and restore, to play a database outage for an app
 * that connects through it. Cutting resets every open connection and every new one, as a
 * PostgreSQL that crashed or a failover does; `blackhole` instead accepts connections and
 * forwards nothing, as a network partition does.
 */
export type CutMode = 'reset' | 'blackhole';

export interface ProxyStats {
  /** connections accepted since start */
  accepted: number;
  /** connections reset or held while cut */
  refused: number;
  /** forwarded connections open now */
  open: number;
  /** most forwarded connections open at once */
  peakOpen: number;
}

export class TcpProxy {
  private server: Server | undefined;
  private listenPort: number | undefined;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private readonly held = new Set<Socket>();
  private cutMode: CutMode | null = null;
  readonly stats: ProxyStats = { accepted: 0, refused: 0, open: 0, peakOpen: 0 };

  constructor(private readonly target: { host: string; port: number }) {}

  /** A proxy in front of the host and port of a postgresql:// URL. */
  static forUrl(url: string): TcpProxy {
    const u = new URL(url);
    return new TcpProxy({ host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) });
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.listenPort = (server.address() as AddressInfo).port;
  }

  get port(): number {
    if (this.listenPort === undefined) throw new Error('TcpProxy not started');
    return this.listenPort;
  }

  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get isCut(): boolean {
    return this.cutMode !== null;
  }

  /** Cuts the link: open connections and every new one fail until restore(). */
  cut(mode: CutMode = 'reset'): void {
    this.cutMode = mode;
    for (const pair of [...this.pairs]) this.drop(pair, mode);
  }

  restore(): void {
    this.cutMode = null;
    for (const socket of [...this.held]) socket.destroy();
    this.held.clear();
  }

  async stop(): Promise<void> {
    this.cut('reset');
    this.restore();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.stats.accepted += 1;
    client.on('error', () => undefined);
    if (this.cutMode === 'reset') {
      this.stats.refused += 1;
      client.resetAndDestroy();
      return;
    }
    if (this.cutMode === 'blackhole') {
      this.stats.refused += 1;
      this.held.add(client);
      client.on('close', () => this.held.delete(client));
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    this.stats.open = this.pairs.size;
    this.stats.peakOpen = Math.max(this.stats.peakOpen, this.stats.open);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const close = () => {
      if (!this.pairs.delete(pair)) return;
      this.stats.open = this.pairs.size;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private drop(pair: { client: Socket; upstream: Socket }, mode: CutMode): void {
    if (mode === 'blackhole') {
      // Nothing flows any more, but neither side is told: the app's sockets hang.
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.client.pause();
      this.held.add(pair.client);
      this.pairs.delete(pair);
      this.stats.open = this.pairs.size;
      pair.upstream.destroy();
      return;
    }
    pair.client.resetAndDestroy();
    pair.upstream.destroy();
  }
}

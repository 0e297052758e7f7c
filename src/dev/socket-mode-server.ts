/**
 * A local stand-in for Slack's Socket Mode (FACTS.md §7), for tests and demos: it answers
 * `apps.connections.open` for an app-level token, serves the WebSocket that call points to, says
 * `hello`, delivers envelopes and collects the app's acknowledgements. Every other Web API method
 * is passed through to the workspace emulator behind it, so the app needs one SLACK_API_URL.
 *
 * Frame shapes follow python-slack-sdk's socket-mode fixtures (hello, envelopes, disconnect).
 * The WebSocket side is `ws` (a dev dependency, like this file) on the same node:http server.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { LoopbackServer, readBody } from './listen';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface SocketModeEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketModeAck {
  envelope_id: string;
  payload?: unknown;
}

export interface SocketModeServerOptions {
  /** the emulator's Web API base URL, e.g. http://127.0.0.1:PORT/api/ */
  upstreamApiUrl: string;
  /** the app-level token apps.connections.open accepts */
  appToken: string;
  appId?: string;
}

/** One app's WebSocket. */
class Connection {
  private closing = false;
  readonly closed: Promise<void>;

  constructor(
    private readonly socket: WebSocket,
    onText: (text: string) => void,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    // ws hands a server a whole message (fragments joined) as one Buffer: binaryType 'nodebuffer'.
    socket.on('message', (data: RawData) => onText((data as Buffer).toString('utf8')));
    // A client that vanishes must not crash the process that hosts the server.
    socket.on('error', () => socket.terminate());
  }

  get open(): boolean {
    return !this.closing && this.socket.readyState === WebSocket.OPEN;
  }

  sendText(text: string): void {
    if (!this.open) throw new Error('the Socket Mode connection is closed');
    this.socket.send(text);
  }

  /** Starts the close handshake; the client answers with its own close frame, then the socket ends. */
  close(code = 1000): void {
    this.closing = true;
    this.socket.close(code);
    setTimeout(() => this.socket.terminate(), 1_000).unref();
  }

  destroy(): void {
    this.socket.terminate();
  }
}

interface PendingAck {
  resolve: (ack: SocketModeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class SocketModeServer {
  readonly appId: string;
  private readonly upstreamApiUrl: string;
  private readonly appToken: string;
  private readonly http = new LoopbackServer('SocketModeServer', (req, res) => this.handleHttp(req, res), 502);
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly connectionWaiters: Array<() => void> = [];
  /** every acknowledgement received, in order */
  readonly acks: SocketModeAck[] = [];
  /** how many times apps.connections.open was answered */
  connectionsOpened = 0;

  constructor(options: SocketModeServerOptions) {
    this.upstreamApiUrl = options.upstreamApiUrl.endsWith('/') ? options.upstreamApiUrl : `${options.upstreamApiUrl}/`;
    this.appToken = options.appToken;
    this.appId = options.appId ?? 'A0SMOKEAPP';
  }

  async start(port = 0): Promise<void> {
    const server = await this.http.start(port);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  async stop(): Promise<void> {
    if (!this.http.running) return;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`SocketModeServer stopped before envelope ${id} was acknowledged`));
    }
    this.pending.clear();
    for (const c of this.connections) c.destroy();
    this.sockets.close();
    await this.http.stop();
  }

  /** Give this to the app as SLACK_API_URL. */
  get apiUrl(): string {
    return this.http.url('/api/');
  }

  get connected(): boolean {
    return [...this.connections].some((c) => c.open);
  }

  /** Resolves once an app holds an open connection (it has been sent `hello`). */
  waitForConnection(timeoutMs = 5_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`)), timeoutMs);
      this.connectionWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends an envelope to the newest open connection and resolves with the app's acknowledgement. */
  deliver(envelope: SocketModeEnvelope, timeoutMs = 5_000): Promise<SocketModeAck> {
    const connection = [...this.connections].reverse().find((c) => c.open);
    if (!connection) return Promise.reject(new Error('no app is connected over Socket Mode'));
    const acked = new Promise<SocketModeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(new Error(`envelope ${envelope.envelope_id} was not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelope.envelope_id, { resolve, reject, timer });
    });
    connection.sendText(JSON.stringify(envelope));
    return acked;
  }

  /** Asks the app to reconnect, as Slack does when it recycles a connection. */
  sendDisconnect(reason = 'refresh_requested'): void {
    for (const c of this.connections) {
      if (c.open) c.sendText(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'smokejumper-socket-mode' } }));
    }
  }

  // ----- HTTP: apps.connections.open here, everything else to the emulator -----

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (url.pathname === '/api/apps.connections.open') {
      this.connectionsOpened += 1;
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : new URLSearchParams(body).get('token') ?? '';
      const reply = token === ''
        ? { ok: false, error: 'not_authed' }
        : token !== this.appToken
          ? { ok: false, error: 'invalid_auth' }
          : { ok: true, url: `ws://127.0.0.1:${this.http.port}/link/?ticket=${randomUUID()}&app_id=${this.appId}` };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply));
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = await fetch(`${this.upstreamApiUrl}${url.pathname.slice('/api/'.length)}${url.search}`, {
      method: req.method ?? 'POST',
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const forwarded: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'application/json' };
    const retryAfter = upstream.headers.get('retry-after');
    if (retryAfter) forwarded['retry-after'] = retryAfter;
    res.writeHead(upstream.status, forwarded).end(await upstream.text());
  }

  // ----- WebSocket -----

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/link/' || !url.searchParams.get('ticket')) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const connection = new Connection(ws, (text) => this.onText(text));
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
    connection.sendText(
      JSON.stringify({
        type: 'hello',
        num_connections: [...this.connections].filter((c) => c.open).length,
        debug_info: { host: 'smokejumper-socket-mode', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const waiter of this.connectionWaiters.splice(0)) waiter();
  }

  private onText(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const id = (message as { envelope_id?: unknown })?.envelope_id;
    if (typeof id !== 'string') return;
    const ack = message as SocketModeAck;
    this.acks.push(ack);
    const pending = this.pending.get(id);
    if (pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.resolve(ack);
    }
  }
}

/** An events_api envelope around an Events API payload (an `event_callback` body), as Slack sends it. */
export function eventsApiEnvelope(payload: Record<string, unknown>, options: { envelopeId?: string; retryAttempt?: number; retryReason?: string } = {}): SocketModeEnvelope {
  return {
    envelope_id: options.envelopeId ?? randomUUID(),
    payload,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: options.retryAttempt ?? 0,
    retry_reason: options.retryReason ?? '',
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The real app as a child process (`node --import tsx src/main.ts`, one process, so that a
 * SIGKILL kills the app itself and not a launcher in front of it), configured only through its
 * environment as an operator would, with every line it writes kept for inspection.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '../..');
/** Where the app is run from: this tree, or FAULTS_APP_ROOT (another checkout, to compare builds under the same faults). */
export const APP_ROOT = process.env.FAULTS_APP_ROOT ? path.resolve(process.env.FAULTS_APP_ROOT) : PROJECT_ROOT;

export interface AppLine {
  /** which process wrote it */
  app: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Every line every app process of a test file wrote, for checks across the whole file (secrets). */
export class LogBook {
  readonly lines: AppLine[] = [];

  add(line: AppLine): void {
    this.lines.push(line);
  }

  /** pino JSON lines, parsed (other lines skipped) */
  json(app?: string): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const line of this.lines) {
      if (app !== undefined && line.app !== app) continue;
      try {
        const value = JSON.parse(line.text) as unknown;
        if (value && typeof value === 'object') out.push(value as Record<string, unknown>);
      } catch {
        // not JSON (a configuration error line, a stack trace): kept in `lines` only
      }
    }
    return out;
  }
}

export interface AppProcessOptions {
  /** a label for logs and the process's database application_name */
  name: string;
  env: Record<string, string>;
  logBook: LogBook;
  /** how long to wait for "smokejumper is listening" (default 60 s) */
  readyTimeoutMs?: number;
  /** node options before the script, e.g. `--import` of a fixture that misbehaves inside the app */
  nodeArgs?: string[];
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class AppProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<AppExit>;
  private exit: AppExit | undefined;
  private port: number | undefined;
  private metricsPort: number | undefined;
  private listening = false;
  /** ROLE as the app logged it */
  role: string | undefined;
  private readonly ownLines: string[] = [];
  private readonly readyWaiters: Array<() => void> = [];

  private constructor(readonly name: string, options: AppProcessOptions) {
    this.child = spawn(process.execPath, ['--import', 'tsx', ...(options.nodeArgs ?? []), 'src/main.ts'], {
      cwd: APP_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        TMPDIR: process.env.TMPDIR ?? '/tmp',
        // main.ts reads .env when present; a developer's .env must not leak into the test.
        DOTENV_CONFIG_PATH: '/nonexistent/.env',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = this.child[stream];
      if (!source) continue;
      createInterface({ input: source }).on('line', (text) => {
        options.logBook.add({ app: name, stream, text });
        this.ownLines.push(text);
        this.notice(text);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        for (const w of this.readyWaiters.splice(0)) w();
        resolve(this.exit);
      });
    });
  }

  /** Starts the app and resolves once it serves HTTP. */
  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const app = new AppProcess(options.name, options);
    await app.ready(options.readyTimeoutMs ?? 60_000);
    return app;
  }

  /** the Slack-facing port; a worker has none, and this is its operations port (which has /healthz too) */
  get url(): string {
    const port = this.port ?? this.metricsPort;
    if (port === undefined) throw new Error(`${this.name} is not listening`);
    return `http://127.0.0.1:${port}`;
  }

  /** the operations port (METRICS_PORT): /metrics and /healthz */
  get metricsUrl(): string {
    if (this.metricsPort === undefined) throw new Error(`${this.name} is not listening`);
    return `http://127.0.0.1:${this.metricsPort}`;
  }

  get eventsUrl(): string {
    return `${this.url}/slack/events`;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** What the process wrote so far, one entry per line. */
  get lines(): readonly string[] {
    return this.ownLines;
  }

  /** Sends a signal now (synchronously: a SIGKILL from an emulator listener lands before the response does). */
  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  async kill(): Promise<AppExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** SIGTERM and wait; SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<AppExit> {
    if (!this.alive) return this.exit!;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private notice(text: string): void {
    if (this.listening || !text.includes('smokejumper is listening')) return;
    try {
      const line = JSON.parse(text) as { port?: number; metricsPort?: number; role?: string };
      // A build from before METRICS_PORT (FAULTS_APP_ROOT) logs only `port`.
      if (typeof line.metricsPort === 'number' || typeof line.port === 'number') {
        this.listening = true;
        this.port = line.port;
        this.metricsPort = line.metricsPort;
        this.role = line.role;
        for (const w of this.readyWaiters.splice(0)) w();
      }
    } catch {
      // a non-JSON line mentioning it is not the one
    }
  }

  private async ready(timeoutMs: number): Promise<void> {
    if (this.listening) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.readyWaiters.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (this.listening) return;
    const tail = this.ownLines.slice(-20).join('\n');
    this.signal('SIGKILL');
    const why = this.exit ? `exited (${this.exit.code ?? this.exit.signal})` : `did not listen within ${timeoutMs} ms`;
    throw new Error(`app ${this.name} ${why}. Last lines:\n${tail}`);
  }
}

/** The environment of one app process against an emulator and a database. */
export function appEnv(options: {
  databaseUrl: string;
  name: string;
  botToken: string;
  signingSecret: string;
  slackApiUrl: string;
  poolMax: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  const url = new URL(options.databaseUrl);
  // Each process names its connections, so pg_stat_activity can count them per process.
  url.searchParams.set('application_name', `sj-${options.name}`);
  return {
    DATABASE_URL: url.toString(),
    DATABASE_POOL_MAX: String(options.poolMax),
    SLACK_BOT_TOKEN: options.botToken,
    SLACK_SIGNING_SECRET: options.signingSecret,
    SLACK_API_URL: options.slackApiUrl,
    PORT: '0',
    METRICS_PORT: '0',
    METRICS_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...options.extra,
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the app's command-line tools (src/cli/NAME.ts) to completion, its lines kept in `logBook` too. */
export function runCli(options: { name: string; script: string; args: string[]; env: Record<string, string>; logBook: LogBook; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', options.script, ...options.args], {
      cwd: APP_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TMPDIR: process.env.TMPDIR ?? '/tmp', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Record<'stdout' | 'stderr', string[]> = { stdout: [], stderr: [] };
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream]! }).on('line', (text) => {
        out[stream].push(text);
        options.logBook.add({ app: options.name, stream, text });
      });
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not finish within ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') });
    });
  });
}

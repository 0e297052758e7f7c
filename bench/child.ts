import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Servers under test run in child processes, as in production: their CPU and memory are their
 * own (the sender, the Slack emulator and the samplers stay in the bench process), and the
 * resident memory of the app alone can be read from /proc.
 */
export interface ChildServer {
  name: string;
  pid: number;
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** resident memory now and its peak since start (or since resetPeakMemory), in bytes */
  memory(): { rss: number; peak: number };
  /** starts the peak (VmHWM) afresh, so that start-up does not count */
  resetPeakMemory(): boolean;
  stop(): Promise<void>;
}

const children = new Set<ChildServer>();

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Forks `bench/children/<script>.ts` under tsx with `env`, and waits for it to report its URL. */
export async function startChild(name: string, script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ChildServer> {
  const child: ChildProcess = fork(path.join(__dirname, 'children', `${script}.ts`), [], {
    // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each server to DIR when it stops (open it in Chrome DevTools).
    // BENCH_NODE_ARGS adds Node flags to every server (e.g. --trace-gc, to see a tail's pauses).
    execArgv: [
      '--import', 'tsx',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start-up (code ${code}, signal ${signal})`));
    });
  });
  const pid = child.pid!;
  const server: ChildServer = {
    name,
    pid,
    url,
    memory: () => ({ rss: statusField(pid, 'VmRSS'), peak: statusField(pid, 'VmHWM') }),
    resetPeakMemory() {
      try {
        // "5" resets the peak resident set size (VmHWM) of the process (Documentation/filesystems/proc.rst).
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    async stop() {
      children.delete(server);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  children.add(server);
  return server;
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop().catch(() => undefined)));
}

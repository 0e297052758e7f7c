/** The Web API calls the emulator answered, in order, and the tests waiting for some of them. */
import type { RecordedCall } from './types';
import { isObject, type Args } from './wire';

interface Waiter {
  predicate: (calls: RecordedCall[]) => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class CallLog {
  private recorded: RecordedCall[] = [];
  private readonly waiters = new Set<Waiter>();
  private seq = 0;

  get all(): RecordedCall[] {
    return [...this.recorded];
  }

  clear(): void {
    this.recorded = [];
  }

  /** Records a call (its response as sent, parsed again so a test cannot change what was sent) and wakes waiters. */
  record(method: string, args: Args, status: number, payload: string, receivedAt: number): RecordedCall {
    const call: RecordedCall = {
      seq: ++this.seq,
      method,
      args,
      status,
      response: JSON.parse(payload) as unknown,
      at: Date.now(),
      receivedAt,
    };
    this.recorded.push(call);
    return call;
  }

  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs: number): Promise<void> {
    if (predicate(this.all)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`SlackEmulator.waitFor timed out after ${timeoutMs}ms. ${this.describe()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  notifyWaiters(): void {
    if (this.waiters.size === 0) return;
    const snapshot = this.all;
    for (const w of [...this.waiters]) {
      let done: boolean;
      try {
        done = w.predicate(snapshot);
      } catch (err) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (done) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve();
      }
    }
  }

  rejectWaiters(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('SlackEmulator stopped while waitFor was pending'));
    }
    this.waiters.clear();
  }

  private describe(): string {
    if (this.recorded.length === 0) return 'No Web API calls were recorded.';
    const lines = this.recorded.map((c) => {
      const body = isObject(c.response) ? c.response : {};
      const outcome = c.status !== 200 ? `HTTP ${c.status}` : body.ok === true ? 'ok' : String(body.error);
      return `  #${c.seq} ${c.method} -> ${outcome}`;
    });
    return `Recorded calls (${this.recorded.length}):\n${lines.join('\n')}`;
  }
}

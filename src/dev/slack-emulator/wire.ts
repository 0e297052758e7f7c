/** The Web API's wire format as the method handlers see it: arguments in, `{ok, ...}` replies out. */

export type Args = Record<string, unknown>;
export type Body = Record<string, unknown>;

export interface Reply {
  status: number;
  body: Body;
  headers?: Record<string, string>;
}

export const ok = (body: Body = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
export const fail = (error: string, extra: Body = {}): Reply => ({ status: 200, body: { ok: false, error, ...extra } });
export const invalidArguments = (...messages: string[]): Reply =>
  fail('invalid_arguments', { response_metadata: { messages } });

export function str(args: Args, key: string): string | undefined {
  const v = args[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function bool(args: Args, key: string): boolean {
  const v = args[key];
  return v === true || v === 1 || v === 'true' || v === '1';
}

export function int(args: Args, key: string): number | undefined {
  const s = str(args, key);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? undefined : n;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** A JSON argument as the form encoding sends it (a string), or the value itself from a JSON body. */
export function parseJsonArg(raw: unknown): { value: unknown } | { error: true } {
  if (typeof raw !== 'string') return { value: raw };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return { error: true };
  }
}

function encodeCursor(id: string): string {
  return Buffer.from(`user:${id}`, 'utf8').toString('base64');
}

function decodeCursor(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith('user:') ? decoded.slice('user:'.length) : undefined;
}

/** Cursor pagination the way Slack does it: next_cursor is '' on the last page. */
export function paginate(
  ids: string[],
  args: Args,
  defaultLimit: number,
): { page: string[]; nextCursor: string } | { error: string } {
  const requested = int(args, 'limit');
  const limit = requested === undefined || requested <= 0 ? defaultLimit : Math.min(requested, 1000);
  const cursor = str(args, 'cursor');
  let start = 0;
  if (cursor) {
    const id = decodeCursor(cursor);
    start = id === undefined ? -1 : ids.indexOf(id);
    if (start < 0) return { error: 'invalid_cursor' };
  }
  const page = ids.slice(start, start + limit);
  const next = ids[start + limit];
  return { page, nextCursor: next === undefined ? '' : encodeCursor(next) };
}

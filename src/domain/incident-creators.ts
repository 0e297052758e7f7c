/**
 * INCIDENT_CREATORS (SPEC.md section 2): who may start an incident by creating (or renaming) a
 * channel. Slack user ids, bot ids and user group handles, comma-separated; unset lets anyone.
 */
export interface CreatorsSpec {
  userIds: string[];
  botIds: string[];
  /** user group handles, without the @ */
  handles: string[];
}

/** The spec with its handles resolved to the people in those groups (at start-up). */
export interface CreatorRule {
  userIds: ReadonlySet<string>;
  botIds: ReadonlySet<string>;
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const BOT_ID = /^B[A-Z0-9]{2,}$/;
// Slack handles: lower-case letters, digits, dots, dashes and underscores.
const HANDLE = /^@?([a-z0-9][a-z0-9._-]{0,79})$/;

/** `U012AB3CD, B0123ABCD, @oncall` -> the three kinds; throws with the first entry it cannot read. */
export function parseCreators(text: string): CreatorsSpec | null {
  const entries = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const spec: CreatorsSpec = { userIds: [], botIds: [], handles: [] };
  for (const entry of entries) {
    if (USER_ID.test(entry)) spec.userIds.push(entry);
    else if (BOT_ID.test(entry)) spec.botIds.push(entry);
    else {
      const handle = HANDLE.exec(entry);
      if (!handle) throw new Error(`"${entry}" is neither a Slack user id (U…), a bot id (B…) nor a user group handle (@name)`);
      spec.handles.push(handle[1]!);
    }
  }
  return spec;
}

/** Whether this creator may start an incident; `botId` is the creator's bot id when it is a bot user. */
export function mayStartIncident(rule: CreatorRule | null | undefined, creator: { userId: string | null; botId?: string | null }): boolean {
  if (!rule) return true;
  if (creator.userId && rule.userIds.has(creator.userId)) return true;
  return Boolean(creator.botId && rule.botIds.has(creator.botId));
}

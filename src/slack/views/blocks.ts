/** Small helpers for Block Kit JSON; builders stay readable and every message keeps its fallback text. */
export type Block = Record<string, unknown>;

export interface Message {
  /** fallback for notifications and screen readers */
  text: string;
  blocks: Block[];
}

export const section = (markdown: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: markdown } });
export const context = (...markdown: string[]): Block => ({ type: 'context', elements: markdown.map((text) => ({ type: 'mrkdwn', text })) });
export const divider = (): Block => ({ type: 'divider' });
export const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Block {
  return { type: 'button', text: { type: 'plain_text', text, emoji: true }, action_id: actionId, value, ...(style ? { style } : {}) };
}

export const actions = (blockId: string, ...elements: Block[]): Block => ({ type: 'actions', block_id: blockId, elements });

export const mention = (userId: string): string => `<@${userId}>`;
export const channelLink = (channelId: string): string => `<#${channelId}>`;

/** "a", "a and b", "a, b and c" */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

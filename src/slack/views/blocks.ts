/** Small helpers for Block Kit JSON; builders stay readable and every message keeps its fallback text. */
import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, PlainTextElement, SectionBlock } from '@slack/types';

/** A block of a message or view, as @slack/types (what the Web API client takes) knows it. */
export type Block = KnownBlock;

export interface Message {
  /** fallback for notifications and screen readers */
  text: string;
  blocks: KnownBlock[];
}

export const plainText = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });
export const section = (markdown: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text: markdown } });
export const context = (...markdown: string[]): ContextBlock => ({ type: 'context', elements: markdown.map((text) => ({ type: 'mrkdwn', text })) });
export const divider = (): DividerBlock => ({ type: 'divider' });
export const header = (text: string): HeaderBlock => ({ type: 'header', text: plainText(text) });

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: plainText(text), action_id: actionId, value, ...(style ? { style } : {}) };
}

export const actions = (blockId: string, ...elements: Button[]): ActionsBlock => ({ type: 'actions', block_id: blockId, elements });

export const mention = (userId: string): string => `<@${userId}>`;
export const channelLink = (channelId: string): string => `<#${channelId}>`;

/** "a", "a and b", "a, b and c" */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The demo's output: a word-wrapped transcript, and Block Kit and mrkdwn rendered as a person
 * reads them in Slack (names instead of ids, times in the reader's zone, buttons in brackets).
 */
import { HOME_ZONE } from './script';

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const WIDTH = 100;
const T0 = Date.now();

export class Transcript {
  constructor(private readonly write: (text: string) => void) {}

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  /** Word-wrapped, every line indented. */
  para(text: string, indent = '  '): void {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') {
        this.line('');
        continue;
      }
      const lead = /^\s*/.exec(raw)![0];
      let current = indent + lead;
      for (const word of raw.trim().split(/\s+/)) {
        if (current.trim() !== '' && current.length + word.length + 1 > WIDTH) {
          this.line(current.trimEnd());
          current = `${indent}${lead}  `;
        }
        current += (current.trim() === '' ? '' : ' ') + word;
      }
      this.line(current.trimEnd());
    }
  }

  step(time: Date, title: string): void {
    if (process.env.DEMO_TIMING) process.stderr.write(`[${((Date.now() - T0) / 1000).toFixed(1)}s] ${title}\n`);
    this.line('');
    const head = `── ${clockIn(time, HOME_ZONE)} · ${title} `;
    this.line(head + '─'.repeat(Math.max(3, WIDTH - head.length)));
  }
}

export const out = new Transcript((text) => process.stdout.write(text));

export function clockIn(time: Date, timeZone: string, withDay = true): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(time);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return withDay ? `${get('weekday')} ${get('hour')}:${get('minute')}` : `${get('hour')}:${get('minute')}`;
}

export function longDate(time: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(time);
}

// ---------------------------------------------------------------------------------------------
// Block Kit and mrkdwn, as a person reads them
// ---------------------------------------------------------------------------------------------

export interface Names {
  user(id: string): string;
  channel(id: string): string;
}

/** `<@U…>` -> @Name, `<#C…>` -> #channel, `<!date^…>` in the reader's zone, links -> their label. */
export function readable(text: string, names: Names, readerTz: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) => `@${names.user(id)}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label || names.channel(id)}`)
    .replace(/<!date\^(\d+)\^[^|>]*\|[^>]*>/g, (_m, seconds: string) => {
      const date = new Date(Number(seconds) * 1000);
      const day = new Intl.DateTimeFormat('en-GB', { timeZone: readerTz, weekday: 'short', day: 'numeric', month: 'short' }).format(date);
      return `${day} at ${clockIn(date, readerTz, false)}`;
    })
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<([a-z]+:[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<([a-z]+:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export type AnyBlock = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function textOf(object: AnyBlock | undefined): string {
  return typeof object?.text === 'string' ? object.text : '';
}

function buttonLabel(element: AnyBlock): string {
  return `[ ${textOf(element.text)} ]`;
}

/** One block as lines of text; buttons show as [ Label ]. */
export function blockLines(block: AnyBlock): string[] {
  switch (block.type) {
    case 'header':
      return [textOf(block.text).toUpperCase()];
    case 'section': {
      const lines = [textOf(block.text), ...((block.fields as AnyBlock[] | undefined) ?? []).map(textOf)].filter(Boolean);
      if (block.accessory?.type === 'button') lines[lines.length - 1] = `${lines[lines.length - 1] ?? ''}   ${buttonLabel(block.accessory)}`;
      return lines;
    }
    case 'context':
      return [((block.elements as AnyBlock[] | undefined) ?? []).map(textOf).filter(Boolean).join(' · ')];
    case 'actions':
      return [((block.elements as AnyBlock[] | undefined) ?? []).map(buttonLabel).join('  ')];
    case 'divider':
      return ['───'];
    case 'input':
      return [`${textOf(block.label)}: [${' '.repeat(30)}]`];
    default:
      return [];
  }
}

export function messageText(message: { text?: string; blocks?: unknown }, names: Names, readerTz: string, full: boolean): string {
  const blocks = Array.isArray(message.blocks) ? (message.blocks as AnyBlock[]) : [];
  const raw = full && blocks.length > 0 ? blocks.flatMap(blockLines).join('\n') : (message.text ?? '');
  return readable(raw, names, readerTz);
}


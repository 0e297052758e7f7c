/**
 * Whether a regular expression from configuration can backtrack catastrophically on a channel
 * name (anyone may pick the name). A conservative, pure check in the spirit of safe-regex: it
 * refuses a repeated group that itself contains a quantifier (`(a+)+`, `(\w*x)*`, `(.*a){20}`),
 * and a repeated group whose alternatives can start with the same character (`(a|ab)+`,
 * `(\w|\d)*`). It may refuse some harmless patterns; the patterns SPEC.md uses need neither.
 * Returns why the pattern is refused, or null when it is safe.
 */
export function whyUnsafe(source: string): string | null {
  interface Group {
    hasQuantifier: boolean;
    alternatives: string[];
    current: string;
  }
  const stack: Group[] = [{ hasQuantifier: false, alternatives: [], current: '' }];
  const top = () => stack[stack.length - 1]!;
  // The group that ends just before the current position, if the last thing read was a group.
  let justClosed: Group | null = null;
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const ch = source[i]!;
    if (ch === '\\' || ch === '[') {
      const end = ch === '\\' ? i + 2 : classEnd(source, i);
      top().current += source.slice(i, end);
      justClosed = null;
      i = end;
      continue;
    }
    if (ch === '(') {
      const prefix = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(rest)![0];
      stack.push({ hasQuantifier: false, alternatives: [], current: '' });
      justClosed = null;
      i += prefix.length;
      continue;
    }
    if (ch === ')') {
      const group = stack.length > 1 ? stack.pop()! : top();
      group.alternatives.push(group.current);
      if (group.hasQuantifier) top().hasQuantifier = true;
      top().current += `(${group.alternatives.join('|')})`;
      justClosed = group;
      i += 1;
      continue;
    }
    if (ch === '|') {
      top().alternatives.push(top().current);
      top().current = '';
      justClosed = null;
      i += 1;
      continue;
    }
    const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(rest)?.[0];
    if (quantifier) {
      // ?, {0}, {1} and {0,1} match at most once: nothing to backtrack over.
      const repeats = !/^(?:\?|\{[01](?:,[01]?)?\})/.test(quantifier);
      if (justClosed && repeats) {
        if (justClosed.hasQuantifier) return 'a repeated group contains another quantifier (nested quantifiers backtrack catastrophically)';
        if (overlapping(justClosed.alternatives)) return `a repeated group has alternatives that can match the same text (${justClosed.alternatives.join(' | ')})`;
      }
      top().hasQuantifier = true;
      top().current += quantifier;
      justClosed = null;
      i += quantifier.length;
      continue;
    }
    top().current += ch;
    justClosed = null;
    i += 1;
  }
  return null;
}

function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Alternatives overlap when two can start alike: the same first character, an empty one, or a class or wildcard. */
function overlapping(alternatives: string[]): boolean {
  if (alternatives.length < 2) return false;
  const firsts = alternatives.map(firstToken);
  if (firsts.some((f) => f === '' || f === '.' || f.startsWith('[') || f.startsWith('(') || /^\\[wdsWDSpP]$/.test(f))) return true;
  return new Set(firsts.map((f) => f.toLowerCase())).size < firsts.length;
}

function firstToken(alternative: string): string {
  if (alternative.startsWith('\\')) return alternative.slice(0, 2);
  if (alternative.startsWith('[')) return alternative.slice(0, classEnd(alternative, 0));
  return alternative.slice(0, 1);
}

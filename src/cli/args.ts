import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * What is wrong with a command line, in terms each command turns into its own one-line message:
 * node's parseArgs says it in its own words, which are not the ones SPEC.md gives.
 */
export class CommandLineError extends AppError {
  constructor(
    readonly problem: 'unknown-option' | 'missing-value' | 'takes-no-value' | 'unexpected-argument' | 'given-twice',
    /** the option's name as typed (`--week`, `-h`), or the positional argument */
    readonly option: string,
    /** the whole argument as typed (`--users=U1`) */
    readonly raw: string,
    /** for missing-value: the next argument, which parseArgs refused because it starts with a dash */
    readonly next?: string,
  ) {
    super('invalid_command_line', `${problem}: ${raw}`);
  }
}

export interface CommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * node:util parseArgs in strict mode. When it refuses the line, a second, lenient pass over the
 * same arguments finds the argument at fault, so the error says which one and why. Options named
 * in `once` are refused when given twice (parseArgs would keep the last).
 */
export function parseCommandLine(argv: readonly string[], options: Options, settings: { positionals?: boolean; once?: readonly string[] } = {}): CommandLine {
  const args = [...argv];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: settings.positionals ?? false, tokens: true });
  } catch (error) {
    if (!String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw error;
    throw diagnose(args, options, settings.positionals ?? false) ?? error;
  }
  if (settings.once) {
    const seen = new Set<string>();
    for (const token of parsed.tokens ?? []) {
      if (token.kind !== 'option' || !settings.once.includes(token.name)) continue;
      if (seen.has(token.name)) throw new CommandLineError('given-twice', token.rawName, args[token.index]!);
      seen.add(token.name);
    }
  }
  return { values: parsed.values as CommandLine['values'], positionals: parsed.positionals };
}

function diagnose(args: string[], options: Options, positionals: boolean): CommandLineError | undefined {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    const raw = args[token.index] ?? '';
    if (token.kind === 'positional' && !positionals) return new CommandLineError('unexpected-argument', token.value, raw);
    if (token.kind !== 'option') continue;
    const type = options[token.name]?.type;
    if (!type) return new CommandLineError('unknown-option', token.rawName, raw);
    if (type === 'boolean' && token.inlineValue) return new CommandLineError('takes-no-value', token.rawName, raw);
    if (type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return new CommandLineError('missing-value', token.rawName, raw, token.value);
    }
  }
  return undefined;
}

/** A refused command line in one line, as the operator commands print it before their usage. */
export function commandLineMessage(error: CommandLineError): string {
  switch (error.problem) {
    case 'missing-value':
      return `${error.option} needs a value`;
    case 'takes-no-value':
      return `${error.option} takes no value`;
    case 'given-twice':
      return `${error.option} is given twice`;
    default:
      return `unknown argument "${error.raw}"`;
  }
}

import { CommandLineError, parseCommandLine, type CommandLine } from '../cli/args';
import type { SimulationOptions } from './runner';
import { AppError } from '../errors';

/** `npm run simulate` arguments: validated before any work starts, each problem in one line. */
export class SimulationArgumentError extends AppError {
  constructor(message: string) {
    super('invalid_argument', message);
  }
}

export interface SimulateCommand {
  options: SimulationOptions;
  json: boolean;
  help: boolean;
}

interface NumericFlag {
  key: Exclude<keyof SimulationOptions, 'declineRate'>;
  min: number;
  max: number;
}

export const DEFAULT_SIMULATION: Readonly<SimulationOptions> = { weeks: 13, engineers: 200, incidentsPerWeek: 25, seed: 1, declineRate: 0 };

const NUMERIC_FLAGS: Record<string, NumericFlag> = {
  weeks: { key: 'weeks', min: 1, max: 104 },
  engineers: { key: 'engineers', min: 10, max: 5_000 },
  'incidents-per-week': { key: 'incidentsPerWeek', min: 0, max: 500 },
  seed: { key: 'seed', min: 0, max: 4_294_967_295 },
};

const OPTIONS = {
  ...Object.fromEntries(Object.keys(NUMERIC_FLAGS).map((name) => [name, { type: 'string' as const }])),
  'decline-rate': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SIMULATE_USAGE =
  'usage: npm run simulate -- [--weeks 1..104 (13)] [--engineers 10..5000 (200)] [--incidents-per-week 0..500 (25)] [--seed 0..4294967295 (1)] [--decline-rate 0..1 (0)] [--json]';

export function parseSimulateArgs(argv: readonly string[]): SimulateCommand {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, OPTIONS, { once: Object.keys(OPTIONS) });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    // A negative number is refused by parseArgs as a missing value; it is the wrong number instead.
    const flag = NUMERIC_FLAGS[error.option.replace(/^--/, '')];
    if (error.problem === 'missing-value' && flag && error.next !== undefined) wholeNumber(error.option, error.next, flag);
    throw new SimulationArgumentError(simulateArgumentMessage(error, flag));
  }
  const options: SimulationOptions = { ...DEFAULT_SIMULATION };
  for (const [name, flag] of Object.entries(NUMERIC_FLAGS)) {
    const value = line.values[name];
    if (typeof value === 'string') options[flag.key] = wholeNumber(`--${name}`, value, flag);
  }
  const declineRate = line.values['decline-rate'];
  if (typeof declineRate === 'string') {
    const rate = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(declineRate) ? Number(declineRate) : NaN;
    if (!(rate >= 0 && rate <= 1)) throw new SimulationArgumentError(`--decline-rate: "${declineRate}" is not a number from 0 to 1 (such as 0.3)`);
    options.declineRate = rate;
  }
  return { options, json: line.values.json === true, help: line.values.help === true };
}

function simulateArgumentMessage(error: CommandLineError, flag: NumericFlag | undefined): string {
  switch (error.problem) {
    case 'missing-value':
      return flag ? `${error.option} needs a value, a whole number from ${flag.min} to ${flag.max}` : `${error.option} needs a value, a number from 0 to 1`;
    case 'takes-no-value':
      return `${error.option} takes no value`;
    case 'given-twice':
      return `${error.option} is given twice`;
    case 'unexpected-argument':
      return `unexpected argument "${error.option}" (${SIMULATE_USAGE})`;
    default:
      return `unknown option ${error.option} (${SIMULATE_USAGE})`;
  }
}

function wholeNumber(name: string, text: string, flag: NumericFlag): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < flag.min || value > flag.max) {
    throw new SimulationArgumentError(`${name}: "${text}" is not a whole number from ${flag.min} to ${flag.max}`);
  }
  return value;
}

import type { SimulationOptions } from './runner';

/** `npm run simulate` arguments: validated before any work starts, each problem in one line. */
export class SimulationArgumentError extends Error {
  readonly code = 'invalid_argument';
}

export interface SimulateCommand {
  options: SimulationOptions;
  json: boolean;
  help: boolean;
}

interface NumericFlag {
  key: keyof SimulationOptions;
  min: number;
  max: number;
}

export const DEFAULT_SIMULATION: Readonly<SimulationOptions> = { weeks: 13, engineers: 200, incidentsPerWeek: 25, seed: 1 };

const NUMERIC_FLAGS: Record<string, NumericFlag> = {
  '--weeks': { key: 'weeks', min: 1, max: 104 },
  '--engineers': { key: 'engineers', min: 10, max: 5_000 },
  '--incidents-per-week': { key: 'incidentsPerWeek', min: 0, max: 500 },
  '--seed': { key: 'seed', min: 0, max: 4_294_967_295 },
};

export const SIMULATE_USAGE =
  'usage: npm run simulate -- [--weeks 1..104 (13)] [--engineers 10..5000 (200)] [--incidents-per-week 0..500 (25)] [--seed 0..4294967295 (1)] [--json]';

export function parseSimulateArgs(argv: readonly string[]): SimulateCommand {
  const options: SimulationOptions = { ...DEFAULT_SIMULATION };
  let json = false;
  let help = false;
  const seen = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (seen.has(name)) throw new SimulationArgumentError(`${name} is given twice`);
    seen.add(name);
    if (name === '--json' || name === '--help' || name === '-h') {
      if (inlineValue !== undefined) throw new SimulationArgumentError(`${name} takes no value`);
      if (name === '--json') json = true;
      else help = true;
      continue;
    }
    const flag = NUMERIC_FLAGS[name];
    if (!flag) {
      throw new SimulationArgumentError(name.startsWith('-') ? `unknown option ${name} (${SIMULATE_USAGE})` : `unexpected argument "${name}" (${SIMULATE_USAGE})`);
    }
    const value = inlineValue ?? argv[++i];
    if (value === undefined) throw new SimulationArgumentError(`${name} needs a value, a whole number from ${flag.min} to ${flag.max}`);
    options[flag.key] = wholeNumber(name, value, flag);
  }
  return { options, json, help };
}

function wholeNumber(name: string, text: string, flag: NumericFlag): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < flag.min || value > flag.max) {
    throw new SimulationArgumentError(`${name}: "${text}" is not a whole number from ${flag.min} to ${flag.max}`);
  }
  return value;
}

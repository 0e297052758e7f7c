/**
 * npm run bench [-- --only ack,invite] [--quick]
 *
 * Runs the benchmarks of SPEC.md section 9 against the Slack emulator and the PostgreSQL at
 * BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres; a fresh database per
 * benchmark, dropped after), prints a table and writes bench/results.json. --quick runs smaller
 * counts for iteration; its figures are not the ones SPEC.md sets targets for.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandLineError, parseCommandLine, type CommandLine } from '../src/cli/args';
import { benchAck } from './ack';
import { benchBackfill } from './backfill';
import { benchBurst } from './burst';
import { stopAllChildren } from './child';
import { dropAll, serverInfo } from './database';
import { benchDigest } from './digest';
import { benchDms } from './dms';
import { benchInvite } from './invite';
import { benchRoster } from './roster';
import type { BenchOptions, BenchResult } from './result';

const BENCHMARKS: Record<string, (options: BenchOptions) => Promise<BenchResult>> = {
  ack: benchAck,
  invite: benchInvite,
  burst: benchBurst,
  digest: benchDigest,
  dms: benchDms,
  roster: benchRoster,
  backfill: benchBackfill,
};

interface Args {
  only: string[];
  quick: boolean;
  samples?: number;
  out: string;
}

export const BENCH_USAGE = `usage: npm run bench [-- --only ${Object.keys(BENCHMARKS).join(',')}] [--quick] [--samples N] [--out FILE]`;

/** Bad arguments throw with one line; `--help` gives `help: true` (main prints the usage). */
export function parseBenchArgs(argv: readonly string[]): Args & { help: boolean } {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv, {
      quick: { type: 'boolean' },
      samples: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    if (error.problem === 'missing-value') throw new Error(error.option === '--samples' ? '--samples needs a whole number above 0' : `${error.option} needs a value`);
    if (error.problem === 'takes-no-value') throw new Error(`${error.option} takes no value`);
    throw new Error(`unknown option ${error.raw} (try --help)`);
  }
  const { quick, samples, only, out, help } = line.values as { quick?: boolean; samples?: string; only?: string; out?: string; help?: boolean };
  const args: Args & { help: boolean } = { only: Object.keys(BENCHMARKS), quick: quick === true, out: path.join(__dirname, 'results.json'), help: help === true };
  if (samples !== undefined) {
    const value = Number(samples);
    if (!Number.isInteger(value) || value < 1) throw new Error('--samples needs a whole number above 0');
    args.samples = value;
  }
  if (out !== undefined) {
    if (!out) throw new Error('--out needs a value');
    args.out = path.resolve(out);
  }
  if (only !== undefined) {
    if (!only) throw new Error('--only needs a value');
    args.only = only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = args.only.filter((name) => !(name in BENCHMARKS));
    if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  return args;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory_gib: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function printTable(results: BenchResult[]): void {
  const lines: string[][] = [['bench', 'figure', 'value', 'baseline', 'ratio', 'target', 'met']];
  for (const r of results) {
    r.rows.forEach((row, i) => {
      lines.push([
        i === 0 ? r.name : '',
        row.what,
        row.value,
        row.baseline ?? '',
        row.ratio === undefined || row.ratio === null ? '' : `${row.ratio}x`,
        i === 0 ? r.target : '',
        i === 0 ? (r.passed === null ? 'n/a' : r.passed ? 'yes' : 'NO') : '',
      ]);
    });
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const out = lines.map((l) => l.map((cell, c) => pad(cell, widths[c]!)).join('  ').trimEnd());
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  process.stdout.write(`\n${out.join('\n')}\n`);
  for (const r of results) for (const note of r.notes) process.stdout.write(`${r.name}: ${note}\n`);
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return;
  }
  const started = new Date();
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const server = await serverInfo();
  const results: BenchResult[] = [];
  let failed = false;
  for (const name of args.only) {
    process.stdout.write(`${name}: running${args.quick ? ' (quick)' : ''}...\n`);
    const t0 = Date.now();
    const loadBefore = Math.round(os.loadavg()[0]! * 100) / 100;
    try {
      const result = await BENCHMARKS[name]!({ quick: args.quick, samples: args.samples });
      result.figures = { ...result.figures, duration_s: Math.round((Date.now() - t0) / 1000), load_1m_before: loadBefore, load_1m_after: Math.round(os.loadavg()[0]! * 100) / 100 };
      results.push(result);
      process.stdout.write(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(`${name}: failed: ${(error as Error).stack ?? String(error)}\n`);
      results.push({ name, target: '', passed: false, figures: { error: (error as Error).message }, rows: [{ what: 'error', value: (error as Error).message.slice(0, 80) }], notes: [] });
      await stopAllChildren();
      await dropAll();
    }
  }
  printTable(results);
  const report = {
    date: started.toISOString(),
    duration_s: Math.round((Date.now() - started.getTime()) / 1000),
    quick: args.quick,
    samples_override: args.samples ?? null,
    machine: { ...machine(), load_average_at_start: loadAtStart, load_average_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    postgres: server,
    results: Object.fromEntries(results.map((r) => [r.name, { target: r.target, passed: r.passed, ...r.figures, notes: r.notes }])),
  };
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nwritten ${path.relative(process.cwd(), args.out)}\n`);
  process.exitCode = failed ? 1 : 0;
}

async function cleanUpAndExit(signal: string): Promise<void> {
  process.stderr.write(`\n${signal}: stopping servers and dropping bench databases\n`);
  await stopAllChildren();
  await dropAll();
  process.exit(130);
}

if (require.main === module) {
  process.once('SIGINT', () => void cleanUpAndExit('SIGINT'));
  process.once('SIGTERM', () => void cleanUpAndExit('SIGTERM'));
  main().catch(async (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    await stopAllChildren();
    await dropAll();
    process.exit(1);
  });
}

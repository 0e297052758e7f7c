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
import { benchAck } from './ack';
import { benchBurst } from './burst';
import { stopAllChildren } from './child';
import { dropAll, serverInfo } from './database';
import { benchDigest } from './digest';
import { benchDms } from './dms';
import { benchInvite } from './invite';
import type { BenchOptions, BenchResult } from './result';

const BENCHMARKS: Record<string, (options: BenchOptions) => Promise<BenchResult>> = {
  ack: benchAck,
  invite: benchInvite,
  burst: benchBurst,
  digest: benchDigest,
  dms: benchDms,
};

interface Args {
  only: string[];
  quick: boolean;
  samples?: number;
  out: string;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { only: Object.keys(BENCHMARKS), quick: false, out: path.join(__dirname, 'results.json') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--quick') args.quick = true;
    else if (flag === '--samples') {
      const value = Number(inline ?? argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error('--samples needs a whole number above 0');
      args.samples = value;
    } else if (flag === '--only' || flag === '--out') {
      const value = inline ?? argv[++i];
      if (!value) throw new Error(`${flag} needs a value`);
      if (flag === '--out') args.out = path.resolve(value);
      else {
        args.only = value.split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = args.only.filter((name) => !(name in BENCHMARKS));
        if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
      }
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: npm run bench [-- --only ack,invite,burst,digest,dms] [--quick] [--samples N] [--out FILE]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (try --help)`);
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
  const args = parseArgs(process.argv.slice(2));
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

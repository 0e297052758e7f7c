import { execFile } from 'node:child_process';
import path from 'node:path';
import { parseBenchArgs } from '../../../bench/run';
import { CommandLineError, parseCommandLine } from '../../../src/cli/args';
import { DigestArgumentError, parseDigestArgs } from '../../../src/cli/digest';
import { parseSimulateArgs, SimulationArgumentError } from '../../../src/sim/options';

const root = path.resolve(__dirname, '../../..');

describe('parseCommandLine (node:util parseArgs, strict)', () => {
  const options = { week: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

  it('reads values and positionals', () => {
    expect(parseCommandLine(['--week=2026-11-16', '--dry-run', 'x'], options, { positionals: true })).toEqual({ values: { week: '2026-11-16', 'dry-run': true }, positionals: ['x'] });
  });

  it.each([
    [['--weak', '1'], 'unknown-option', '--weak'],
    [['-x'], 'unknown-option', '-x'],
    [['--week'], 'missing-value', '--week'],
    [['--week', '--dry-run'], 'missing-value', '--week'],
    [['--dry-run=yes'], 'takes-no-value', '--dry-run'],
    [['stray'], 'unexpected-argument', 'stray'],
  ])('names the argument at fault in %j', (argv, problem, option) => {
    let caught: unknown;
    try {
      parseCommandLine(argv, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommandLineError);
    expect(caught).toMatchObject({ problem, option });
  });

  it('refuses an option named in `once` given twice, and keeps the last of the others', () => {
    expect(() => parseCommandLine(['--week', 'a', '--week=b'], options, { once: ['week'] })).toThrow(expect.objectContaining({ problem: 'given-twice', option: '--week' }));
    expect(parseCommandLine(['--week', 'a', '--week=b'], options).values.week).toBe('b');
  });
});

describe('an unknown flag, in each command', () => {
  it('npm run digest: one line naming it', () => {
    expect(() => parseDigestArgs(['--week', '2026-11-16', '--force'])).toThrow(new DigestArgumentError('unknown argument "--force"'));
    expect(() => parseDigestArgs(['--week', '2026-11-16', '--users=U0ABC'])).toThrow('unknown argument "--users=U0ABC"');
  });

  it('npm run simulate: one line naming it, with the usage', () => {
    expect(() => parseSimulateArgs(['-x'])).toThrow(SimulationArgumentError);
    expect(() => parseSimulateArgs(['--seeds=3'])).toThrow(/^unknown option --seeds \(usage: npm run simulate/);
  });

  it('npm run bench: one line naming it', () => {
    expect(() => parseBenchArgs(['--quick', '--fast'])).toThrow('unknown option --fast (try --help)');
    expect(() => parseBenchArgs(['--samples'])).toThrow('--samples needs a whole number above 0');
    expect(() => parseBenchArgs(['--only', 'ack,nope'])).toThrow('unknown benchmark nope; choose from ack, invite, burst, digest');
    expect(parseBenchArgs(['--quick', '--only=ack', '--samples', '3'])).toMatchObject({ quick: true, only: ['ack'], samples: 3, help: false });
  });

  async function command(script: string, args: string[]): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), script, ...args], { cwd: root, env: { PATH: process.env.PATH, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' } }, (error, _stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stderr });
      });
    });
  }

  it('npm run roster: the usage and exit 2, before any database is touched', async () => {
    const result = await command('src/cli/roster.ts', ['import', '--force', 'roster.csv']);
    expect(result).toEqual({ code: 2, stderr: 'usage: npm run roster -- import FILE.csv   (header: user,level,started_on,mentor[,manager][,team])\n' });
  });

  it('npm run db:migrate: one line naming it and exit 2, before any database is touched', async () => {
    const result = await command('src/cli/migrate.ts', ['--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('db:migrate: unknown argument "--dry-run"\nusage: npm run db:migrate   (no arguments: applies pending migrations)\n');
  });
});

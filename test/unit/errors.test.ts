import { CommandLineError } from '../../src/cli/args';
import { DigestArgumentError } from '../../src/cli/digest';
import { ReportArgumentError } from '../../src/cli/report';
import { ConfigError } from '../../src/config';
import { MigrationError } from '../../src/db/migrator';
import { DurationError } from '../../src/domain/duration';
import { WeekError } from '../../src/domain/iso-week';
import { WorkingTimeError } from '../../src/domain/working-time';
import { AppError, RetryableError } from '../../src/errors';
import { SimulationArgumentError } from '../../src/sim/options';

describe('one error family: every failure the app raises on purpose is an AppError with a string code', () => {
  it.each([
    [new ConfigError('PORT', 'is not a port'), 'invalid_config', 'PORT: is not a port'],
    [new DigestArgumentError('--week needs a value'), 'invalid_arguments', '--week needs a value'],
    [new ReportArgumentError('--weeks: "x" is not a whole number from 1 to 52'), 'invalid_arguments', '--weeks: "x" is not a whole number from 1 to 52'],
    [new SimulationArgumentError('--seed needs a value'), 'invalid_argument', '--seed needs a value'],
    [new MigrationError('checksum differs'), 'migration_failed', 'checksum differs'],
    [new WorkingTimeError('bad hours'), 'invalid_working_time', 'bad hours'],
    [new WeekError('not a Monday'), 'invalid_week', 'not a Monday'],
    [new DurationError('bad duration'), 'invalid_duration', 'bad duration'],
    [new CommandLineError('unknown-option', '--x', '--x'), 'invalid_command_line', 'unknown-option: --x'],
    [new RetryableError('ratelimited', 'users.list failed'), 'ratelimited', 'users.list failed'],
  ])('%p has its code and keeps its message', (error, code, message) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.name).toBe(error.constructor.name);
  });
});

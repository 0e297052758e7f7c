import { DEFAULT_SIMULATION, parseSimulateArgs, SimulationArgumentError } from '../../../src/sim/options';

describe('parseSimulateArgs', () => {
  it('defaults to a quarter of 200 engineers and 25 incidents a week, seed 1, as text', () => {
    expect(parseSimulateArgs([])).toEqual({ options: { weeks: 13, engineers: 200, incidentsPerWeek: 25, seed: 1, declineRate: 0 }, json: false, help: false });
    expect(DEFAULT_SIMULATION).toEqual({ weeks: 13, engineers: 200, incidentsPerWeek: 25, seed: 1, declineRate: 0 });
  });

  it('reads every flag, with a space or an equals sign', () => {
    expect(parseSimulateArgs(['--weeks', '4', '--engineers=50', '--incidents-per-week', '0', '--seed', '42', '--decline-rate', '0.3', '--json'])).toEqual({
      options: { weeks: 4, engineers: 50, incidentsPerWeek: 0, seed: 42, declineRate: 0.3 }, json: true, help: false,
    });
  });

  it.each([
    [['--wekks', '4'], /^unknown option --wekks/],
    [['4'], /^unexpected argument "4"/],
    [['--weeks', 'four'], /^--weeks: "four" is not a whole number from 1 to 104$/],
    [['--weeks', '0'], /^--weeks: "0" is not a whole number from 1 to 104$/],
    [['--weeks', '2.5'], /^--weeks: "2.5" is not a whole number/],
    [['--engineers', '100000'], /^--engineers: "100000" is not a whole number from 10 to 5000$/],
    [['--seed', '-1'], /^--seed: "-1" is not a whole number/],
    [['--seed'], /^--seed needs a value/],
    [['--weeks', '4', '--weeks', '5'], /^--weeks is given twice$/],
    [['--json=yes'], /^--json takes no value$/],
    [['--decline-rate', '1.5'], /^--decline-rate: "1.5" is not a number from 0 to 1/],
    [['--decline-rate', 'lots'], /^--decline-rate: "lots" is not a number from 0 to 1/],
    [['--decline-rate'], /^--decline-rate needs a value, a number from 0 to 1$/],
  ])('refuses %j with one clear line', (argv, message) => {
    expect(() => parseSimulateArgs(argv)).toThrow(SimulationArgumentError);
    expect(() => parseSimulateArgs(argv)).toThrow(message);
  });
});

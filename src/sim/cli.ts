import { config as loadDotenv } from 'dotenv';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { projectRoot } from '../paths';
import { parseSimulateArgs, SimulationArgumentError, SIMULATE_USAGE } from './options';
import { reportSimulation } from './report';
import { formatReport } from './report-text';
import { runSimulation } from './runner';

/** `npm run simulate`: SPEC.md section 10. Bad arguments or configuration exit 2 with one line. */
function main(argv: readonly string[]): number {
  loadDotenv({ path: path.join(projectRoot(), '.env') });
  try {
    const command = parseSimulateArgs(argv);
    if (command.help) {
      process.stdout.write(`${SIMULATE_USAGE}\n`);
      return 0;
    }
    const rules = loadConfig(process.env, 'cli');
    const report = reportSimulation(runSimulation(command.options, rules));
    process.stdout.write(command.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof SimulationArgumentError || error instanceof ConfigError) {
      process.stderr.write(`simulate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));

/**
 * Runs a command's `main` as the process: what it returns is the exit code, and a failure it did
 * not expect is one line on standard error and exit code 1. exitCode, not exit(): exit() drops
 * what is still buffered for a pipe.
 */
export function runAsCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}

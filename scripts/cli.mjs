// npm run db:migrate | roster | digest (and the operator commands still to come): `node scripts/cli.mjs NAME ARGS...`.
// In development (tsx installed, src/ present) it runs src/cli/NAME.ts from source, so no build is
// needed and an edit counts at once. In production (`npm prune --omit=dev` or the Docker image: no
// tsx) it runs the compiled dist/src/cli/NAME.js. Exit code and signals pass through.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  process.stderr.write('usage: node scripts/cli.mjs NAME [ARGS...]   (NAME: a file of src/cli)\n');
  process.exit(2);
}

function tsxLoader() {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('tsx');
  } catch {
    return null;
  }
}

const source = path.join(root, 'src', 'cli', `${name}.ts`);
const built = path.join(root, 'dist', 'src', 'cli', `${name}.js`);
let command;
if (existsSync(source) && tsxLoader()) command = ['--import', 'tsx', source, ...args];
else if (existsSync(built)) command = [built, ...args];
else {
  process.stderr.write(`smokejumper: no command "${name}": dist/src/cli/${name}.js is not built (npm run build) and tsx is not installed to run src/cli/${name}.ts\n`);
  process.exit(2);
}

const child = spawn(process.execPath, command, { cwd: process.cwd(), stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) {
    // The same death as the child's, for whoever waits on this process.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  else process.exit(code ?? 1);
});

// `npm start` runs this first (SPEC.md section 1: it works straight after `npm install`).
// It builds (`npm run build`: Prisma client, then tsc into dist/) only when dist/ is missing or
// older than what it is built from, so a normal start costs a few stat calls.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(root, 'dist', 'src', 'main.js');
/** What the build reads: a change to any of them makes dist stale. */
const SOURCES = ['src', 'prisma', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time under `target` (a file or a folder), or 0 when it does not exist. */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  return latest;
}

function reasonToBuild() {
  if (!existsSync(output)) return 'dist/ has not been built yet';
  // A production image ships dist/ without src/: nothing to compare with, nothing to build.
  if (!existsSync(path.join(root, 'src'))) return null;
  const built = statSync(output).mtimeMs;
  const changed = SOURCES.find((s) => newest(path.join(root, s)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

const reason = reasonToBuild();
if (reason) {
  if (!existsSync(path.join(root, 'src'))) {
    process.stderr.write('smokejumper: dist/ is missing and there is no src/ to build it from\n');
    process.exit(1);
  }
  process.stderr.write(`smokejumper: building first (${reason})\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`smokejumper: the build failed (exit ${result.status ?? result.signal}); fix it, or run \`npm run build\` to see why\n`);
    process.exit(1);
  }
}

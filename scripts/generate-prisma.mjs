// Generates the Prisma client into src/generated/prisma. The CLI would otherwise try to download
// a schema engine binary first; generation does not need it (docs/toolchain.md).
// The Prisma CLI is a dev dependency: the build generates the client and compiles it into dist/.
// `--if-installed` (postinstall) lets a production install (`npm ci --omit=dev`), which has no
// CLI and needs no client source, pass without generating.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  if (process.argv.includes('--if-installed')) {
    process.stderr.write('smokejumper: the Prisma CLI (a dev dependency) is not installed; the client is not generated (a production install runs the built dist/)\n');
    process.exit(0);
  }
  process.stderr.write('smokejumper: the Prisma CLI is not installed; `npm install` (with dev dependencies) first\n');
  process.exit(1);
}
execFileSync(process.execPath, [cli, 'generate'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});

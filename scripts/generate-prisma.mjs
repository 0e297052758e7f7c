// Generates the Prisma client into src/generated/prisma. The CLI would otherwise try to download
// a schema engine binary first; generation does not need it (docs/toolchain.md).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
execFileSync(process.execPath, [cli, 'generate'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});

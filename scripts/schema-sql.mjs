// Prints the SQL that creates prisma/schema.prisma from an empty database (used by the drift test,
// which runs it in a child process because jest does not load ES modules).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffSql } from './schema-engine.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.stdout.write(await diffSql(null, readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8')));

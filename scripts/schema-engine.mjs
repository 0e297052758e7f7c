// Prisma's schema engine as WebAssembly, loaded by hand: the CLI would download a native
// engine binary, which these machines cannot reach, and the package does not load as is on
// Node 20 (see docs/toolchain.md). Only schema-to-schema diffs are used: introspecting a
// live database fails in adapter-pg 7.10 on the "char" column type.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export async function loadSchemaEngine() {
  // The package's exports hide its files; find its folder through the module search path.
  const pkgDir = require.resolve.paths('@prisma/schema-engine-wasm')
    .map((dir) => path.join(dir, '@prisma/schema-engine-wasm'))
    .find((dir) => existsSync(path.join(dir, 'schema_engine_bg.wasm')));
  const bindings = await import(path.join(pkgDir, 'schema_engine_bg.js'));
  const bytes = readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm'));
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();

  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  // The engine connects once at start; a diff between two datamodels reads nothing from it.
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: url }));
  return bindings.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
}

/** SQL that takes a database from `fromSchema` (or nothing) to `toSchema`. */
export async function diffSql(fromSchema, toSchema) {
  const engine = await loadSchemaEngine();
  const target = (text) =>
    text === null
      ? { tag: 'empty' }
      : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: text }] };
  const result = await engine.diff({
    from: target(fromSchema),
    to: target(toSchema),
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return result.stdout ?? '';
}

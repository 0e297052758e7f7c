#!/usr/bin/env node
// Fails when the folders of src/ import each other in a cycle, or when a module below the way in
// (flows, jobs, the gateway, views, db, domain) imports the way in (listeners, the Bolt app).
// STYLE: arrows point down the list and never back up. Run by `npm test` (see package.json).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository by default; another root (a tree with a src/ folder) is for the script's own test.
const root = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
/** Generated code and the tools that drive the app from outside are not layers of the app. */
const IGNORED = new Set(['generated']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!IGNORED.has(name)) yield* files(full);
    } else if (full.endsWith('.ts')) yield full;
  }
}

/** The unit of layering: `src/<folder>` for files in a folder, `src/<file>` for files at the top. */
function unitOf(file) {
  const rel = path.relative(src, file).split(path.sep);
  return rel.length === 1 ? rel[0].replace(/\.ts$/, '') : rel[0];
}

function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next form */
    }
  }
  return null;
}

// `import type` is left out: it makes no edge at run time, and deps.ts (the bag of what flows need) is types only.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;

/** unit -> unit -> the first file pair that makes the edge, for the message */
const edges = new Map();
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const target = resolveImport(file, spec);
    if (!target || !target.startsWith(src + path.sep) || IGNORED.has(path.relative(src, target).split(path.sep)[0])) continue;
    const a = unitOf(file);
    const b = unitOf(target);
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    if (!edges.get(a).has(b)) edges.get(a).set(b, `${path.relative(root, file)} imports ${path.relative(root, target)}`);
  }
}

const problems = [];

// The way in is imported only by the composition root and the tools that start the app.
const WAY_IN = new Set(process.env.CHECK_LAYERS_WAY_IN?.split(',') ?? ['listeners']);
const BELOW_WAY_IN = ['flows', 'jobs', 'slack', 'db', 'domain'];
for (const unit of BELOW_WAY_IN) {
  for (const [target, why] of edges.get(unit) ?? []) {
    if (WAY_IN.has(target)) problems.push(`src/${unit} must not import the way in (src/${target}): ${why}`);
  }
}

// Any cycle between units, found by depth-first search.
const state = new Map();
const stack = [];
function visit(unit) {
  state.set(unit, 'open');
  stack.push(unit);
  for (const next of edges.get(unit)?.keys() ?? []) {
    if (state.get(next) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(next)), next];
      const steps = cycle.slice(0, -1).map((u, i) => `  ${edges.get(u).get(cycle[i + 1])}`);
      problems.push(`a cycle between src folders: ${cycle.map((u) => `src/${u}`).join(' -> ')}\n${steps.join('\n')}`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(unit, 'done');
}
for (const unit of [...edges.keys()].sort()) if (!state.has(unit)) visit(unit);

if (problems.length > 0) {
  process.stderr.write(`check-layers: ${problems.length} problem(s)\n${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`check-layers: ${edges.size} folders of src/, no cycle, nothing below the way in imports it\n`);

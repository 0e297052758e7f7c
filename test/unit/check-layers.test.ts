import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve(__dirname, '../../scripts/check-layers.mjs');

function check(root?: string): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [script, ...(root ? [root] : [])], { encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** A tree with a src/ folder holding the given files. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'check-layers-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, 'src', file)), { recursive: true });
    writeFileSync(path.join(root, 'src', file), text);
  }
  return root;
}

describe('scripts/check-layers.mjs', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const fixture = (files: Record<string, string>): string => {
    const root = tree(files);
    made.push(root);
    return root;
  };

  it('passes on this repository (src/listeners is the way in)', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.stdout).toContain('no cycle');
    expect(run.status).toBe(0);
  });

  it('fails on a cycle between two folders, naming the files that make it', () => {
    const root = fixture({
      'flows/a.ts': "import { b } from '../slack/b';\nexport const a = () => b;\n",
      'slack/b.ts': "import { a } from '../flows/a';\nexport const b = () => a;\n",
    });
    const run = check(root);
    expect(run.status).toBe(1);
    expect(run.out).toContain('a cycle between src folders: src/flows -> src/slack -> src/flows');
    expect(run.out).toContain('src/flows/a.ts imports src/slack/b.ts');
  });

  it('fails when a flow imports the way in, even with no cycle', () => {
    const root = fixture({
      'listeners/index.ts': 'export const register = 1;\n',
      'flows/a.ts': "import { register } from '../listeners';\nexport const a = register;\n",
    });
    const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('src/flows must not import the way in (src/listeners)');
  });

  it('lets a type-only import through (no edge at run time)', () => {
    const root = fixture({
      'flows/a.ts': "import type { B } from '../slack/b';\nexport const a: B = 1;\n",
      'slack/b.ts': "import { a } from '../flows/a';\nexport type B = number;\nexport const b = a;\n",
    });
    expect(check(root).status).toBe(0);
  });
});

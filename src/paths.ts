import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder with package.json, whether this runs from src/ (tsx, jest) or from dist/src/ (npm start). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

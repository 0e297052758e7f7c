import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Slack's own sample payloads live in ../shared/slack/fixtures beside the repository (CI lays a
 * copy there); tests read real shapes from it instead of inventing them.
 */
export const FIXTURES_DIR = [path.resolve(__dirname, '../../../shared/slack/fixtures'), '/work/shared/slack/fixtures'].find((p) => existsSync(p)) ??
  path.resolve(__dirname, '../../../shared/slack/fixtures');

export function fixturePath(relative: string): string {
  return path.join(FIXTURES_DIR, relative);
}

export function readFixture<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(fixturePath(relative), 'utf8')) as T;
}

export function readFixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

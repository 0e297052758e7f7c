import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Slack's own sample payloads, copied into the repository with their sources
 * (test/fixtures/slack/SOURCES.md), so that tests read real shapes instead of inventing them.
 */
export const FIXTURES_DIR = path.resolve(__dirname, '../fixtures/slack');

export function fixturePath(relative: string): string {
  return path.join(FIXTURES_DIR, relative);
}

export function readFixture<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(fixturePath(relative), 'utf8')) as T;
}

export function readFixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

#!/usr/bin/env node
// Writes manifest.socket.json from manifest.json: the same app over Socket Mode (no request URLs),
// so the two never drift. test/unit/manifest.test.ts checks that they differ in nothing else.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8'));
const strip = (node) => {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'url' && k !== 'request_url').map(([k, v]) => [k, strip(v)]));
  }
  return node;
};
const socket = strip(manifest);
socket.settings.socket_mode_enabled = true;
writeFileSync(path.join(root, 'manifest.socket.json'), `${JSON.stringify(socket, null, 2)}\n`);

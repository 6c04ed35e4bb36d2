// The folders of src/ import only folders below them (README "A map of the code").
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const script = path.join(import.meta.dirname, '..', '..', 'scripts', 'folder-imports.mjs');

it('has no import cycle between folders of src/, and client/ imports nothing above it', () => {
  const edges = execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim().split('\n');
  const fromClient = edges.filter((e) => e.startsWith('client -> ')).map((e) => e.slice('client -> '.length));
  expect(fromClient.every((to) => ['common', 'go', 'io', 'proto'].includes(to))).toBe(true);
});

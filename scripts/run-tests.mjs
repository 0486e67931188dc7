#!/usr/bin/env node
// Runs every `*.test.ts` under src/ and test/ with Node's test runner (TypeScript through tsx).
// Arguments narrow the run to files whose path contains one of them. Before the real-VS-Code suites
// it installs what they need when it is missing (test/e2e/vscode/provision.mjs); what it cannot
// install it names, and those suites then fail saying so: they never skip.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { provisionEndToEndTools } from '../test/e2e/vscode/provision.mjs';

const root = join(import.meta.dirname, '..');
const skip = new Set(['node_modules', 'dist', 'fixtures', 'test-results', '.git']);

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skip.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return collect(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

const filters = process.argv.slice(2);
const files = ['src', 'test']
  .flatMap((dir) => collect(join(root, dir)))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
if (files.some((file) => file.startsWith(join('test', 'e2e', 'vscode-')))) {
  for (const problem of provisionEndToEndTools()) console.error(problem);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

/**
 * Ruff's side of the benchmark, run as a process of its own: checks every Python file the CLI
 * would read (the same discovery) with the wasm build of Ruff, the flake8-async rules and RUF006
 * selected, and prints what it found as JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import { PositionEncoding, Workspace, type Diagnostic } from '@astral-sh/ruff-wasm-nodejs';
import { languageOf } from '../../src/workspace/analyze';
import { discoverSourceFiles } from '../../src/workspace/discovery';
import { countLines } from '../../src/workspace/file-analysis';

export interface RuffRunResult {
  version: string;
  files: number;
  lines: number;
  findings: Record<string, number>;
}

const roots = process.argv.slice(2);
if (roots.length === 0) throw new Error('usage: ruff-check <directory>...');
const workspace = new Workspace({ lint: { select: ['ASYNC', 'RUF006'] } }, PositionEncoding.Utf16);
const result: RuffRunResult = { version: Workspace.version(), files: 0, lines: 0, findings: {} };
for (const path of discoverSourceFiles(roots, { exclude: [], excludeBase: roots[0]! }).files) {
  if (languageOf(path) !== 'python') continue;
  const text = readFileSync(path, 'utf8');
  result.files++;
  result.lines += countLines(text);
  for (const diagnostic of workspace.check(text) as Diagnostic[]) {
    const code = diagnostic.code ?? 'syntax-error';
    result.findings[code] = (result.findings[code] ?? 0) + 1;
  }
}
process.stdout.write(JSON.stringify(result));

/**
 * The floor under Interleave's time, run as a process of its own: reads every Python file the CLI
 * would read and parses it with tree-sitter, nothing more (no facts, no rules). What the CLI
 * spends beyond this is its own analysis; this much it cannot avoid while it parses with
 * tree-sitter's wasm build.
 */
import { readFileSync } from 'node:fs';
import { languageOf } from '../../src/workspace/analyze';
import { discoverSourceFiles } from '../../src/workspace/discovery';
import { loadPythonParser, parsePython } from '../../src/python/parser';

export interface ParseOnlyResult {
  files: number;
  /** Time inside tree-sitter's parse, without start-up and reading, in milliseconds. */
  parseMs: number;
}

async function main(roots: readonly string[]): Promise<void> {
  await loadPythonParser();
  const result: ParseOnlyResult = { files: 0, parseMs: 0 };
  for (const path of discoverSourceFiles(roots, { exclude: [], excludeBase: roots[0]! }).files) {
    if (languageOf(path) !== 'python') continue;
    const text = readFileSync(path, 'utf8');
    const started = performance.now();
    parsePython(text).delete();
    result.parseMs += performance.now() - started;
    result.files++;
  }
  process.stdout.write(JSON.stringify(result));
}

const roots = process.argv.slice(2);
if (roots.length === 0) throw new Error('usage: parse-only <directory>...');
void main(roots);

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;

/** Finds a wasm file next to the bundle (dist/) or, when running from source, in its package. */
function locateWasm(file: string, packageName: string): string {
  const bundled = join(__dirname, file);
  return existsSync(bundled) ? bundled : require.resolve(`${packageName}/${file}`);
}

/** Loads web-tree-sitter and the Python grammar once per process (or worker thread). */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init({ locateFile: () => locateWasm('web-tree-sitter.wasm', 'web-tree-sitter') });
    const language = await Language.load(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python'));
    parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}

/**
 * Parses Python source. Pass the previous tree, already `edit`ed, to re-parse incrementally.
 * Requires `loadPythonParser()` to have resolved.
 */
export function parsePython(source: string, previous?: Tree): Tree {
  if (!parser) throw new Error('loadPythonParser() must resolve before parsePython()');
  const tree = parser.parse(source, previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

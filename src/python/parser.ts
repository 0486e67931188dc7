import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;
let cursorExports: CursorExports | undefined;

/** Finds a wasm file next to the bundle (dist/) or, when running from source, in its package. */
function locateWasm(file: string, packageName: string): string {
  const bundled = join(__dirname, file);
  return existsSync(bundled) ? bundled : require.resolve(`${packageName}/${file}`);
}

/**
 * The tree cursor functions of web-tree-sitter's wasm module. Each takes the tree's address and
 * works on the cursor kept in the module's transfer buffer: `new` creates it there from the node
 * last written there, moves write it back, and reads leave it in place.
 */
interface CursorExports {
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const CURSOR_EXPORTS: readonly (keyof CursorExports)[] = [
  '_ts_tree_cursor_new_wasm',
  '_ts_tree_cursor_delete_wasm',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
];

/**
 * Emscripten builds the module on the options object it is given, so after `Parser.init` that
 * object holds the wasm exports. Checked here, so a web-tree-sitter release that changes them fails
 * at load with a clear message rather than later in a walk.
 */
function cursorExportsOf(module: object): CursorExports {
  const missing = CURSOR_EXPORTS.filter((name) => typeof (module as Partial<Record<string, unknown>>)[name] !== 'function');
  if (missing.length > 0) throw new Error(`web-tree-sitter no longer exports ${missing.join(', ')}: src/python/parser.ts walks trees with them`);
  return module as CursorExports;
}

/** Loads web-tree-sitter and the Python grammar once per process (or worker thread). */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const moduleOptions = { locateFile: () => locateWasm('web-tree-sitter.wasm', 'web-tree-sitter') };
    await Parser.init(moduleOptions);
    cursorExports = cursorExportsOf(moduleOptions);
    const language = await Language.load(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python'));
    parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}

/**
 * tree-sitter-python ends lines only at `\n`; Python, editors and LSP positions also end them at a
 * lone `\r` (old Mac files), so it reads such a file as one broken line. The replacement keeps
 * every offset, and rows then count lines as the rest of Interleave does.
 */
function withLineFeeds(source: string): string {
  return source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
}

/**
 * Parses Python source. Pass the previous tree, already `edit`ed, to re-parse incrementally.
 * Requires `loadPythonParser()` to have resolved.
 */
export function parsePython(source: string, previous?: Tree): Tree {
  if (!parser) throw new Error('loadPythonParser() must resolve before parsePython()');
  const tree = parser.parse(withLineFeeds(source), previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/**
 * A depth-first walk over a whole tree that calls the wasm cursor functions directly.
 * web-tree-sitter's TreeCursor copies the cursor into and out of wasm memory around every call,
 * which costs more than the call itself; this walk leaves it in the transfer buffer throughout.
 * Nothing else may call into web-tree-sitter until `finish()`, which frees the cursor.
 */
export class TreeWalk {
  private readonly wasm: CursorExports;
  /** The tree's address in wasm memory (web-tree-sitter keeps it as the Tree's element 0). */
  private readonly tree: number;

  constructor(tree: Tree) {
    if (!cursorExports) throw new Error('loadPythonParser() must resolve before walking a tree');
    this.wasm = cursorExports;
    this.tree = (tree as unknown as Readonly<Record<number, number>>)[0]!;
    // Reading the root node leaves it in the transfer buffer, where `new` takes it from.
    void tree.rootNode;
    this.wasm._ts_tree_cursor_new_wasm(this.tree);
  }

  get typeId(): number {
    return this.wasm._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }

  get isNamed(): boolean {
    return this.wasm._ts_tree_cursor_current_node_is_named_wasm(this.tree) === 1;
  }

  get isMissing(): boolean {
    return this.wasm._ts_tree_cursor_current_node_is_missing_wasm(this.tree) === 1;
  }

  get fieldId(): number {
    return this.wasm._ts_tree_cursor_current_field_id_wasm(this.tree);
  }

  /** In UTF-16 code units, as JavaScript strings count. */
  get startIndex(): number {
    return this.wasm._ts_tree_cursor_start_index_wasm(this.tree);
  }

  get endIndex(): number {
    return this.wasm._ts_tree_cursor_end_index_wasm(this.tree);
  }

  gotoFirstChild(): boolean {
    return this.wasm._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }

  gotoNextSibling(): boolean {
    return this.wasm._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }

  gotoParent(): boolean {
    return this.wasm._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }

  finish(): void {
    this.wasm._ts_tree_cursor_delete_wasm(this.tree);
  }
}

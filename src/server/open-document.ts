/**
 * A document the editor has open: its text, kept current from incremental changes, and for Python
 * its tree-sitter tree, edited along with the text so the next parse reuses every unchanged
 * subtree. TypeScript and JavaScript documents are parsed whole from their syntax: the compiler
 * parses a file in milliseconds, and an editor's unsaved text is in no Program.
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { Edit, type Tree } from 'web-tree-sitter';
import type { ParsedModule } from '../core/engine';
import { extractFacts } from '../python/frontend';
import { parsePython } from '../python/parser';
import { analyzeTypeScript } from '../typescript/frontend';
import { languageOf } from '../workspace/analyze';

/** Where the text's line breaks leave a position after inserting `text` at `start`. */
function endAfterInsert(start: { line: number; character: number }, text: string): { row: number; column: number } {
  const breaks = [...text.matchAll(/\r\n|\n|\r/g)];
  if (breaks.length === 0) return { row: start.line, column: start.character + text.length };
  const last = breaks[breaks.length - 1]!;
  return { row: start.line + breaks.length, column: text.length - (last.index + last[0].length) };
}

export class OpenDocument {
  private document: TextDocument;
  /** The last parse, edited to match the current text; undefined before the first parse or after a full replacement. */
  private tree: Tree | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    version: number,
    text: string,
  ) {
    this.document = TextDocument.create(uri, languageId, version, text);
  }

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  get textDocument(): TextDocument {
    return this.document;
  }

  /**
   * Applies the client's changes in order (each range refers to the text after the previous
   * change) and tells the tree about each one.
   */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change) {
        const { start, end } = change.range;
        const startIndex = this.document.offsetAt(start);
        const oldEndIndex = this.document.offsetAt(end);
        // Positions are clamped by the document; the tree gets the clamped ones too.
        const clampedStart = this.document.positionAt(startIndex);
        const clampedEnd = this.document.positionAt(oldEndIndex);
        this.tree?.edit(
          new Edit({
            startIndex,
            oldEndIndex,
            newEndIndex: startIndex + change.text.length,
            startPosition: { row: clampedStart.line, column: clampedStart.character },
            oldEndPosition: { row: clampedEnd.line, column: clampedEnd.character },
            newEndPosition: endAfterInsert(clampedStart, change.text),
          }),
        );
        this.document = TextDocument.update(this.document, [change], version);
      } else {
        this.dropTree();
        this.document = TextDocument.update(this.document, [change], version);
      }
    }
    // The version moves even when a client sends no changes.
    this.document = TextDocument.update(this.document, [], version);
  }

  /**
   * Parses the current text, incrementally when a tree is kept, and extracts the facts. The new
   * tree replaces the old one.
   */
  parse(path: string, moduleName: string): ParsedModule {
    const text = this.text;
    if (languageOf(path) === 'typescript') return analyzeTypeScript(text, path, moduleName);
    const tree = parsePython(text, this.tree);
    this.dropTree();
    this.tree = tree;
    return extractFacts(tree, text, path, moduleName);
  }

  /** Frees the tree's wasm memory; the next parse starts from scratch. */
  dropTree(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}

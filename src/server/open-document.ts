/**
 * A document the editor has open: its text, kept current from incremental changes, and the edits
 * made since its last analysis was sent, which the analysis thread replays on the tree-sitter tree
 * it keeps, so the next parse reuses every unchanged subtree (src/server/document-parser.ts).
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TreeEdit } from './document-parser';

/** Where the text's line breaks leave a position after inserting `text` at `start`. */
function endAfterInsert(start: { line: number; character: number }, text: string): { row: number; column: number } {
  const breaks = [...text.matchAll(/\r\n|\n|\r/g)];
  if (breaks.length === 0) return { row: start.line, column: start.character + text.length };
  const last = breaks[breaks.length - 1]!;
  return { row: start.line + breaks.length, column: text.length - (last.index + last[0].length) };
}

/** The edits since the text was last handed out, or `full` when the text was replaced whole. */
export type PendingEdits = TreeEdit[] | 'full';

export class OpenDocument {
  private document: TextDocument;
  private edits: PendingEdits = 'full';

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
   * change) and records each one as a tree edit.
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
        if (this.edits !== 'full') {
          this.edits.push({
            startIndex,
            oldEndIndex,
            newEndIndex: startIndex + change.text.length,
            startPosition: { row: clampedStart.line, column: clampedStart.character },
            oldEndPosition: { row: clampedEnd.line, column: clampedEnd.character },
            newEndPosition: endAfterInsert(clampedStart, change.text),
          });
        }
      } else {
        this.edits = 'full';
      }
      this.document = TextDocument.update(this.document, [change], version);
    }
    // The version moves even when a client sends no changes.
    this.document = TextDocument.update(this.document, [], version);
  }

  /** The edits since the last call, for the analysis that is about to parse the current text. */
  takeEdits(): PendingEdits {
    const edits = this.edits;
    this.edits = [];
    return edits;
  }

  /** The next analysis parses from scratch (the tree it would edit is gone). */
  forgetEdits(): void {
    this.edits = 'full';
  }
}

/**
 * The analysis thread's side of open documents: one tree-sitter tree per open Python document,
 * edited with the edits the editor made since its last parse so the next parse reuses every
 * unchanged subtree, and what its last extraction made (src/python/extraction-memo.ts), so the
 * next one rebuilds only the functions the edits changed. TypeScript and JavaScript documents are
 * parsed whole from their syntax: the compiler parses a file in milliseconds, and an editor's
 * unsaved text is in no Program.
 */
import { Edit, type Tree } from 'web-tree-sitter';
import type { ParsedModule } from '../core/engine';
import { extractFacts } from '../python/frontend';
import { ExtractionMemo } from '../python/extraction-memo';
import { parsePython } from '../python/parser';
import { analyzeTypeScript } from '../typescript/frontend';
import { languageOf } from '../workspace/analyze';
import type { PendingEdits } from './open-document';

/** One change as tree-sitter's `Tree.edit` takes it, as plain data that crosses to the thread. */
export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: { row: number; column: number };
  oldEndPosition: { row: number; column: number };
  newEndPosition: { row: number; column: number };
}

export class DocumentParsers {
  private readonly trees = new Map<string, Tree>();
  private readonly memos = new Map<string, ExtractionMemo>();

  /**
   * Parses a document's current text, incrementally when its tree is kept and `edits` lead from
   * that tree's text to this one; the new tree replaces the old.
   */
  parse(uri: string, path: string, moduleName: string, text: string, edits: PendingEdits): ParsedModule {
    if (languageOf(path) === 'typescript') return analyzeTypeScript(text, path, moduleName);
    const previous = edits === 'full' ? undefined : this.trees.get(uri);
    if (previous && edits !== 'full') for (const edit of edits) previous.edit(new Edit(edit));
    let tree: Tree;
    try {
      tree = parsePython(text, previous);
    } finally {
      this.drop(uri);
    }
    this.trees.set(uri, tree);
    let memo = this.memos.get(uri);
    if (!memo) this.memos.set(uri, (memo = new ExtractionMemo()));
    return extractFacts(tree, text, path, moduleName, memo);
  }

  /** Frees a document's tree; its next parse starts from scratch. */
  drop(uri: string): void {
    this.trees.get(uri)?.delete();
    this.trees.delete(uri);
  }

  /** Forgets all of a closed document. */
  close(uri: string): void {
    this.drop(uri);
    this.memos.delete(uri);
  }
}

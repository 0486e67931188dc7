import type { Language, Tree } from 'web-tree-sitter';
import { spendBudget } from '../core/budget';
import { changedRegion } from '../core/text-edits';
import { TreeWalk } from './parser';

export interface Point {
  row: number;
  column: number;
}

/** Line start offsets (UTF-16), to turn offsets into rows and columns on demand. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(source: string) {
    for (let index = 0; index < source.length; index++) {
      const char = source.charCodeAt(index);
      if (char === 10 || (char === 13 && source.charCodeAt(index + 1) !== 10)) this.starts.push(index + 1);
    }
  }

  point(offset: number): Point {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: offset - this.starts[low]! };
  }
}

const NONE: readonly SyntaxNode[] = Object.freeze([]);
const NO_FIELDS: readonly (string | null)[] = Object.freeze([]);

/**
 * Punctuation tokens the frontend never reads. Leaving them out of the copy saves about a third
 * of the nodes; operators and keywords (`+=`, `not in`, `async`) are kept.
 */
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '=']);

/**
 * A syntax tree node in plain JavaScript, copied from tree-sitter's tree in one cursor walk.
 * web-tree-sitter allocates a wrapper and crosses into wasm on every property access; the
 * frontend touches each node many times, so it works on these copies instead. The API mirrors
 * the subset of web-tree-sitter's `Node` the frontend uses, with the same names, except that
 * punctuation tokens are absent.
 */
export class SyntaxNode {
  parent: SyntaxNode | null = null;
  hasError = false;
  /** Set on the root: every named node by type, in document order. */
  byType?: Map<string, SyntaxNode[]>;
  private all?: SyntaxNode[];
  private named?: SyntaxNode[];
  private fieldNames?: (string | null)[];

  private start?: Point;
  private end?: Point;

  constructor(
    private readonly source: string,
    private readonly lines: LineIndex,
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return (this.start ??= this.lines.point(this.startIndex));
  }

  get endPosition(): Point {
    return (this.end ??= this.lines.point(this.endIndex));
  }

  get children(): readonly SyntaxNode[] {
    return this.all ?? NONE;
  }

  get namedChildren(): readonly SyntaxNode[] {
    return this.named ?? NONE;
  }

  /** Field name of each child, parallel to `children`. */
  get fields(): readonly (string | null)[] {
    return this.fieldNames ?? NO_FIELDS;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  fieldNameForChild(index: number): string | null {
    return this.fields[index] ?? null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const index = this.fields.indexOf(name);
    return index < 0 ? null : this.children[index]!;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    return this.children.filter((_, index) => this.fields[index] === name);
  }

  equals(other: SyntaxNode | null | undefined): boolean {
    return this === other;
  }

  /** Named descendants of the given types (and this node, if it matches), in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    if (this.byType) {
      if (wanted.length === 1) return [...(this.byType.get(wanted[0]!) ?? [])];
      return wanted.flatMap((type) => this.byType!.get(type) ?? []).sort((a, b) => a.id - b.id);
    }
    const found: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.isNamed && wanted.includes(node.type)) found.push(node);
      const children = node.children;
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
    }
    return found;
  }

  /** Used while copying: appends a child with the field it fills. */
  adopt(child: SyntaxNode, field: string | null): void {
    child.parent = this;
    (this.all ??= []).push(child);
    (this.fieldNames ??= []).push(field);
    if (child.isNamed) (this.named ??= []).push(child);
  }
}

/** Per grammar symbol: its name, and whether it is punctuation the copy leaves out. */
interface SymbolTable {
  types: readonly string[];
  punctuation: readonly boolean[];
}

const symbolTables = new WeakMap<Language, SymbolTable>();

function symbolTable(language: Language): SymbolTable {
  let table = symbolTables.get(language);
  if (!table) {
    // web-tree-sitter names ids it has no name for (the error symbol) "ERROR".
    const types = Array.from(language.types, (type) => type || 'ERROR');
    table = { types, punctuation: types.map((type) => PUNCTUATION.has(type)) };
    symbolTables.set(language, table);
  }
  return table;
}

/**
 * Copies a tree-sitter tree into SyntaxNodes, depth-first in one walk. Node ids follow document
 * order. With the copy of an earlier version of the text, the top-level statements before the
 * first character that differs are taken from it instead (see `unchangedPrefix`).
 */
export function copyTree(tree: Tree, source: string, previous?: SyntaxNode): SyntaxNode {
  const { types, punctuation } = symbolTable(tree.language);
  const fields = tree.language.fields;
  const lines = new LineIndex(source);
  const hasErrors = tree.rootNode.hasError;
  const walk = new TreeWalk(tree);
  let nextId = 0;
  // Each read is a call into wasm: read only what every node needs.
  const make = (type: string, isNamed: boolean): SyntaxNode =>
    new SyntaxNode(source, lines, nextId++, type, isNamed, hasErrors && walk.isMissing, walk.startIndex, walk.endIndex);
  const root = make(types[walk.typeId] ?? 'ERROR', walk.isNamed);
  if (hasErrors && (root.type === 'ERROR' || root.isMissing)) markError(root);
  const byType = new Map<string, SyntaxNode[]>([[root.type, [root]]]);
  let parent = root;
  let done = !walk.gotoFirstChild();
  if (!done && previous) {
    const kept = unchangedPrefix(previous, source, walk, types);
    kept.statements.forEach((statement, index) => root.adopt(statement, kept.fields[index] ?? null));
    for (const [type, nodes] of previous.byType ?? []) {
      const before = nodes.filter((node) => node.id > 0 && node.id < kept.nextId);
      if (before.length > 0) byType.set(type, [...(byType.get(type) ?? []), ...before]);
    }
    nextId = kept.nextId;
    done = kept.exhausted;
  }
  while (!done) {
    spendBudget();
    const typeId = walk.typeId;
    const isNamed = walk.isNamed;
    if (isNamed || !punctuation[typeId] || (hasErrors && walk.isMissing)) {
      const node = make(types[typeId] ?? 'ERROR', isNamed);
      parent.adopt(node, fields[walk.fieldId] ?? null);
      if (hasErrors && (node.type === 'ERROR' || node.isMissing)) markError(node);
      if (isNamed) {
        let list = byType.get(node.type);
        if (!list) byType.set(node.type, (list = []));
        list.push(node);
      }
      if (!isPlainString(node, source) && walk.gotoFirstChild()) {
        parent = node;
        continue;
      }
    }
    while (!walk.gotoNextSibling()) {
      if (!walk.gotoParent() || parent === root) {
        done = true;
        break;
      }
      parent = parent.parent!;
    }
  }
  walk.finish();
  root.byType = byType;
  return root;
}

/**
 * The leading top-level statements of an earlier copy that end before the first character where
 * its text and `source` differ, and that the new tree holds unchanged (same type and extent, no
 * error): their text, positions and structure are the same in both versions. The walk is left on
 * the first statement that was not kept, or `exhausted` when there is none. The kept nodes keep
 * the ids of the earlier copy, which numbered them first in document order: new nodes are
 * numbered from `nextId` on.
 */
function unchangedPrefix(
  previous: SyntaxNode,
  source: string,
  walk: TreeWalk,
  types: readonly string[],
): { statements: SyntaxNode[]; fields: (string | null)[]; nextId: number; exhausted: boolean } {
  const changedAt = changedRegion(previous.text, source).start;
  const statements: SyntaxNode[] = [];
  let exhausted = false;
  for (const candidate of previous.children) {
    const same =
      candidate.endIndex < changedAt &&
      !candidate.hasError &&
      candidate.startIndex === walk.startIndex &&
      candidate.endIndex === walk.endIndex &&
      candidate.isNamed === walk.isNamed &&
      candidate.type === (types[walk.typeId] ?? 'ERROR');
    if (!same) break;
    statements.push(candidate);
    if (!walk.gotoNextSibling()) {
      exhausted = true;
      break;
    }
  }
  let last: SyntaxNode | undefined = statements[statements.length - 1];
  while (last && last.children.length > 0) last = last.children[last.children.length - 1];
  return { statements, fields: previous.fields.slice(0, statements.length), nextId: last ? last.id + 1 : 1, exhausted };
}

/**
 * A string literal without interpolation: its parts are never read (`stringValue` slices the
 * text), so the copy does not descend into it. f-strings keep their children.
 */
function isPlainString(node: SyntaxNode, source: string): boolean {
  if (node.type !== 'string') return false;
  for (let index = node.startIndex; index < node.endIndex; index++) {
    const char = source[index]!;
    if (char === '"' || char === "'") return true;
    if (char === 'f' || char === 'F') return false;
  }
  return true;
}

/**
 * Marks an ERROR or MISSING node and its ancestors, so `hasError` holds for every node with one at
 * or below it. Marking stops at a node already marked: its ancestors are too.
 */
function markError(node: SyntaxNode): void {
  for (let current: SyntaxNode | null = node; current && !current.hasError; current = current.parent) current.hasError = true;
}

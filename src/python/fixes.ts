import type { LockKind, ModuleFacts, Range, StatementRef } from '../core/facts';
import type { TextEdit } from '../core/hazard';
import type { FixBuilder } from '../core/rule';

const LOCK_CONSTRUCTOR: Record<LockKind, { module: string; call: string }> = {
  asyncio: { module: 'asyncio', call: 'asyncio.Lock()' },
  threading: { module: 'threading', call: 'threading.Lock()' },
};

function comesBefore(a: Range, b: Range): boolean {
  return a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character <= b.start.character);
}

/** `RequestCounter` → `request_counter_lock`, `app.state` → `app_state_lock`. */
export function lockNameFor(stateRoot: string): string {
  const snake = stateRoot
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/^_+|_+$/g, '');
  return `${snake || 'state'}_lock`;
}

/** Python edits: indentation-aware, never touching lines inside multi-line strings. */
export class PythonFixBuilder implements FixBuilder {
  private readonly lines: string[];

  constructor(
    private readonly facts: ModuleFacts,
    private readonly stringLines: ReadonlySet<number>,
  ) {
    this.lines = facts.source.split(/\r?\n|\r/);
  }

  wrapInLock(
    from: StatementRef,
    to: StatementRef,
    lock: { kind: LockKind; stateRoot: string },
  ): { edits: TextEdit[]; lockName: string } | undefined {
    let depth = 0;
    while (depth < from.suites.length && depth < to.suites.length && from.suites[depth] === to.suites[depth]) depth++;
    if (depth === 0) return undefined;
    const a = depth === from.suites.length ? from.range : from.ancestors[depth - 1]!;
    const b = depth === to.suites.length ? to.range : to.ancestors[depth - 1]!;
    const [first, last] = comesBefore(a, b) ? [a, b] : [b, a];
    const indent = this.lines[first.start.line]!.slice(0, first.start.character);
    if (!/^[ \t]*$/.test(indent)) return undefined; // the statement shares its line with another
    const trailing = this.lines[last.end.line]!.slice(last.end.character);
    if (!/^\s*(#.*)?$/.test(trailing)) return undefined;

    const { name, definition } = this.lockDefinition(lock.kind, lock.stateRoot);
    const unit = this.indentUnit(indent);
    const keyword = lock.kind === 'asyncio' ? 'async with' : 'with';
    const edits: TextEdit[] = [];
    if (definition) edits.push(...definition);
    edits.push({ range: point(first.start.line, 0), newText: `${indent}${keyword} ${name}:\n` });
    for (let line = first.start.line; line <= last.end.line; line++) {
      if (this.stringLines.has(line) || this.lines[line]!.trim() === '') continue;
      edits.push({ range: point(line, 0), newText: unit });
    }
    return { edits, lockName: name };
  }

  /** Reuses a module-level lock named for the state, or defines one after the imports. */
  private lockDefinition(kind: LockKind, stateRoot: string): { name: string; definition?: TextEdit[] } {
    const preferred = lockNameFor(stateRoot);
    const existing = this.facts.locks.find((lock) => lock.name === preferred && lock.kind === kind);
    if (existing) return { name: existing.name };
    let name = preferred;
    const taken = new Set([...this.facts.state.map((s) => s.root), ...this.facts.imports.map((i) => i.local), ...this.facts.locks.map((l) => l.name)]);
    for (let suffix = 2; taken.has(name); suffix++) name = `${preferred}_${suffix}`;
    const { module, call } = LOCK_CONSTRUCTOR[kind];
    const imported = this.facts.imports.some((fact) => fact.local === module && fact.target === module);
    const line = this.insertionLine();
    const text = `${imported ? '' : `import ${module}\n`}${line.blankBefore ? '\n' : ''}${name} = ${call}\n${line.blankAfter ? '\n' : ''}`;
    return { name, definition: [{ range: point(line.line, 0), newText: text }] };
  }

  /** The line after the module's top-level imports, or after its leading comments and docstring. */
  private insertionLine(): { line: number; blankBefore: boolean; blankAfter: boolean } {
    const lastImport = this.facts.imports
      .filter((fact) => fact.range.start.character === 0)
      .reduce((max, fact) => Math.max(max, fact.range.end.line), -1);
    let line = lastImport + 1;
    if (lastImport < 0) {
      while (line < this.lines.length && (this.lines[line]!.startsWith('#') || this.stringLines.has(line + 1) || /^[rRbBuU]?("""|''')/.test(this.lines[line]!))) {
        line++;
        while (this.stringLines.has(line)) line++;
      }
    }
    return { line, blankBefore: lastImport >= 0, blankAfter: (this.lines[line] ?? '').trim() !== '' };
  }

  private indentUnit(indent: string): string {
    if (indent.includes('\t')) return '\t';
    for (const line of this.lines) {
      const match = /^( +)\S/.exec(line);
      if (match) return match[1]!.length <= 8 ? match[1]! : '    ';
    }
    return '    ';
  }
}

function point(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

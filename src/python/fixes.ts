import type { ApplicationFact, CallEvent, FunctionFacts, LockKind, ModuleFacts, Position, Range, StatementRef } from '../core/facts';
import type { TextEdit } from '../core/hazard';
import { atOrBefore } from '../core/positions';
import type { FixBuilder, MethodCallStatement, RegisteredHook } from '../core/rule';

const LOCK_CONSTRUCTOR: Record<LockKind, { module: string; call: string }> = {
  asyncio: { module: 'asyncio', call: 'asyncio.Lock()' },
  threading: { module: 'threading', call: 'threading.Lock()' },
};

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
    /** Lines inside multi-line strings, where no edit may add or move text. */
    readonly stringLines: ReadonlySet<number>,
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
    const [first, last] = atOrBefore(a.start, b.start) ? [a, b] : [b, a];
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

  insertAfter(anchor: StatementRef, calls: readonly MethodCallStatement[]): TextEdit[] | undefined {
    const { range } = anchor;
    const indent = this.lines[range.start.line]!.slice(0, range.start.character);
    if (!/^[ \t]*$/.test(indent) || !this.endsItsLine(range.end)) return undefined;
    return [this.linesAfter(range.end.line, calls.map((call) => `${indent}${methodCallText(call)}`))];
  }

  appendToFunction(fn: FunctionFacts, calls: readonly MethodCallStatement[]): TextEdit[] | undefined {
    const body = this.bodyStatements(fn);
    const last = body[body.length - 1];
    if (!last || !this.endsItsLine(last.end)) return undefined;
    const lastLine = this.lines[last.start.line]!.trim();
    if (/^(return|raise|continue|break)\b/.test(lastLine)) return undefined;
    const indent = this.lines[last.start.line]!.slice(0, last.start.character);
    if (!/^[ \t]+$/.test(indent)) return undefined;
    return [this.linesAfter(last.end.line, calls.map((call) => `${indent}${methodCallText(call)}`))];
  }

  awaitCall(call: Range): TextEdit[] {
    return [{ range: point(call.start.line, call.start.character), newText: 'await ' }];
  }

  keepTaskReference(call: CallEvent, fn: FunctionFacts): { edits: TextEdit[]; setName: string } | undefined {
    const { statement } = call;
    const indent = this.lines[statement.range.start.line]!.slice(0, statement.range.start.character);
    if (!/^[ \t]+$/.test(indent) || !this.endsItsLine(statement.range.end)) return undefined;
    const prefix = this.textBetween(statement.range.start, call.range.start);
    const suffix = this.textBetween(call.range.end, statement.range.end);
    if (suffix.trim() !== '') return undefined;
    const edits: TextEdit[] = [];
    let taskName: string;
    const bound = call.boundTo?.length === 1 ? call.boundTo[0] : undefined;
    if (prefix === '' && call.usage === 'statement') {
      taskName = uniqueName('task', namesUsedIn(fn));
      edits.push({ range: point(call.range.start.line, call.range.start.character), newText: `${taskName} = ` });
    } else if (bound?.kind === 'local' && /^\s*[A-Za-z_]\w*\s*(:[^=]*)?=\s*$/.test(prefix)) {
      taskName = bound.key === '_' ? uniqueName('task', namesUsedIn(fn)) : bound.key;
      if (bound.key === '_') edits.push({ range: { start: statement.range.start, end: call.range.start }, newText: `${taskName} = ` });
    } else {
      return undefined;
    }
    const { name: setName, definition } = this.taskSetDefinition();
    edits.push(...definition);
    edits.push(this.linesAfter(statement.range.end.line, [`${indent}${setName}.add(${taskName})`, `${indent}${taskName}.add_done_callback(${setName}.discard)`]));
    return { edits, setName };
  }

  convertHooksToLifespan(
    application: ApplicationFact,
    hooks: readonly RegisteredHook[],
  ): { edits: TextEdit[]; lifespanName: string } | undefined {
    if (application.router || application.statement.start.character !== 0 || application.keywords.includes('lifespan') || hooks.length === 0) return undefined;
    if (hooks.some(({ callback }) => callback.parent !== undefined || callback.className !== undefined)) return undefined;
    const lifespanName = uniqueName('lifespan', this.moduleNames());
    const edits: TextEdit[] = [];
    const decorator = this.importedName('contextlib', 'asynccontextmanager', edits);
    if (!decorator) return undefined;
    const call = ({ callback }: RegisteredHook) => `    ${callback.isAsync ? 'await ' : ''}${callback.name}()`;
    const startup = hooks.filter(({ hook }) => hook.event === 'startup').map(call);
    const shutdown = hooks.filter(({ hook }) => hook.event === 'shutdown').map(call);
    const definition = [`@${decorator}`, `async def ${lifespanName}(app):`, ...startup, '    yield', ...shutdown, '', '', ''].join('\n');
    edits.push({ range: point(application.statement.start.line, 0), newText: this.blankLinesBefore(application.statement.start.line, 2) + definition });

    const argument = `lifespan=${lifespanName}`;
    const constructorSites = [...new Map(hooks.filter(({ hook }) => hook.form === 'constructor-argument').map(({ hook }) => [rangeKey(hook.range), hook.range])).values()];
    if (constructorSites.length > 0) {
      const [first, ...rest] = constructorSites.sort(compareRanges);
      edits.push({ range: first!, newText: argument });
      for (const site of rest) {
        const removal = this.argumentRemoval(site);
        if (!removal) return undefined;
        edits.push(removal);
      }
    } else {
      const added = this.addArgument(application.arguments, argument);
      if (!added) return undefined;
      edits.push(added);
    }
    const removed = new Set<string>();
    for (const { hook } of hooks) {
      if (hook.form === 'constructor-argument' || removed.has(rangeKey(hook.range))) continue;
      removed.add(rangeKey(hook.range));
      const removal = this.wholeLinesRemoval(hook.range);
      if (!removal) return undefined;
      edits.push(removal);
    }
    return { edits, lifespanName };
  }

  /** The newlines that make `count` blank lines above `line` (none at the top of the file). */
  private blankLinesBefore(line: number, count: number): string {
    let blank = 0;
    while (blank < count && line - blank - 1 >= 0 && this.lines[line - blank - 1]!.trim() === '') blank++;
    return line - blank === 0 ? '' : '\n'.repeat(count - blank);
  }

  /** The top-level statements of a function's body, from its flow's statement ancestry. */
  private bodyStatements(fn: FunctionFacts): Range[] {
    const statements = new Map<string, Range>();
    for (const block of fn.flow.blocks) {
      for (const event of block.events) {
        if (!('statement' in event)) continue;
        const top = event.statement.ancestors[0] ?? event.statement.range;
        statements.set(rangeKey(top), top);
      }
    }
    return [...statements.values()].sort(compareRanges);
  }

  /** Nothing but whitespace or a comment follows `position` on its line. */
  private endsItsLine(position: Position): boolean {
    const rest = this.lines[position.line]?.slice(position.character) ?? '';
    return /^\s*(#.*)?$/.test(rest);
  }

  private textBetween(start: Position, end: Position): string {
    if (start.line !== end.line) return '\n';
    return this.lines[start.line]!.slice(start.character, end.character);
  }

  /** Lines inserted after `line`, also when it is the file's last line without a newline. */
  private linesAfter(line: number, texts: readonly string[]): TextEdit {
    if (line + 1 < this.lines.length) return { range: point(line + 1, 0), newText: texts.map((text) => `${text}\n`).join('') };
    return { range: point(line, this.lines[line]!.length), newText: texts.map((text) => `\n${text}`).join('') };
  }

  /** A module-level set that keeps tasks referenced, reused when the module has one. */
  private taskSetDefinition(): { name: string; definition: TextEdit[] } {
    const existing = this.facts.state.find((state) => state.scope === 'module' && state.root === 'background_tasks' && state.valueKind === 'set');
    if (existing) return { name: existing.root, definition: [] };
    const name = uniqueName('background_tasks', this.moduleNames());
    const line = this.insertionLine();
    const text = `${line.blankBefore ? '\n' : ''}# Strong references keep fire-and-forget tasks alive until they finish.\n${name} = set()\n${line.blankAfter ? '\n' : ''}`;
    return { name, definition: [{ range: point(line.line, 0), newText: text }] };
  }

  private moduleNames(): Set<string> {
    return new Set([
      ...this.facts.state.map((state) => state.root),
      ...this.facts.imports.map((fact) => fact.local),
      ...this.facts.functions.filter((fn) => !fn.parent && !fn.className).map((fn) => fn.name),
      ...this.facts.applications.map((application) => application.name),
    ]);
  }

  /** `FastAPI()` → `FastAPI(lifespan=x)`, `FastAPI(title="a")` → `FastAPI(title="a", lifespan=x)`. */
  private addArgument(argumentsRange: Range, argument: string): TextEdit | undefined {
    const close = argumentsRange.end;
    const lastLine = this.lines[close.line]!.slice(0, close.character - 1);
    let line = close.line;
    let before = lastLine;
    while (before.trim() === '' && line > argumentsRange.start.line) before = this.lines[--line]!;
    if (before.includes('#')) return undefined;
    const opening = line === argumentsRange.start.line && before.trimEnd().endsWith('(');
    const end = before.trimEnd().length;
    if (opening) return { range: point(line, end), newText: argument };
    return { range: point(line, end), newText: before.trimEnd().endsWith(',') ? ` ${argument},` : `, ${argument}` };
  }

  /** Removes a keyword argument together with the comma that separates it from its neighbour. */
  private argumentRemoval(site: Range): TextEdit | undefined {
    if (site.start.line !== site.end.line) return undefined;
    const text = this.lines[site.end.line]!;
    const after = /^\s*,\s*/.exec(text.slice(site.end.character));
    if (after) return { range: { start: site.start, end: { line: site.end.line, character: site.end.character + after[0].length } }, newText: '' };
    const before = /,\s*$/.exec(text.slice(0, site.start.character));
    if (before) return { range: { start: { line: site.start.line, character: before.index }, end: site.end }, newText: '' };
    return undefined;
  }

  /** Deletes the lines a decorator or statement occupies, when it has them to itself. */
  private wholeLinesRemoval(range: Range): TextEdit | undefined {
    const head = this.lines[range.start.line]!.slice(0, range.start.character);
    if (head.trim() !== '' || !this.endsItsLine(range.end)) return undefined;
    return { range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } }, newText: '' };
  }

  awaitInstead(call: CallEvent, replacement: { module: string; name: string }): TextEdit[] | undefined {
    const edits: TextEdit[] = [];
    const name = this.importedName(replacement.module, replacement.name, edits);
    if (!name) return undefined;
    edits.push({ range: call.calleeRange, newText: `await ${name}` });
    return edits;
  }

  offloadCall(call: CallEvent, wrapper: { module: string; name: string }): TextEdit[] | undefined {
    const split = this.splitCall(call);
    if (!split) return undefined;
    const edits: TextEdit[] = [];
    const name = this.importedName(wrapper.module, wrapper.name, edits);
    if (!name) return undefined;
    const args = split.inner.trim() === '' ? split.callee : `${split.callee}, ${split.inner}`;
    edits.push({ range: call.range, newText: `await ${name}(${args})` });
    return edits;
  }

  /** A call's function and the text inside its parentheses, unless its arguments are a lone generator. */
  private splitCall(call: CallEvent): { callee: string; inner: string } | undefined {
    const argumentList = this.textOf({ start: call.calleeRange.end, end: call.range.end }).trim();
    if (!argumentList.startsWith('(') || !argumentList.endsWith(')')) return undefined;
    const inner = argumentList.slice(1, -1);
    // `f(x for x in xs)` would need parentheses of its own once other arguments precede it.
    if (/\sfor\s/.test(inner)) return undefined;
    return { callee: this.textOf(call.calleeRange), inner };
  }

  passAsReference(call: CallEvent): TextEdit[] | undefined {
    const split = this.splitCall(call);
    if (!split || /(^|[,(])\s*\w+\s*=(?!=)/.test(split.inner)) return undefined;
    return [{ range: call.range, newText: split.inner.trim() === '' ? split.callee : `${split.callee}, ${split.inner}` }];
  }

  addKeywordArgument(call: CallEvent, keyword: string, value: string): TextEdit[] | undefined {
    const split = this.splitCall(call);
    if (!split || new RegExp(`(^|[,(\\s])(${keyword}\\s*=(?!=)|\\*\\*)`).test(split.inner)) return undefined;
    const close = { line: call.range.end.line, character: call.range.end.character - 1 };
    const argument = `${keyword}=${value}`;
    const newText = split.inner.trim() === '' ? argument : /,\s*$/.test(split.inner) ? ` ${argument}` : `, ${argument}`;
    return [{ range: { start: close, end: close }, newText }];
  }

  removeDecorator(fn: FunctionFacts, index: number): TextEdit[] | undefined {
    const range = fn.decoratorRanges[index];
    if (!range) return undefined;
    const before = this.lines[range.start.line]!.slice(0, range.start.character);
    const after = this.lines[range.end.line]!.slice(range.end.character);
    if (!/^[ \t]*$/.test(before) || !/^\s*(#.*)?$/.test(after)) return undefined;
    return [{ range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } }, newText: '' }];
  }

  makeSync(fn: FunctionFacts): TextEdit[] | undefined {
    const { start } = fn.nameRange;
    const head = /\basync(\s+)def\s+$/.exec(this.lines[start.line]!.slice(0, start.character));
    if (!head) return undefined;
    const from = { line: start.line, character: head.index };
    return [{ range: { start: from, end: { line: start.line, character: head.index + 'async'.length + head[1]!.length } }, newText: '' }];
  }

  /** The source text of a range, across lines. */
  private textOf(range: Range): string {
    const { start, end } = range;
    if (start.line === end.line) return this.lines[start.line]!.slice(start.character, end.character);
    const middle = this.lines.slice(start.line + 1, end.line);
    return [this.lines[start.line]!.slice(start.character), ...middle, this.lines[end.line]!.slice(0, end.character)].join('\n');
  }

  /**
   * How the module can name `module.name`, adding `import module` (for a top-level module) or
   * `from module import name` after its imports when it cannot. Undefined when the name it would
   * import is already taken by something else.
   */
  private importedName(module: string, name: string, edits: TextEdit[]): string | undefined {
    const direct = this.facts.imports.find((fact) => fact.target === `${module}.${name}`);
    if (direct) return direct.local;
    const whole = this.facts.imports.find((fact) => fact.target === module);
    if (whole) return `${whole.local}.${name}`;
    const fromImport = module.includes('.');
    const local = fromImport ? name : module;
    const taken = this.facts.imports.some((fact) => fact.local === local) || this.facts.state.some((state) => state.root === local) || this.facts.functions.some((fn) => !fn.parent && fn.name === local);
    if (taken) return undefined;
    const line = this.insertionLine();
    const statement = fromImport ? `from ${module} import ${name}` : `import ${module}`;
    edits.push({ range: point(line.line, 0), newText: `${statement}\n${line.blankAfter && !line.blankBefore ? '\n' : ''}` });
    return fromImport ? name : `${module}.${name}`;
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

function methodCallText(call: MethodCallStatement): string {
  return `${call.awaited ? 'await ' : ''}${call.receiver}.${call.method}()`;
}

/** Local names a function binds or reads, and its parameters: what a new local must not shadow. */
function namesUsedIn(fn: FunctionFacts): Set<string> {
  const names = new Set(fn.params.map((param) => param.name));
  for (const block of fn.flow.blocks) {
    for (const event of block.events) {
      if (event.kind === 'bind' || event.kind === 'local-read') names.add(event.name);
    }
  }
  return names;
}

function uniqueName(preferred: string, taken: ReadonlySet<string>): string {
  let name = preferred;
  for (let suffix = 2; taken.has(name); suffix++) name = `${preferred}_${suffix}`;
  return name;
}

function rangeKey(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

function compareRanges(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function point(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

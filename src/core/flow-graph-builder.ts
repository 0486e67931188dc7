import { spendBudget } from './budget';
import type { AwaitForm, BranchEvent, FlowBlock, FlowEvent, FlowGraph, Range, StatementRef, ValueSource } from './facts';
import { NotAnalysable } from './not-analysed';

/** A value that comes from nothing tracked: a literal, a lambda, an unknown name. */
export const NO_SOURCE: ValueSource = { reads: [], locals: [], computed: false };

/** Where a value comes from when it combines several. */
export function mergeSources(...sources: ValueSource[]): ValueSource {
  if (sources.length === 1) return sources[0]!;
  const reads: number[] = [];
  const locals: string[] = [];
  const calls: number[] = [];
  let computed = false;
  for (const source of sources) {
    reads.push(...source.reads);
    locals.push(...source.locals);
    if (source.calls) calls.push(...source.calls);
    computed ||= source.computed;
  }
  return calls.length > 0 ? { reads, locals, computed, calls } : { reads, locals, computed };
}

/** The same sources, for a value computed from them (`x + 1`) rather than copied. */
export function computedFrom(source: ValueSource): ValueSource {
  return source.computed ? source : { ...source, computed: true };
}

/**
 * Runs a recursive walk, or returns undefined when the code nests too deeply for the stack: that
 * region then yields no findings instead of failing the file.
 */
export function withinStackLimit<T>(walk: () => T): T | undefined {
  try {
    return walk();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * Builds the flow of a module's top-level code. Unlike a function, which can be left out as an
 * unanalysable region, the top level is what every import-time rule reads: when it nests too
 * deeply for the stack, the file is not analysable (and is listed as such), not given an empty flow.
 */
export function topLevelFlow(build: () => FlowGraph): FlowGraph {
  const flow = withinStackLimit(build);
  if (flow === undefined) throw new NotAnalysable('top-level code nested too deeply to analyse');
  return flow;
}

/** A `try` being built: where an exception raised in it goes, and the `finally` body it runs on the way out. */
export interface TryRegion<FinallyBody> {
  handlers: FlowBlock[];
  finallyBody?: FinallyBody;
  /** Its handler does not raise again: what fails in the `try` body stays in the function. */
  swallows?: boolean;
}

/**
 * The language-neutral half of a frontend's flow builder: blocks and edges, event ids, statement
 * references for fixes (suites and their ancestors), and the exits — `return`, `break`/`continue`
 * and raising — that run the `finally` bodies they pass through, each on its own copy so that
 * paths do not merge where the language keeps them apart. A frontend supplies the statements.
 */
export abstract class FlowGraphBuilder<FinallyBody> {
  private readonly blocks: FlowBlock[] = [];
  protected current: FlowBlock;
  protected readonly exit: FlowBlock;
  protected readonly tries: TryRegion<FinallyBody>[] = [];
  private readonly suites: { id: number; statement: Range }[] = [];
  protected statementRef: StatementRef = { range: zeroRange(), suites: [], ancestors: [] };
  private nextSuite = 1;
  private nextEvent = 1;
  private nextRegion = 1;

  constructor() {
    this.current = this.newBlock();
    this.exit = this.newBlock();
  }

  /** Builds the statements of a `finally` body where the current block is. */
  protected abstract finallyBody(body: FinallyBody): void;

  /**
   * Ends the graph: the current block falls through to the exit. Code no path reaches (after
   * `return` or `raise`, or under a test whose outcome is fixed) keeps its block, emptied: no rule
   * reports what cannot run, and no call there puts its callee in a context.
   */
  protected graph(): FlowGraph {
    this.link(this.current, this.exit);
    const reached = new Set<number>([0]);
    const stack = [0];
    while (stack.length > 0) {
      for (const edge of this.blocks[stack.pop()!]!.next) {
        if (reached.has(edge.to)) continue;
        reached.add(edge.to);
        stack.push(edge.to);
      }
    }
    for (const block of this.blocks) {
      if (reached.has(block.id)) continue;
      block.events = [];
      block.next = [];
    }
    return { blocks: this.blocks, entry: 0, exit: this.exit.id };
  }

  protected newBlock(): FlowBlock {
    spendBudget();
    const block: FlowBlock = { id: this.blocks.length, events: [], next: [] };
    this.blocks.push(block);
    return block;
  }

  protected link(from: FlowBlock, to: FlowBlock, branch?: { id: number; taken: boolean }): void {
    if (!from.next.some((edge) => edge.to === to.id && edge.branch?.taken === branch?.taken)) {
      from.next.push(branch ? { to: to.id, branch } : { to: to.id });
    }
  }

  protected startBlock(block: FlowBlock): void {
    this.current = block;
  }

  /** Code after `return`/`raise`/`break`/`continue` starts an unreachable block. */
  protected deadEnd(): void {
    this.current = this.newBlock();
  }

  protected emit(event: FlowEvent): void {
    spendBudget();
    this.current.events.push(event);
  }

  protected id(): number {
    return this.nextEvent++;
  }

  protected region(): number {
    return this.nextRegion++;
  }

  /** Runs `body` with `range` as the current statement, inside the innermost suite. */
  protected inStatement<T>(range: Range, body: () => T): T {
    const saved = this.statementRef;
    const top = this.suites[this.suites.length - 1];
    if (top) top.statement = range;
    this.statementRef = {
      range,
      suites: this.suites.map((suite) => suite.id),
      ancestors: this.suites.map((suite) => suite.statement),
    };
    try {
      return body();
    } finally {
      this.statementRef = saved;
    }
  }

  /**
   * Builds a suite — a block of statements, the unit fixes wrap — each statement in turn, any of
   * which may raise into the innermost `try`'s handlers.
   */
  protected inSuite<S>(statements: readonly S[], range: (statement: S) => Range, build: (statement: S) => void, id = this.nextSuite++): void {
    this.suites.push({ id, statement: zeroRange() });
    for (const statement of statements) {
      this.inStatement(range(statement), () => build(statement));
      this.raiseEdges();
    }
    this.suites.pop();
  }

  /** Any statement in a `try` body may raise into its handlers. */
  protected raiseEdges(): void {
    const context = this.tries[this.tries.length - 1];
    if (context) for (const handler of context.handlers) this.link(this.current, handler);
  }

  /**
   * `return`/`break`/`continue` run the `finally` bodies they pass through on the way out; each
   * gets its own copy.
   */
  protected leave(target: FlowBlock, finallyDepth: number): void {
    for (let index = this.tries.length - 1; index >= finallyDepth; index--) {
      const body = this.tries[index]!.finallyBody;
      if (body === undefined) continue;
      const saved = this.tries.splice(index);
      this.finallyBody(body);
      this.tries.push(...saved);
    }
    this.link(this.current, target);
    this.deadEnd();
  }

  /** Raising goes to the innermost handlers, or out of the function through every `finally`. */
  protected raise(): void {
    const context = this.tries[this.tries.length - 1];
    if (context && context.handlers.length > 0) {
      for (const handler of context.handlers) this.link(this.current, handler);
    } else {
      this.leave(this.exit, 0);
      return;
    }
    this.deadEnd();
  }

  /** Ends the current block in a test: the branch event, then one edge per outcome carrying its id. */
  protected branchTo(test: Omit<BranchEvent, 'kind' | 'id' | 'statement'>, whenTrue: FlowBlock, whenFalse: FlowBlock): void {
    const event: BranchEvent = { kind: 'branch', id: this.id(), ...test, statement: this.statementRef };
    this.emit(event);
    if (test.fixed !== false) this.link(this.current, whenTrue, { id: event.id, taken: true });
    if (test.fixed !== true) this.link(this.current, whenFalse, { id: event.id, taken: false });
  }

  /** A point where the function may suspend and other requests run. */
  protected suspend(form: AwaitForm, text: string, range: Range): void {
    const caught = this.tries.some((region) => region.swallows === true);
    this.emit({ kind: 'await', id: this.id(), form, text, range, statement: this.statementRef, ...(caught && { caught }) });
  }
}

export function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

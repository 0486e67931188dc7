import type {
  AwaitForm,
  BranchEvent,
  BranchGuard,
  CallUsage,
  FlowBlock,
  FlowGraph,
  IterateEvent,
  LiteralArgument,
  LockKind,
  ReadAccess,
  StateRef,
  ValueHolder,
  ValueSource,
} from '../core/facts';
import { computedFrom, FlowGraphBuilder, mergeSources, NO_SOURCE } from '../core/flow-graph-builder';
import { edgeOf } from '../core/contexts/catalog';
import { fixedTruth } from './fixed-truth';
import { LOCK_TYPES, type LocalBindings, type ModuleScope } from './scope';
import {
  callArguments,
  dottedParts,
  field,
  namedChildren,
  rangeOf,
  shortText,
  unparenthesize,
  type Node,
} from './syntax';

/** What a function body's names mean: which are local, which are module state, who `self` is. */
export interface FunctionEnvironment {
  scope: ModuleScope;
  locals: ReadonlySet<string>;
  globals: ReadonlySet<string>;
  /** Locals of enclosing functions (closures), innermost last. */
  enclosing: readonly ReadonlySet<string>[];
  params: ReadonlySet<string>;
  className?: string;
  selfName?: string;
  clsName?: string;
  isAsync: boolean;
  /** False for module-level code: import-time reads and writes are setup, not shared-state use. */
  trackState: boolean;
  localTypes: Map<string, string>;
  localImports: Map<string, string>;
}


const ITEM_READ_METHODS = new Set(['get', '__getitem__']);
const WHOLE_READ_METHODS = new Set(['keys', 'values', 'items', 'copy', 'count', 'index', '__contains__', '__len__']);
const MUTATING_METHODS = new Set([
  'append', 'extend', 'insert', 'add', 'update', 'discard', 'remove', 'clear', 'sort', 'reverse',
  'appendleft', 'extendleft', 'popleft', 'rotate', 'difference_update', 'intersection_update',
  'symmetric_difference_update', '__setitem__', '__delitem__', 'popitem', 'pop', 'setdefault',
]);
/**
 * The most positional arguments each dict/list/set/deque method takes: a call passing more is a
 * method of some other class (`order_service.update(session, order, ...)`).
 */
const CONTAINER_ARITY: ReadonlyMap<string, number> = new Map([
  ['get', 2], ['__getitem__', 1], ['keys', 0], ['values', 0], ['items', 0], ['copy', 0], ['count', 1], ['index', 3],
  ['__contains__', 1], ['__len__', 0], ['append', 1], ['extend', 1], ['insert', 2], ['add', 1], ['update', 1],
  ['discard', 1], ['remove', 1], ['clear', 0], ['sort', 0], ['reverse', 0], ['appendleft', 1], ['extendleft', 1],
  ['popleft', 0], ['rotate', 1], ['difference_update', Infinity], ['intersection_update', Infinity], ['symmetric_difference_update', 1],
  ['__setitem__', 2], ['__delitem__', 1], ['popitem', 1], ['pop', 2], ['setdefault', 2],
]);
const CONTAINER_TYPES = /^(dict|list|set|builtins\.(dict|list|set)\(\)|collections\.(defaultdict|OrderedDict|Counter|deque|ChainMap)\(\)|weakref\.Weak\w+\(\)|.*Cache\(\))$/;
const LOCK_NAME = /(^|_)(lock|locks|mutex|mtx|semaphore|sem)$/i;
const APPLICATION_TYPES = new Set(['fastapi.FastAPI()', 'starlette.applications.Starlette()', 'aiohttp.web.Application()']);

interface LoopTarget {
  breakTo: FlowBlock;
  continueTo: FlowBlock;
  finallyDepth: number;
}


interface StateAccess {
  ref: StateRef;
}

/**
 * Builds a function's flow graph: blocks of events in Python's evaluation order, with edges for
 * branches, loops, `try`/`except`/`finally`, early exits and `raise`.
 */
export class FlowBuilder extends FlowGraphBuilder<Node> {
  private readonly loops: LoopTarget[] = [];
  private readonly explicitLockRegions = new Map<string, number>();
  private readonly localType = (name: string): string | undefined => this.env.localTypes.get(name);
  private readonly localBindings: LocalBindings = {
    imported: (name) => this.env.localImports.get(name),
    binds: (name) => this.isLocal(name) || this.isEnclosingLocal(name),
  };
  /** Where the value of a call (by node id) is stored, noted before the call is evaluated. */
  private readonly pendingBindings = new Map<number, ValueHolder[]>();
  /** The enclosing call of a call that is a direct argument (by node id). */
  private readonly pendingArgumentOf = new Map<number, { callee?: string; text: string }>();
  /** Locals bound to shared state itself (`scores = request.app["scores"]`): mutating them mutates it. */
  private readonly aliases = new Map<string, StateRef>();
  /** Locals bound to a lock created in this call: it excludes no other request. */
  private readonly perCallLocks = new Set<string>();
  /** Iterate events of the loops being built, innermost last: calls inside run once per element. */
  private readonly iterations: number[] = [];

  constructor(private readonly env: FunctionEnvironment) {
    super();
  }

  /** Builds the graph for a suite of statements (a function body or the module). */
  buildBody(statements: readonly Node[]): FlowGraph {
    this.suite(statements, 0);
    return this.graph();
  }

  /** Builds the graph for a lambda's single expression. */
  buildExpression(expression: Node): FlowGraph {
    this.withStatement(expression, () => this.emit({ kind: 'return', value: this.expr(expression, 'returned'), range: rangeOf(expression) }));
    return this.graph();
  }

  protected finallyBody(body: Node): void {
    this.block(body);
  }

  private withStatement<T>(node: Node, body: () => T): T {
    return this.inStatement(rangeOf(node), body);
  }

  // ---------------------------------------------------------------- statements

  private suite(statements: readonly Node[], id?: number): void {
    const code = statements.filter((statement) => statement.type !== 'comment');
    this.inSuite(code, rangeOf, (statement) => this.statement(statement), id);
  }

  private block(node: Node | null): void {
    this.suite(node ? namedChildren(node) : []);
  }

  private statement(node: Node): void {
    switch (node.type) {
      case 'expression_statement':
        for (const child of namedChildren(node)) this.expressionStatement(child);
        return;
      case 'return_statement': {
        const value = namedChildren(node)[0];
        if (value) this.emit({ kind: 'return', value: this.expr(value, 'returned'), range: rangeOf(node) });
        this.leave(this.exit, 0);
        return;
      }
      case 'raise_statement':
        for (const child of namedChildren(node)) this.expr(child, 'other');
        this.raise();
        return;
      case 'if_statement':
        this.ifStatement(node);
        return;
      case 'while_statement':
        this.whileStatement(node);
        return;
      case 'for_statement':
        this.forStatement(node);
        return;
      case 'try_statement':
        this.tryStatement(node);
        return;
      case 'with_statement':
        this.withStatementNode(node);
        return;
      case 'match_statement':
        this.matchStatement(node);
        return;
      case 'break_statement': {
        const loop = this.loops[this.loops.length - 1];
        if (loop) this.leave(loop.breakTo, loop.finallyDepth);
        return;
      }
      case 'continue_statement': {
        const loop = this.loops[this.loops.length - 1];
        if (loop) this.leave(loop.continueTo, loop.finallyDepth);
        return;
      }
      case 'delete_statement':
        for (const target of namedChildren(node)) this.deleteTarget(target);
        return;
      case 'assert_statement': {
        const [condition, message] = namedChildren(node);
        if (!condition) return;
        const pass = this.newBlock();
        const fail = this.newBlock();
        this.condition(condition, pass, fail, { exitsWhen: false, by: 'raise', returnsTestedState: false });
        this.startBlock(fail);
        if (message) this.expr(message, 'other');
        this.raise();
        this.startBlock(pass);
        return;
      }
      case 'import_statement':
      case 'import_from_statement':
        this.env.scope.collectImport(node, false, this.env.localImports);
        return;
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition':
        this.definition(node);
        return;
      case 'type_alias_statement':
        this.typeOfSelfAssignment(node);
        return;
      case 'ERROR':
        return;
      default:
        // pass, global, nonlocal, print/exec (Python 2), type aliases: nothing to evaluate.
        return;
    }
  }

  /**
   * tree-sitter-python reads `type(self).hits = v` as a `type` alias statement (`type (self).hits
   * = v`). Treat that shape as the class-attribute assignment Python executes.
   */
  private typeOfSelfAssignment(node: Node): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const target = left && namedChildren(left)[0];
    const value = right && namedChildren(right)[0];
    if (!target || target.type !== 'attribute' || !value) return;
    const object = field(target, 'object');
    const attribute = field(target, 'attribute')?.text;
    const argument = object?.type === 'parenthesized_expression' ? namedChildren(object)[0] : undefined;
    const className = this.env.className;
    if (!attribute || !className || argument?.type !== 'identifier' || argument.text !== this.env.selfName) return;
    const source = this.expr(value, 'assigned');
    if (!this.env.trackState) return;
    const info = this.env.scope.classes.get(className);
    this.emit({
      kind: 'write',
      id: this.id(),
      state: { key: `${className}.${attribute}`, root: className, text: `type(${argument.text}).${attribute}`, scope: 'class', definition: info?.attributes.get(attribute) },
      op: 'assign',
      value: source,
      range: rangeOf(node),
      statement: this.statementRef,
    });
  }

  /** A nested `def`/`class` evaluates its decorators and default values, then binds its name. */
  private definition(node: Node): void {
    const definition = node.type === 'decorated_definition' ? field(node, 'definition') : node;
    if (node.type === 'decorated_definition') {
      for (const decorator of namedChildren(node)) {
        if (decorator.type === 'decorator') for (const child of namedChildren(decorator)) this.expr(child, 'other');
      }
    }
    const name = definition && field(definition, 'name');
    if (name) this.bindName(name, NO_SOURCE);
  }

  private expressionStatement(node: Node): void {
    switch (node.type) {
      case 'assignment':
        this.assignment(node);
        return;
      case 'augmented_assignment':
        this.augmentedAssignment(node);
        return;
      default:
        this.expr(node, 'statement');
    }
  }

  private assignment(node: Node): void {
    const targets: Node[] = [];
    let current: Node | null = node;
    let annotation: Node | null = null;
    while (current?.type === 'assignment') {
      const left = field(current, 'left');
      if (left) targets.push(left);
      annotation ??= field(current, 'type');
      current = field(current, 'right');
    }
    if (!current) return; // an annotation without a value: `x: int`
    const usage: CallUsage = 'assigned';
    this.noteBinding(current, targets);
    const value = this.expr(current, usage);
    const type = this.env.scope.typeOf(current, this.localType, this.localBindings);
    const alias = this.aliasedState(current);
    for (const target of targets) {
      this.assignTarget(target, value);
      // `request.state.db = session()`: later reads of the same path in this function have its type.
      const path = target.type === 'attribute' ? dottedParts(target) : undefined;
      if (path && type && this.isLocal(path[0]!)) this.env.localTypes.set(path.join('.'), type);
      if (target.type !== 'identifier' || !this.isLocal(target.text)) continue;
      const annotated = annotation ? this.annotationType(annotation) : undefined;
      if (annotated ?? type) this.env.localTypes.set(target.text, (annotated ?? type)!);
      if (alias) this.aliases.set(target.text, alias);
      if (LOCK_TYPES.has(type ?? '')) this.perCallLocks.add(target.text);
    }
  }

  /**
   * The shared object an assigned expression is (not a copy of a value computed from it):
   * `request.app.state.credits`, `CARTS[user]`, `ROOMS.get(room)`, `SESSIONS.setdefault(k, {})`.
   */
  private aliasedState(value: Node): StateRef | undefined {
    const expr = unparenthesize(value);
    if (expr.type === 'attribute' || expr.type === 'subscript') return this.stateTarget(expr)?.ref;
    if (expr.type === 'identifier' && !this.isLocal(expr.text)) return this.stateTarget(expr)?.ref;
    if (expr.type !== 'call') return undefined;
    const callee = field(expr, 'function');
    const method = callee?.type === 'attribute' ? field(callee, 'attribute')?.text : undefined;
    const receiver = callee?.type === 'attribute' ? field(callee, 'object') : null;
    const first = callArguments(expr).positional[0];
    if (!receiver || !first || (method !== 'get' && method !== 'setdefault')) return undefined;
    const container = this.baseRef(unparenthesize(receiver));
    return container ? this.itemRef(container, first, expr) : undefined;
  }

  private augmentedAssignment(node: Node): void {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (!left || !right) return;
    const target = unparenthesize(left);
    if (target.type === 'identifier' && this.isLocal(target.text)) {
      const value = this.expr(right, 'other');
      this.emit({ kind: 'bind', name: target.text, value: mergeSources({ reads: [], locals: [target.text], computed: true }, value), range: rangeOf(node) });
      return;
    }
    const access = this.stateTarget(target);
    // `X += [e]` on a list extends it in place: what another thread or request appended stays.
    if (access && (right.type === 'list' || right.type === 'list_comprehension')) {
      const value = this.expr(right, 'other');
      this.emit({ kind: 'write', id: this.id(), state: access.ref, op: 'mutate', method: 'extend', value, range: rangeOf(node), statement: this.statementRef });
      return;
    }
    // `X += e` loads X (and its subscript) before evaluating e, then stores.
    const old = this.expr(target, 'other');
    const value = this.expr(right, 'other');
    const localField = access ? undefined : this.localObjectField(target);
    if (localField) {
      this.emit({
        kind: 'field-write',
        id: this.id(),
        ...localField,
        op: 'augmented',
        value: mergeSources(old, value, { reads: [], locals: [], computed: true }),
        range: rangeOf(node),
        statement: this.statementRef,
      });
    }
    if (access) {
      this.emit({
        kind: 'write',
        id: this.id(),
        state: access.ref,
        op: 'augmented',
        value: mergeSources(old, value, { reads: [], locals: [], computed: true }),
        range: rangeOf(node),
        statement: this.statementRef,
      });
    }
  }

  /** Binds a target; `elementOf` marks a loop variable taking the elements of that iterate event. */
  private assignTarget(target: Node, value: ValueSource, elementOf?: number): void {
    const node = unparenthesize(target);
    switch (node.type) {
      case 'identifier':
        this.bindName(node, value, elementOf);
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
        for (const child of namedChildren(node)) this.assignTarget(child, computedFrom(value), elementOf);
        return;
      case 'list_splat_pattern':
      case 'list_splat':
        for (const child of namedChildren(node)) this.assignTarget(child, computedFrom(value), elementOf);
        return;
      case 'attribute':
      case 'subscript': {
        const access = this.stateTarget(node);
        // The target's object and subscript are evaluated (their reads happen), then the store.
        const object = field(node, node.type === 'attribute' ? 'object' : 'value');
        if (object && !access) this.expr(object, 'other');
        if (node.type === 'subscript') {
          for (const index of this.subscriptIndexes(node)) this.expr(index, 'other');
        }
        const localField = access ? undefined : this.localObjectField(node);
        if (localField) {
          this.emit({
            kind: 'field-write',
            id: this.id(),
            ...localField,
            op: 'assign',
            value,
            range: rangeOf(node.parent?.type === 'assignment' ? node.parent : node),
            statement: this.statementRef,
          });
        }
        if (access) {
          this.emit({
            kind: 'write',
            id: this.id(),
            state: access.ref,
            op: 'assign',
            value,
            range: rangeOf(node.parent?.type === 'assignment' ? node.parent : node),
            statement: this.statementRef,
          });
        }
        return;
      }
      default:
        return;
    }
  }

  private bindName(name: Node, value: ValueSource, elementOf?: number): void {
    const text = name.text;
    this.aliases.delete(text);
    this.perCallLocks.delete(text);
    if (this.isLocal(text)) {
      this.emit({ kind: 'bind', name: text, value, ...(elementOf !== undefined && { elementOf }), range: rangeOf(name) });
      return;
    }
    if (this.env.trackState && this.env.globals.has(text)) {
      this.emit({
        kind: 'write',
        id: this.id(),
        state: this.moduleRef(text, name),
        op: 'assign',
        value,
        range: rangeOf(name.parent?.type === 'assignment' ? name.parent : name),
        statement: this.statementRef,
      });
    }
  }

  private deleteTarget(target: Node): void {
    const node = unparenthesize(target);
    if (node.type === 'expression_list' || node.type === 'tuple') {
      for (const child of namedChildren(node)) this.deleteTarget(child);
      return;
    }
    if (node.type === 'subscript') for (const index of this.subscriptIndexes(node)) this.expr(index, 'other');
    const access = this.stateTarget(node);
    if (access) {
      this.emit({
        kind: 'write',
        id: this.id(),
        state: access.ref,
        op: 'delete',
        value: NO_SOURCE,
        range: rangeOf(node),
        statement: this.statementRef,
      });
    }
  }

  /** Linear in the number of `elif` clauses: the clause list is read once, however long the chain. */
  private ifStatement(node: Node): void {
    const after = this.newBlock();
    const alternatives = node.childrenForFieldName('alternative');
    const clauses = [node, ...alternatives.filter((alternative) => alternative.type === 'elif_clause')];
    const elseClause = alternatives.find((alternative) => alternative.type === 'else_clause');
    for (const [index, clause] of clauses.entries()) {
      const condition = field(clause, 'condition');
      const consequence = field(clause, 'consequence');
      const thenBlock = this.newBlock();
      const elseBlock = this.newBlock();
      const isLast = clause === node ? alternatives.length === 0 : index === clauses.length - 1 && !elseClause;
      const guard = isLast && consequence ? this.guardOf(consequence, condition) : undefined;
      if (condition) this.condition(condition, thenBlock, elseBlock, guard, fixedTruth(this.env.scope, condition, this.localBindings));
      else {
        this.link(this.current, thenBlock);
        this.link(this.current, elseBlock);
      }
      this.startBlock(thenBlock);
      this.block(consequence);
      this.link(this.current, after);
      this.startBlock(elseBlock);
    }
    if (elseClause) this.block(field(elseClause, 'body'));
    this.link(this.current, after);
    this.startBlock(after);
  }

  /** A guard clause: the consequence leaves at once (`return`/`raise`/`continue`/`break`). */
  private guardOf(consequence: Node, condition: Node | null): BranchGuard | undefined {
    const statements = namedChildren(consequence).filter((child) => child.type !== 'comment');
    const last = statements[statements.length - 1];
    if (!last) return undefined;
    const by =
      last.type === 'raise_statement'
        ? 'raise'
        : last.type === 'return_statement'
          ? 'return'
          : last.type === 'continue_statement' || last.type === 'break_statement'
            ? 'loop'
            : undefined;
    if (!by) return undefined;
    let returnsTestedState = false;
    const returned = last.type === 'return_statement' ? namedChildren(last)[0] : undefined;
    if (returned && condition) {
      const identifiers = (node: Node) => node.descendantsOfType('identifier').flatMap((id) => (id ? [id.text] : []));
      const tested = new Set(identifiers(condition).filter((name) => !this.env.params.has(name)));
      // `value = CACHE[key]; return value` returns the tested state through a local.
      for (const statement of statements) {
        const assignment = statement.type === 'expression_statement' ? namedChildren(statement)[0] : undefined;
        const target = assignment?.type === 'assignment' ? field(assignment, 'left') : null;
        const value = assignment?.type === 'assignment' ? field(assignment, 'right') : null;
        if (target?.type === 'identifier' && value && identifiers(value).some((name) => tested.has(name))) tested.add(target.text);
      }
      returnsTestedState = identifiers(returned).some((name) => tested.has(name));
    }
    return { exitsWhen: true, by, returnsTestedState };
  }

  /** Evaluates a test, then branches: the two edges carry the branch event's id. */
  private condition(condition: Node, whenTrue: FlowBlock, whenFalse: FlowBlock, guard?: BranchGuard, fixed?: boolean): void {
    const value = this.expr(condition, 'other');
    this.branchTo({ value, ...this.testKind(condition), guard, range: rangeOf(condition), ...(fixed !== undefined && { fixed }) }, whenTrue, whenFalse);
  }

  /** What a test asks, and for a presence test which outcome finds the value there. */
  private testKind(condition: Node): Pick<BranchEvent, 'test' | 'presentWhen'> {
    let node = unparenthesize(condition);
    let negated = false;
    while (node.type === 'not_operator') {
      const argument = field(node, 'argument');
      if (!argument) break;
      node = unparenthesize(argument);
      negated = !negated;
    }
    const presence = (present: boolean, test: 'membership' | 'truthiness' = 'membership') => ({ test, presentWhen: present !== negated });
    if (node.type === 'comparison_operator') {
      const operators = node.children.filter((child) => child && !child.isNamed).map((child) => child!.text);
      const operands = namedChildren(node);
      if (operators.length === 1 && (operators[0] === 'in' || operators[0] === 'not in')) return presence(operators[0] === 'in');
      if (operators.some((op) => op === 'in' || op === 'not in')) return { test: 'membership' };
      if (operators.every((op) => ['is', 'is not', '==', '!='].includes(op)) && operands.some((o) => o.type === 'none')) {
        return operators.length === 1 ? presence(operators[0] === 'is not' || operators[0] === '!=') : { test: 'membership' };
      }
      return { test: 'value' };
    }
    if (node.type === 'call') {
      const callee = field(node, 'function');
      if (callee?.type === 'attribute' && field(callee, 'attribute')?.text === 'get') return presence(true);
      return { test: 'value' };
    }
    if (node.type === 'identifier' || node.type === 'attribute' || node.type === 'subscript') return presence(true, 'truthiness');
    return { test: 'value' };
  }

  private whileStatement(node: Node): void {
    const header = this.newBlock();
    const body = this.newBlock();
    const orElse = this.newBlock();
    const after = this.newBlock();
    this.link(this.current, header);
    this.startBlock(header);
    const condition = field(node, 'condition');
    // `while True:` stays a loop that may end (by `break`, or as far as the graph can tell); only a
    // loop that never starts (`while False:`) is pruned.
    if (condition) this.condition(condition, body, orElse, undefined, fixedTruth(this.env.scope, condition, this.localBindings) === false ? false : undefined);
    else {
      this.link(header, body);
      this.link(header, orElse);
    }
    this.loops.push({ breakTo: after, continueTo: header, finallyDepth: this.tries.length });
    this.startBlock(body);
    this.block(field(node, 'body'));
    this.link(this.current, header);
    this.loops.pop();
    this.startBlock(orElse);
    const alternative = field(node, 'alternative');
    if (alternative) this.block(field(alternative, 'body'));
    this.link(this.current, after);
    this.startBlock(after);
  }

  private forStatement(node: Node): void {
    const isAsync = node.firstChild?.type === 'async';
    const right = field(node, 'right');
    const iterable = right ? this.expr(right, 'other') : NO_SOURCE;
    const iteration = this.iterate(isAsync ? 'async-for' : 'for', iterable, right ?? node);
    const header = this.newBlock();
    const body = this.newBlock();
    const orElse = this.newBlock();
    const after = this.newBlock();
    this.link(this.current, header);
    this.startBlock(header);
    if (isAsync && right) this.suspendAt('async-for', right);
    this.link(header, body);
    this.link(header, orElse);
    this.loops.push({ breakTo: after, continueTo: header, finallyDepth: this.tries.length });
    this.startBlock(body);
    const left = field(node, 'left');
    this.iterations.push(iteration);
    // The loop variable holds an element, not the iterated state: tests on it decide nothing
    // about the container.
    if (left) this.assignTarget(left, NO_SOURCE, iteration);
    this.block(field(node, 'body'));
    this.iterations.pop();
    this.link(this.current, header);
    this.loops.pop();
    this.startBlock(orElse);
    const alternative = field(node, 'alternative');
    if (alternative) this.block(field(alternative, 'body'));
    this.link(this.current, after);
    this.startBlock(after);
  }

  private tryStatement(node: Node): void {
    const clauses = namedChildren(node);
    const handlers = clauses.filter((clause) => clause.type === 'except_clause' || clause.type === 'except_group_clause');
    const elseClause = clauses.find((clause) => clause.type === 'else_clause');
    const finallyClause = clauses.find((clause) => clause.type === 'finally_clause');
    const finallyBody = finallyClause ? namedChildren(finallyClause).find((child) => child.type === 'block') : undefined;
    const handlerBlocks = handlers.map(() => this.newBlock());
    // Without a handler, an exception escapes through `finally` to the caller.
    const escape = finallyBody && handlers.length === 0 ? this.newBlock() : undefined;
    const after = this.newBlock();

    this.tries.push({ handlers: escape ? [escape] : handlerBlocks, finallyBody });
    this.link(this.current, handlerBlocks[0] ?? escape ?? after);
    this.block(field(node, 'body'));
    this.tries.pop();
    this.tries.push({ handlers: [], finallyBody });
    if (elseClause) this.block(field(elseClause, 'body'));
    const normalEnd = this.current;
    const ends: FlowBlock[] = [normalEnd];
    handlers.forEach((handler, index) => {
      this.startBlock(handlerBlocks[index]!);
      this.withStatement(handler, () => {
        for (const child of namedChildren(handler)) {
          if (child.type === 'block') continue;
          const value = child.type === 'as_pattern' ? namedChildren(child)[0] : child;
          if (value) this.expr(value, 'other');
          const alias = child.type === 'as_pattern' ? field(child, 'alias') : null;
          if (alias) for (const name of alias.descendantsOfType('identifier')) if (name) this.bindName(name, NO_SOURCE);
        }
      });
      this.block(namedChildren(handler).find((child) => child.type === 'block') ?? null);
      ends.push(this.current);
    });
    this.tries.pop();
    if (finallyBody) {
      const join = this.newBlock();
      for (const end of ends) this.link(end, join);
      this.startBlock(join);
      this.block(finallyBody);
      this.link(this.current, after);
      if (escape) {
        this.startBlock(escape);
        this.block(finallyBody);
        this.raise();
      }
    } else {
      for (const end of ends) this.link(end, after);
    }
    this.startBlock(after);
  }

  private withStatementNode(node: Node): void {
    const isAsync = node.firstChild?.type === 'async';
    const clause = namedChildren(node).find((child) => child.type === 'with_clause');
    const items = clause ? namedChildren(clause).filter((child) => child.type === 'with_item') : [];
    const regions: number[] = [];
    for (const item of items) {
      const value = field(item, 'value');
      if (!value) continue;
      const isAlias = value.type === 'as_pattern';
      const context = isAlias ? namedChildren(value)[0] : value;
      if (!context) continue;
      const alias = isAlias ? field(value, 'alias') : null;
      if (alias) this.noteBinding(context, namedChildren(alias));
      const source = this.expr(context, 'other');
      const contextCall = this.lastCallAt(unparenthesize(context));
      this.emit({
        kind: 'context',
        form: isAsync ? 'async-with' : 'with',
        call: contextCall,
        holder: contextCall === undefined ? this.holderOf(context) : undefined,
        range: rangeOf(context),
      });
      if (isAsync) this.suspendAt('async-with', context);
      const lock = this.lockOf(context, isAsync);
      if (lock) {
        const region = this.region();
        regions.push(region);
        this.emit({ kind: 'lock-enter', lock: lock.name, lockKind: lock.kind, region, ...(lock.shared && { shared: true }), range: rangeOf(context) });
      }
      if (alias) {
        const type = this.env.scope.typeOf(context, this.localType, this.localBindings);
        for (const name of namedChildren(alias)) {
          if (name.type === 'identifier' && type && this.isLocal(name.text)) this.env.localTypes.set(name.text, type);
          this.assignTarget(name, computedFrom(source));
        }
      }
    }
    this.block(field(node, 'body'));
    for (const region of regions.reverse()) this.emit({ kind: 'lock-exit', region });
    if (isAsync && items.length > 0) this.suspendAt('async-with', items[0]!);
  }

  /** The id of the call event just emitted for `node`, if `node` is a call. */
  private lastCallAt(node: Node): number | undefined {
    if (node.type !== 'call') return undefined;
    const start = rangeOf(node).start;
    for (let index = this.current.events.length - 1; index >= 0; index--) {
      const event = this.current.events[index]!;
      if (event.kind === 'call' && event.range.start.line === start.line && event.range.start.character === start.character) return event.id;
    }
    return undefined;
  }

  private matchStatement(node: Node): void {
    const subject = field(node, 'subject');
    const value = subject ? this.expr(subject, 'other') : NO_SOURCE;
    const after = this.newBlock();
    const body = field(node, 'body');
    const cases = body ? namedChildren(body).filter((child) => child.type === 'case_clause') : [];
    for (const clause of cases) {
      const matched = this.newBlock();
      const next = this.newBlock();
      const guard = field(clause, 'guard');
      const guardValue = guard ? this.expr(guard, 'other') : NO_SOURCE;
      this.branchTo({ value: mergeSources(value, guardValue), test: 'value', range: rangeOf(clause) }, matched, next);
      this.startBlock(matched);
      this.block(field(clause, 'consequence'));
      this.link(this.current, after);
      this.startBlock(next);
    }
    this.link(this.current, after);
    this.startBlock(after);
  }

  /** Emits the start of a loop over `value` and returns its id. */
  private iterate(form: IterateEvent['form'], value: ValueSource, node: Node): number {
    const id = this.id();
    const parent = this.iterations[this.iterations.length - 1];
    this.emit({ kind: 'iterate', id, form, value, ...(parent !== undefined && { parent }), range: rangeOf(node), statement: this.statementRef });
    return id;
  }

  private suspendAt(form: AwaitForm, node: Node): void {
    this.suspend(form, shortText(node), rangeOf(node));
  }

  // ---------------------------------------------------------------- locks

  private lockOf(context: Node, isAsync: boolean): { name: string; kind: LockKind; shared?: boolean } | undefined {
    const expr = unparenthesize(context);
    const fallbackKind: LockKind = isAsync ? 'asyncio' : 'threading';
    if (expr.type === 'call' || expr.type === 'subscript') return lockFromHelper(expr) ? { name: expr.text, kind: fallbackKind } : undefined;
    const parts = dottedParts(expr);
    if (!parts) return undefined;
    const last = parts[parts.length - 1]!;
    let type: string | undefined;
    let name = parts.join('.');
    if (parts.length === 1) {
      if (this.perCallLocks.has(last)) return undefined;
      type = this.env.localTypes.get(last) ?? this.env.scope.bindings.get(last)?.valueType;
    } else if (parts.length === 2 && (parts[0] === this.env.selfName || parts[0] === this.env.clsName) && this.env.className) {
      type = this.env.scope.classes.get(this.env.className)?.instanceTypes.get(last);
      name = `${this.env.className}.${last}`;
    }
    const kind = type ? LOCK_TYPES.get(type) : undefined;
    if (kind) return this.isMutualExclusion(type!, parts) ? { name, kind } : { name, kind, shared: true };
    return LOCK_NAME.test(last) ? { name, kind: fallbackKind } : undefined;
  }

  /** `await lock.acquire()` … `lock.release()`: one region per lock name within the function. */
  private explicitLock(object: Node | null, method: 'acquire' | 'release', awaited: boolean, call: Node): void {
    const lock = object ? this.lockOf(object, awaited) : undefined;
    if (!lock) return;
    let region = this.explicitLockRegions.get(lock.name);
    if (region === undefined) {
      region = this.region();
      this.explicitLockRegions.set(lock.name, region);
    }
    if (method === 'release') this.emit({ kind: 'lock-exit', region });
    else this.emit({ kind: 'lock-enter', lock: lock.name, lockKind: lock.kind, region, ...(lock.shared && { shared: true }), range: rangeOf(call) });
  }

  /** A semaphore admitting more than one holder does not serialise a read-modify-write. */
  private isMutualExclusion(type: string, parts: readonly string[]): boolean {
    if (!/Semaphore|CapacityLimiter/.test(type)) return true;
    const call = parts.length === 1 ? this.env.scope.bindings.get(parts[0]!)?.value : undefined;
    if (!call || call.type !== 'call') return false;
    const first = callArguments(call).positional[0];
    return !first || (first.type === 'integer' && Number(first.text) <= 1);
  }

  // ---------------------------------------------------------------- expressions

  /** Emits the events of evaluating `node` and returns where its value comes from. */
  private expr(node: Node, usage: CallUsage): ValueSource {
    switch (node.type) {
      case 'identifier':
        return this.name(node);
      case 'attribute':
      case 'subscript':
        return this.access(node);
      case 'call':
        return this.call(node, usage);
      case 'await': {
        const inner = namedChildren(node)[0];
        const value = inner ? this.expr(inner, 'awaited') : NO_SOURCE;
        this.suspendAt('await', inner ?? node);
        return computedFrom(value);
      }
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.expr(inner, usage) : NO_SOURCE;
      }
      case 'named_expression': {
        const name = field(node, 'name');
        const valueNode = field(node, 'value');
        const value = valueNode ? this.expr(valueNode, 'assigned') : NO_SOURCE;
        if (name) this.bindName(name, value);
        return value;
      }
      case 'comparison_operator':
        return this.comparison(node);
      case 'lambda':
        return NO_SOURCE;
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(node);
      case 'yield': {
        const inner = namedChildren(node)[0];
        const value = inner && inner.type !== 'from' ? this.expr(inner, 'other') : NO_SOURCE;
        if (this.env.isAsync) this.suspendAt('yield', node);
        return computedFrom(value);
      }
      case 'string':
      case 'concatenated_string': {
        const parts = node.descendantsOfType('interpolation').filter((n): n is Node => !!n && this.ownInterpolation(n, node));
        if (parts.length === 0) return NO_SOURCE;
        return computedFrom(mergeSources(...parts.map((part) => this.expr(field(part, 'expression') ?? part, 'other'))));
      }
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
      case 'comment':
      case 'ERROR':
        return NO_SOURCE;
      case 'keyword_argument': {
        const value = field(node, 'value');
        return value ? this.expr(value, usage) : NO_SOURCE;
      }
      case 'binary_operator':
        return computedFrom(mergeSources(NO_SOURCE, ...operandsOf(node).map((operand) => this.expr(operand, 'other'))));
      // `a or b` and `a if c else b` are one of their operands, copied, not a value computed from them.
      case 'boolean_operator':
        return mergeSources(NO_SOURCE, ...operandsOf(node).map((operand) => this.expr(operand, 'other')));
      case 'conditional_expression': {
        const [chosen, condition, alternative] = namedChildren(node);
        if (condition) this.expr(condition, 'other');
        return mergeSources(NO_SOURCE, ...[chosen, alternative].flatMap((branch) => (branch ? [this.expr(branch, 'other')] : [])));
      }
      case 'unary_operator':
      case 'not_operator':
      case 'list':
      case 'tuple':
      case 'set':
      case 'dictionary':
      case 'pair':
      case 'expression_list':
      case 'slice':
        return computedFrom(mergeSources(NO_SOURCE, ...namedChildren(node).map((child) => this.expr(child, 'other'))));
      default:
        // list_splat, dictionary_splat, interpolation, type, ...: evaluate what is inside.
        return mergeSources(NO_SOURCE, ...namedChildren(node).map((child) => this.expr(child, usage === 'statement' ? 'other' : usage)));
    }
  }

  private ownInterpolation(interpolation: Node, string: Node): boolean {
    for (let node = interpolation.parent; node; node = node.parent) {
      if (node.type === 'string') return node.equals(string) || node.parent?.equals(string) === true;
    }
    return false;
  }

  private name(node: Node): ValueSource {
    const text = node.text;
    if (this.isLocal(text)) {
      this.emit({ kind: 'local-read', name: text, range: rangeOf(node) });
      return { reads: [], locals: [text], computed: false };
    }
    if (this.isEnclosingLocal(text)) {
      this.emit({ kind: 'local-read', name: text, range: rangeOf(node) });
      return NO_SOURCE;
    }
    // An imported name used as a whole value (`patch.object(policy, ...)`, `Depends(service)`)
    // is a module, class or object handed on; reading its attributes or items is what reads state.
    if (!this.env.trackState || this.env.scope.bindings.get(text)?.kind === 'import') return NO_SOURCE;
    const access = this.stateTarget(node);
    return access ? this.read(access.ref, 'value', node) : NO_SOURCE;
  }

  private access(node: Node): ValueSource {
    const access = this.stateTarget(node);
    if (node.type === 'subscript') {
      const value = field(node, 'value');
      const indexes = this.subscriptIndexes(node).map((index) => this.expr(index, 'other'));
      if (access) return mergeSources(this.read(access.ref, 'value', node), ...indexes.map((index) => ({ ...index, reads: [], computed: false })));
      const base = value ? this.expr(value, 'other') : NO_SOURCE;
      return mergeSources(base, ...indexes);
    }
    if (access) return this.read(access.ref, 'value', node);
    const object = field(node, 'object');
    const value = object ? this.expr(object, 'other') : NO_SOURCE;
    const localField = this.localObjectField(node);
    if (!localField) return value;
    const id = this.id();
    this.emit({ kind: 'field-read', id, ...localField, range: rangeOf(node), statement: this.statementRef });
    return mergeSources(value, { reads: [id], locals: [], computed: false });
  }

  /**
   * `acct.balance` where `acct` is this function's own local or parameter (not `self`/`cls`,
   * whose attributes are the instance's): the object and the field, for field events.
   */
  private localObjectField(node: Node): { object: string; field: string } | undefined {
    const expression = unparenthesize(node);
    if (expression.type !== 'attribute') return undefined;
    const object = field(expression, 'object');
    const attribute = field(expression, 'attribute')?.text;
    if (object?.type !== 'identifier' || !attribute || !this.isLocal(object.text)) return undefined;
    if (object.text === this.env.selfName || object.text === this.env.clsName) return undefined;
    return { object: object.text, field: attribute };
  }

  private subscriptIndexes(node: Node): Node[] {
    return node.childrenForFieldName('subscript').filter((child): child is Node => !!child);
  }

  private read(ref: StateRef, access: ReadAccess, node: Node): ValueSource {
    const id = this.id();
    this.emit({ kind: 'read', id, state: ref, access, range: rangeOf(node), statement: this.statementRef });
    return { reads: [id], locals: [], computed: false };
  }

  private comparison(node: Node): ValueSource {
    const operands = namedChildren(node);
    const operators = node.children.filter((child) => child && !child.isNamed).map((child) => child!.text);
    const sources: ValueSource[] = [];
    operands.forEach((operand, index) => {
      const operator = operators[index - 1];
      const target = unparenthesize(operand);
      if ((operator === 'in' || operator === 'not in') && index > 0) {
        const container = this.env.trackState ? this.baseRef(target) : undefined;
        if (container) {
          const key = operands[index - 1]!;
          const ref = this.itemRef(container, key, node);
          sources.push(this.read(ref, 'membership', node));
          return;
        }
      }
      sources.push(this.expr(operand, 'other'));
    });
    return computedFrom(mergeSources(NO_SOURCE, ...sources));
  }

  private comprehension(node: Node): ValueSource {
    const clauses = namedChildren(node);
    const body = field(node, 'body');
    const sources: ValueSource[] = [];
    const depth = this.iterations.length;
    for (const clause of clauses) {
      if (clause.type === 'for_in_clause') {
        const right = field(clause, 'right');
        const iterable = right ? this.expr(right, 'other') : NO_SOURCE;
        sources.push(iterable);
        const iteration = this.iterate('comprehension', iterable, right ?? clause);
        this.iterations.push(iteration);
        const left = field(clause, 'left');
        if (left) this.assignTarget(left, NO_SOURCE, iteration);
        if (clause.firstChild?.type === 'async' && right) this.suspendAt('async-for', right);
      } else if (clause.type === 'if_clause') {
        for (const child of namedChildren(clause)) sources.push(this.expr(child, 'other'));
      }
    }
    if (body) sources.push(this.expr(body, 'other'));
    this.iterations.splice(depth);
    return computedFrom(mergeSources(NO_SOURCE, ...sources));
  }

  private call(node: Node, usage: CallUsage): ValueSource {
    const callee = field(node, 'function');
    const argumentsNode = field(node, 'arguments');
    if (!callee) return NO_SOURCE;
    const sources: ValueSource[] = [];
    let receiverAccess: StateAccess | undefined;
    let method: string | undefined;
    const calleeExpr = unparenthesize(callee);
    if (calleeExpr.type === 'attribute') {
      const object = field(calleeExpr, 'object');
      method = field(calleeExpr, 'attribute')?.text;
      const receiver = object && this.env.trackState ? this.baseRef(unparenthesize(object)) : undefined;
      receiverAccess = receiver ? { ref: { ...receiver, text: object!.text.length < 80 ? object!.text : receiver.text } } : undefined;
      if (object && !receiverAccess) sources.push(this.expr(object, 'other'));
    } else if (calleeExpr.type !== 'identifier') {
      sources.push(this.expr(calleeExpr, 'other'));
    }
    const argumentNodes = argumentsNode
      ? argumentsNode.type === 'argument_list'
        ? namedChildren(argumentsNode).filter((child) => child.type !== 'comment')
        : [argumentsNode]
      : [];
    const calleeName = this.env.scope.calleeName(callee, this.localType, this.localBindings);
    // A long receiver is shortened, never the method: `(await db.execute(…)).scalars().first`.
    const receiverNode = calleeExpr.type === 'attribute' ? field(calleeExpr, 'object') : undefined;
    const text = receiverNode && method ? `${shortText(receiverNode, 79 - method.length)}.${method}` : shortText(callee, 80);
    const argumentValues = argumentNodes.map((argument) =>
      unparenthesize(argument.type === 'keyword_argument' ? (field(argument, 'value') ?? argument) : argument),
    );
    for (const argument of argumentValues) {
      if (argument.type === 'call') this.pendingArgumentOf.set(argument.id, { callee: calleeName, text });
    }
    const args = argumentNodes.map((argument) => this.expr(argument, 'argument'));
    sources.push(...args);
    const holders = argumentValues.flatMap((argument) => this.holderOf(argument) ?? []);
    const functionArguments = edgeOf(calleeName, text) ? argumentValues.flatMap((argument) => this.functionReference(argument) ?? []) : [];
    const keywords = argumentNodes.flatMap((argument) => (argument.type === 'keyword_argument' ? (field(argument, 'name')?.text ?? []) : []));
    const positional = argumentNodes.flatMap((argument) => (argument.type === 'keyword_argument' ? [] : [shortText(argument)]));

    const inputs = mergeSources(NO_SOURCE, ...sources);
    let result: ValueSource = computedFrom(inputs);
    if (receiverAccess && method && usage !== 'awaited' && this.isContainerCall(receiverAccess.ref, method, argumentNodes)) {
      result = this.stateMethod(receiverAccess.ref, method, argumentNodes, args, node, result);
    }
    if ((method === 'acquire' || method === 'release') && calleeExpr.type === 'attribute') {
      this.explicitLock(field(calleeExpr, 'object'), method, usage === 'awaited', node);
    }
    const object = calleeExpr.type === 'attribute' ? field(calleeExpr, 'object') : null;
    const receiver = object ? this.holderOf(object) : undefined;
    const boundTo = this.pendingBindings.get(node.id);
    const argumentOf = this.pendingArgumentOf.get(node.id);
    this.pendingBindings.delete(node.id);
    this.pendingArgumentOf.delete(node.id);
    const id = this.id();
    const loop = this.iterations[this.iterations.length - 1];
    this.emit({
      kind: 'call',
      id,
      callee: calleeName,
      text,
      usage,
      range: rangeOf(node),
      calleeRange: rangeOf(callee),
      ...literalArguments(argumentNodes),
      statement: this.statementRef,
      ...(receiver && { receiver }),
      ...(boundTo && { boundTo }),
      ...(argumentOf && { argumentOf }),
      ...(holders.length > 0 && { arguments: holders }),
      ...(positional.length > 0 && { positional }),
      ...(keywords.length > 0 && { keywords }),
      ...(functionArguments.length > 0 && { functionArguments }),
      inputs,
      ...(loop !== undefined && { loop }),
    });
    return { ...result, calls: [...(result.calls ?? []), id] };
  }

  /** A function handed over by name: `render`, `self.poll`, `jobs.cleanup`; a local (a nested def) only as written. */
  private functionReference(node: Node): { callee?: string; text: string } | undefined {
    if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
    const callee = this.env.scope.calleeName(node, this.localType, this.localBindings);
    return { ...(callee && { callee }), text: shortText(node, 80) };
  }

  /** Notes where a call's value goes, for `x = call()`, `x = await call()` and `with call() as x`. */
  private noteBinding(value: Node, targets: readonly Node[]): void {
    let expression = unparenthesize(value);
    if (expression.type === 'await') expression = unparenthesize(namedChildren(expression)[0] ?? expression);
    if (expression.type !== 'call') return;
    const holders = targets.flatMap((target) => this.holderOf(target) ?? []);
    if (holders.length > 0) this.pendingBindings.set(expression.id, holders);
  }

  /**
   * The holder an expression names: a local (or a dotted path from one), shared state, or an
   * attribute of `self`. Undefined for anything computed.
   */
  private holderOf(node: Node): ValueHolder | undefined {
    const expression = unparenthesize(node);
    if (expression.type !== 'identifier' && expression.type !== 'attribute' && expression.type !== 'subscript') return undefined;
    const text = expression.text;
    const shared = this.stateRef(expression);
    if (shared) return { key: canonicalKey(shared.key), text, kind: 'shared' };
    const parts = dottedParts(expression);
    const head = parts?.[0];
    if (!parts || !head || !(this.isLocal(head) || this.isEnclosingLocal(head))) return undefined;
    if (head === this.env.selfName && this.env.className && parts.length > 1) {
      return { key: `${this.env.className}().${parts.slice(1).join('.')}`, text, kind: 'instance' };
    }
    return { key: parts.join('.'), text, kind: 'local' };
  }

  /**
   * Whether `receiver.method(args)` can be a dict/list/set operation: the arguments fit the
   * method, and the receiver is not known to be an instance of some other class (a service object
   * whose `get`/`update` are its own). Awaited calls never are; the caller checks that.
   */
  private isContainerCall(receiver: StateRef, method: string, argumentNodes: readonly Node[]): boolean {
    const arity = CONTAINER_ARITY.get(method);
    const positional = argumentNodes.filter((argument) => argument.type !== 'keyword_argument' && argument.type !== 'dictionary_splat').length;
    if (arity === undefined || positional > arity) return false;
    const type = this.knownType(receiver);
    return type === undefined || CONTAINER_TYPES.test(type);
  }

  /** The type of a shared object when the module says what it was created as. */
  private knownType(ref: StateRef): string | undefined {
    if (ref.key === ref.root && ref.scope === 'module') return this.env.scope.bindings.get(ref.root)?.valueType;
    if (ref.scope === 'singleton' || ref.scope === 'class') {
      const attribute = ref.key.slice(ref.root.length + 1);
      const className = ref.scope === 'class' ? ref.root : this.env.className;
      if (className && /^\w+$/.test(attribute)) return this.env.scope.classes.get(className)?.instanceTypes.get(attribute);
    }
    return undefined;
  }

  /** `STATE.get(k)`, `STATE.append(x)`, `STATE.pop(k)`: reads and writes through methods. */
  private stateMethod(
    receiver: StateRef,
    method: string,
    argumentNodes: readonly Node[],
    args: readonly ValueSource[],
    call: Node,
    fallback: ValueSource,
  ): ValueSource {
    const first = argumentNodes[0];
    const item = first && first.type !== 'keyword_argument' ? this.itemRef(receiver, first, call) : receiver;
    if (ITEM_READ_METHODS.has(method)) return this.read(item, method === 'get' ? 'lookup' : 'value', call);
    if (WHOLE_READ_METHODS.has(method)) {
      const read = this.read(receiver, 'value', call);
      return method === 'copy' ? read : computedFrom(read);
    }
    if (!MUTATING_METHODS.has(method)) return fallback;
    let result: ValueSource = NO_SOURCE;
    let target = receiver;
    let value = mergeSources(NO_SOURCE, ...args);
    if (method === 'pop' || method === 'setdefault' || method === 'popitem') {
      target = method === 'popitem' || (method === 'pop' && !first) ? receiver : item;
      result = this.read(target, 'value', call);
      value = method === 'setdefault' ? mergeSources(NO_SOURCE, ...args.slice(1)) : NO_SOURCE;
    } else if ((method === 'add' || method === 'discard' || method === 'remove') && first) {
      // `S.add(x)` changes whether `x in S`: the element is the item written.
      target = item;
    } else if (method === '__setitem__' || method === '__delitem__') {
      target = item;
      value = method === '__setitem__' ? mergeSources(NO_SOURCE, ...args.slice(1)) : NO_SOURCE;
    }
    this.emit({
      kind: 'write',
      id: this.id(),
      state: target,
      op: method === 'pop' || method === 'popitem' || method === '__delitem__' ? 'delete' : 'mutate',
      method,
      value,
      range: rangeOf(call),
      statement: this.statementRef,
    });
    return result;
  }

  // ---------------------------------------------------------------- names and state

  private isLocal(name: string): boolean {
    return this.env.locals.has(name) && !this.env.globals.has(name);
  }

  private isEnclosingLocal(name: string): boolean {
    return this.env.enclosing.some((scope) => scope.has(name));
  }

  private moduleRef(name: string, node: Node): StateRef {
    const binding = this.env.scope.bindings.get(name);
    return { key: name, root: name, text: node.text, scope: 'module', definition: binding?.range };
  }

  private itemRef(container: StateRef, key: Node, node: Node): StateRef {
    return {
      ...container,
      key: `${container.key}[${key.text.replace(/\s+/g, '')}]`,
      text: node.text.length < 80 ? node.text : container.text,
    };
  }

  /**
   * The shared state an expression denotes, if any: module-level names, class attributes (via
   * the class, `cls`, `type(self)`, `self.__class__`), attributes and items of module-level
   * objects, `self.x` of singletons, `app.state.x` / `request.app.state.x`, aiohttp `app["k"]`.
   */
  private stateTarget(target: Node): StateAccess | undefined {
    if (!this.env.trackState) return undefined;
    const ref = this.stateRef(unparenthesize(target));
    return ref ? { ref: { ...ref, text: target.text.length < 80 ? target.text : ref.text } } : undefined;
  }

  private stateRef(node: Node): StateRef | undefined {
    const { scope } = this.env;
    switch (node.type) {
      case 'identifier': {
        const name = node.text;
        if (this.isApplicationParameter(name)) return { key: 'app', root: 'app', text: name, scope: 'app-state' };
        if (this.isLocal(name) || this.isEnclosingLocal(name)) return undefined;
        const binding = scope.bindings.get(name);
        if (!binding && !this.env.globals.has(name)) return undefined;
        if (binding?.kind === 'function') return undefined;
        if (binding?.kind === 'class') return undefined;
        if (this.isAppBinding(name)) return { key: 'app', root: 'app', text: name, scope: 'app-state', definition: binding?.range };
        return this.moduleRef(name, node);
      }
      case 'attribute': {
        const object = field(node, 'object');
        const attribute = field(node, 'attribute')?.text;
        if (!object || !attribute) return undefined;
        const objectExpr = unparenthesize(object);
        const className = this.classOf(objectExpr);
        if (className) {
          const info = scope.classes.get(className);
          return {
            key: `${className}.${attribute}`,
            root: className,
            text: node.text,
            scope: 'class',
            definition: info?.attributes.get(attribute) ?? scope.bindings.get(className)?.range,
          };
        }
        if (objectExpr.type === 'identifier' && objectExpr.text === this.env.selfName && this.env.className) {
          return this.selfAttribute(attribute, node);
        }
        if (attribute === 'app' && objectExpr.type === 'identifier' && this.env.params.has(objectExpr.text)) {
          return { key: 'app', root: 'app', text: node.text, scope: 'app-state' };
        }
        const base = this.baseRef(objectExpr);
        if (!base) return undefined;
        if (base.scope === 'app-state' && base.key === 'app') {
          if (attribute !== 'state') return undefined;
          return { ...base, key: 'app.state', root: 'app.state', text: node.text };
        }
        return { ...base, key: `${base.key}.${attribute}`, text: node.text };
      }
      case 'subscript': {
        const value = field(node, 'value');
        if (!value) return undefined;
        const base = this.baseRef(unparenthesize(value));
        if (!base) return undefined;
        const index = this.subscriptIndexes(node).map((child) => child.text.replace(/\s+/g, '')).join(',');
        return { ...base, key: `${base.key}[${index}]`, text: node.text };
      }
      default:
        return undefined;
    }
  }

  /** The state an object expression denotes, looking through locals that alias shared state. */
  private baseRef(node: Node): StateRef | undefined {
    if (node.type === 'identifier') {
      const alias = this.aliases.get(node.text);
      if (alias) return { ...alias, text: node.text };
    }
    return this.stateRef(node);
  }

  private isAppBinding(name: string): boolean {
    return APPLICATION_TYPES.has(this.env.scope.bindings.get(name)?.valueType ?? '');
  }

  /** The application handed to a lifespan or hook: `async def lifespan(app: FastAPI)`. */
  private isApplicationParameter(name: string): boolean {
    if (!this.env.params.has(name)) return false;
    const type = this.env.localTypes.get(name);
    return type ? APPLICATION_TYPES.has(type) : name === 'app';
  }

  /** The class a receiver denotes: `Counter`, `cls`, `type(self)`, `self.__class__`. */
  private classOf(node: Node): string | undefined {
    const { scope, className, selfName, clsName } = this.env;
    if (node.type === 'identifier') {
      if (node.text === clsName && className) return className;
      if (this.isLocal(node.text)) return undefined;
      return scope.bindings.get(node.text)?.kind === 'class' ? node.text : undefined;
    }
    if (!className) return undefined;
    if (node.type === 'call') {
      const callee = field(node, 'function');
      const args = callArguments(node).positional;
      if (callee?.text === 'type' && args.length === 1 && args[0]!.text === selfName) return className;
    }
    if (node.type === 'attribute' && field(node, 'attribute')?.text === '__class__' && field(node, 'object')?.text === selfName) {
      return className;
    }
    return undefined;
  }

  /**
   * `self.x`: shared when the class has a module-level instance (a singleton), or when `x` is a
   * class-level attribute never assigned through `self` (a mutable class attribute).
   */
  private selfAttribute(attribute: string, node: Node): StateRef | undefined {
    const className = this.env.className!;
    const info = this.env.scope.classes.get(className);
    const instance = this.env.scope.singletons.get(className);
    if (instance) {
      return {
        key: `${instance}.${attribute}`,
        root: instance,
        text: node.text,
        scope: 'singleton',
        definition: this.env.scope.bindings.get(instance)?.range,
      };
    }
    if (info?.attributes.has(attribute) && !info.selfAssigned.has(attribute)) {
      return { key: `${className}.${attribute}`, root: className, text: node.text, scope: 'class', definition: info.attributes.get(attribute) };
    }
    return undefined;
  }

  private annotationType(annotation: Node): string | undefined {
    const qualified = this.env.scope.annotationName(annotation);
    return qualified ? `${qualified}()` : undefined;
  }
}

/** Methods that hand out a registry's entry: `LOCKS.get(key)`, `self._locks.setdefault(key, Lock())`. */
const ENTRY_METHODS = new Set(['get', 'setdefault', '__getitem__']);
const LOCK_WORDS = new Set(['lock', 'locks', 'rlock', 'mutex', 'mutexes']);

/**
 * A lock obtained through a helper or kept in a registry, by the name of what hands it out:
 * `get_lock(key)`, `self.lock_for(user)`, `redis_lock(name)`, `self._locks[key]`,
 * `LOCKS.setdefault(key, asyncio.Lock())`. Semaphores are left out: they may admit several.
 */
function lockFromHelper(expr: Node): boolean {
  const target = expr.type === 'call' ? field(expr, 'function') : field(expr, 'value');
  const parts = target ? dottedParts(unparenthesize(target)) : undefined;
  if (!parts) return false;
  const named = expr.type === 'call' && parts.length > 1 && ENTRY_METHODS.has(parts[parts.length - 1]!) ? parts[parts.length - 2]! : parts[parts.length - 1]!;
  return named
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_')
    .some((word) => LOCK_WORDS.has(word));
}

const LITERALS = new Set(['integer', 'float', 'true', 'false', 'none', 'string', 'concatenated_string']);

/** The arguments written as literals, as the optional part of a call event. */
function literalArguments(argumentNodes: readonly Node[]): { literalArguments?: LiteralArgument[] } {
  const literals: LiteralArgument[] = [];
  let position = 0;
  for (const argument of argumentNodes) {
    if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
      // Positions after `*args` are unknown; keywords after `**kwargs` are still written out.
      if (argument.type === 'list_splat') position = Number.NaN;
      continue;
    }
    const keyword = argument.type === 'keyword_argument' ? field(argument, 'name')?.text : undefined;
    const value = unparenthesize(keyword ? (field(argument, 'value') ?? argument) : argument);
    const literal = LITERALS.has(value.type) && value.descendantsOfType('interpolation').length === 0;
    if (literal && keyword) literals.push({ keyword, value: value.text });
    else if (literal && !Number.isNaN(position)) literals.push({ position, value: value.text });
    if (!keyword) position++;
  }
  return literals.length > 0 ? { literalArguments: literals } : {};
}

/**
 * The operands of a left-nested chain such as `a + b + c + …`, in evaluation order, collected
 * without recursion: generated code can nest thousands deep.
 */
function operandsOf(node: Node): readonly Node[] {
  const rights: Node[] = [];
  let current = node;
  while (current.type === node.type) {
    const left = field(current, 'left');
    const right = field(current, 'right');
    if (!left || !right) break;
    rights.push(right);
    current = left;
  }
  return current === node ? namedChildren(node) : [current, ...rights.reverse()];
}

/** State keys with one quote style, so that `app['db']` and `app["db"]` name the same holder. */
function canonicalKey(key: string): string {
  return key.replace(/'/g, '"');
}

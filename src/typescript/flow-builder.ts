import type * as ts from 'typescript';
import { computedFrom, FlowGraphBuilder, mergeSources, NO_SOURCE, zeroRange } from '../core/flow-graph-builder';
import { edgeOf } from '../core/contexts/catalog';
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
  Range,
  ReadAccess,
  StateRef,
  ValueHolder,
  ValueSource,
  WriteOp,
} from '../core/facts';
import { bindingNames, isInstanceType, type LocalBindings, type ModuleScope } from './scope';
import { dottedParts, isFunctionNode, rangeOf, rethrows, shortText, stringValue, textOf, unwrap, type SyntaxContext } from './syntax';

/** What a type checker adds when the module belongs to a Program. */
export interface ProgramTyping {
  /** The qualified type of an expression's value, named like the frontend names types: `pg.Pool()`. */
  typeOf(node: ts.Expression): string | undefined;
  /** Whether a call's result is a Promise or another thenable. */
  isAwaitable(node: ts.CallExpression | ts.NewExpression): boolean;
}

/** What `this` is in a function body. */
export type ThisBinding =
  /** A module-level object or an instance the framework keeps one of: its fields are shared state. */
  | { kind: 'singleton'; className: string; field: (name: string) => Omit<StateRef, 'text'> }
  /** The class itself, in a static method: its static fields are class state. */
  | { kind: 'class'; className: string }
  /** An instance among many: its fields belong to it. */
  | { kind: 'instance'; className: string };

/** What a function body's names mean: which are local, which are module state, what `this` is. */
export interface FunctionEnvironment {
  scope: ModuleScope;
  /** Names the function binds: parameters and declarations anywhere in its body. */
  locals: ReadonlySet<string>;
  /** Locals of enclosing functions (closures), innermost last. */
  enclosing: readonly ReadonlySet<string>[];
  params: ReadonlySet<string>;
  self?: ThisBinding;
  isAsync: boolean;
  /** False for module-level code: import-time reads and writes are setup, not shared-state use. */
  trackState: boolean;
  localTypes: Map<string, string>;
  /** Module-level names holding an Express application: `app.locals` is application state. */
  applications: ReadonlySet<string>;
  /** Module-level names holding a mutex or lock. */
  moduleLocks: ReadonlyMap<string, LockKind>;
  /** The whole body runs holding this lock: a callback handed to `mutex.runExclusive`. */
  heldLock?: string;
  /** Parameters holding functions that return a promise: Koa's and Hono's `next`. */
  promiseParams?: ReadonlySet<string>;
  typing?: ProgramTyping;
}

const ITEM_READ_METHODS = new Map<string, ReadAccess>([
  ['get', 'lookup'],
  ['has', 'membership'],
  ['at', 'value'],
]);
const WHOLE_READ_METHODS = new Set([
  'keys', 'values', 'entries', 'forEach', 'includes', 'indexOf', 'lastIndexOf', 'find', 'findIndex', 'findLast',
  'filter', 'map', 'flatMap', 'slice', 'some', 'every', 'reduce', 'join', 'concat', 'toString', 'toJSON',
]);
/** Container methods that change the container, with the operation they are. */
const MUTATING_METHODS = new Map<string, WriteOp>([
  ['set', 'assign'],
  ['add', 'mutate'],
  ['delete', 'delete'],
  ['clear', 'delete'],
  ['push', 'mutate'],
  ['unshift', 'mutate'],
  ['pop', 'delete'],
  ['shift', 'delete'],
  ['splice', 'mutate'],
  ['sort', 'mutate'],
  ['reverse', 'mutate'],
  ['fill', 'mutate'],
  ['copyWithin', 'mutate'],
]);
/** Instances that are containers: built-in collections and caches (`lru-cache.LRUCache()`, `Map()`). */
const CONTAINER_INSTANCE = /(^|\.)(Map|Set|WeakMap|WeakSet|Array|Object|\w*Cache|\w*Map|\w*Set|\w*List|\w*Queue)\(\)(\[\])?$/;
/** Methods that act on one item of a container, named by their first argument. */
const ITEM_METHODS = new Set(['set', 'add', 'delete']);
const LOCK_NAME = /(^|_)(lock|locks|mutex|mtx|semaphore|sem)$|(Lock|Locks|Mutex|Semaphore)$/;
/** Request parameters whose `.app` is the application (Express's `req.app`). */
const REQUEST_NAMES = /^(req|request)$/;

interface JumpTarget {
  label?: string;
  breakTo: FlowBlock;
  /** Unset for `switch` and labelled blocks, which `continue` passes through. */
  continueTo?: FlowBlock;
  finallyDepth: number;
}

/**
 * Builds a function's flow graph: blocks of events in JavaScript's evaluation order, with edges
 * for branches, `switch` fall-through, loops (labelled, `for await`), `try`/`catch`/`finally`,
 * early exits and `throw`.
 */
export class FlowBuilder extends FlowGraphBuilder<ts.Block> {
  private readonly jumps: JumpTarget[] = [];
  private pendingLabel: string | undefined;
  private readonly explicitLockRegions = new Map<string, number>();
  /** Locals bound to the release function an `await mutex.acquire()` returned, by lock region. */
  private readonly releasers = new Map<string, number>();
  private readonly localBindings: LocalBindings;
  /** Where the value of a call (by node) is stored, noted before the call is evaluated. */
  private readonly pendingBindings = new Map<ts.Node, ValueHolder[]>();
  /** The enclosing call of a call that is a direct argument. */
  private readonly pendingArgumentOf = new Map<ts.Node, { callee?: string; text: string }>();
  /** Calls that are the operand of `void`: dropped on purpose. */
  private readonly voidedCalls = new Set<ts.Node>();
  /** Locals bound to shared state itself (`const cart = carts.get(user)`): mutating them mutates it. */
  private readonly aliases = new Map<string, StateRef>();
  /** Locals bound to a lock created in this call: it excludes no other request. */
  private readonly perCallLocks = new Set<string>();
  /** Iterate events of the loops being built, innermost last: calls inside run once per element. */
  private readonly iterations: number[] = [];
  /** Locals whose type only the checker can tell, with the expression they were bound to. */
  private readonly uncheckedLocals = new Map<string, ts.Expression>();

  constructor(
    private readonly context: SyntaxContext,
    private readonly env: FunctionEnvironment,
  ) {
    super();
    const self = env.self;
    this.localBindings = {
      binds: (name) => this.isLocal(name) || this.isEnclosingLocal(name),
      typeOf: (name) => this.localType(name),
      ...(self && self.kind !== 'class' && { thisType: `${env.scope.moduleName}.${self.className}()` }),
    };
  }

  private get ts() {
    return this.context.ts;
  }

  /** Builds the graph for a list of statements (a function body or the module). */
  buildBody(statements: readonly ts.Statement[]): FlowGraph {
    this.enterHeldLock();
    this.suite(statements, 0);
    return this.graph();
  }

  /** Builds the graph for an arrow function's expression body. */
  buildExpression(expression: ts.Expression): FlowGraph {
    this.enterHeldLock();
    this.withStatement(expression, () => this.emit({ kind: 'return', value: this.expr(expression, 'returned'), range: this.range(expression) }));
    return this.graph();
  }

  /** A callback run under a lock holds it from its first statement to its last. */
  private enterHeldLock(): void {
    if (this.env.heldLock === undefined) return;
    this.emit({ kind: 'lock-enter', lock: this.env.heldLock, lockKind: 'asyncio', region: this.region(), range: zeroRange() });
  }

  protected finallyBody(body: ts.Block): void {
    this.suite(body.statements);
  }

  private range(node: ts.Node): Range {
    return rangeOf(this.context, node);
  }

  private withStatement<T>(node: ts.Node, body: () => T): T {
    return this.inStatement(this.range(node), body);
  }

  // ---------------------------------------------------------------- statements

  private suite(statements: readonly ts.Statement[], id?: number): void {
    this.inSuite(statements, (statement) => this.range(statement), (statement) => this.statement(statement), id);
  }

  /** A statement that is a block is a suite of its own; any other is a suite of one. */
  private body(node: ts.Statement | undefined): void {
    if (!node) return;
    this.suite(this.ts.isBlock(node) ? node.statements : [node]);
  }

  private statement(node: ts.Statement): void {
    const { ts: api } = this;
    const label = this.pendingLabel;
    this.pendingLabel = undefined;
    if (api.isExpressionStatement(node)) this.expressionStatement(node.expression);
    else if (api.isVariableStatement(node)) this.variableDeclarations(node.declarationList);
    else if (api.isReturnStatement(node)) {
      if (node.expression) this.emit({ kind: 'return', value: this.expr(node.expression, 'returned'), range: this.range(node) });
      this.leave(this.exit, 0);
    } else if (api.isThrowStatement(node)) {
      this.expr(node.expression, 'other');
      this.raise();
    } else if (api.isIfStatement(node)) this.ifStatement(node);
    else if (api.isBlock(node)) this.labelled(label, () => this.suite(node.statements));
    else if (api.isWhileStatement(node)) this.whileStatement(node, label);
    else if (api.isDoStatement(node)) this.doStatement(node, label);
    else if (api.isForStatement(node)) this.forStatement(node, label);
    else if (api.isForOfStatement(node) || api.isForInStatement(node)) this.forEachStatement(node, label);
    else if (api.isSwitchStatement(node)) this.switchStatement(node, label);
    else if (api.isTryStatement(node)) this.tryStatement(node);
    else if (api.isBreakStatement(node)) this.jump(node.label?.text, 'break');
    else if (api.isContinueStatement(node)) this.jump(node.label?.text, 'continue');
    else if (api.isLabeledStatement(node)) {
      this.pendingLabel = node.label.text;
      this.withStatement(node.statement, () => this.statement(node.statement));
      this.pendingLabel = undefined;
    } else if (api.isFunctionDeclaration(node) || api.isClassDeclaration(node)) {
      if (node.name) this.bindName(node.name.text, NO_SOURCE, node.name);
    }
    // Types, interfaces, enums, imports, `debugger`, empty statements: nothing is evaluated.
  }

  /** A labelled block is a `break` target. */
  private labelled(label: string | undefined, body: () => void): void {
    if (label === undefined) {
      body();
      return;
    }
    const after = this.newBlock();
    this.jumps.push({ label, breakTo: after, finallyDepth: this.tries.length });
    body();
    this.jumps.pop();
    this.link(this.current, after);
    this.startBlock(after);
  }

  private jump(label: string | undefined, kind: 'break' | 'continue'): void {
    for (let index = this.jumps.length - 1; index >= 0; index--) {
      const target = this.jumps[index]!;
      if (label !== undefined && target.label !== label) continue;
      const to = kind === 'break' ? target.breakTo : target.continueTo;
      if (!to) continue;
      this.leave(to, target.finallyDepth);
      return;
    }
    this.deadEnd();
  }

  private expressionStatement(expression: ts.Expression): void {
    const { ts: api } = this;
    const node = unwrap(this.context, expression);
    if (api.isBinaryExpression(node) && isAssignmentOperator(this.context, node.operatorToken.kind)) {
      this.assignment(node);
      return;
    }
    this.expr(expression, 'statement');
  }

  private variableDeclarations(list: ts.VariableDeclarationList): void {
    const { ts: api } = this;
    for (const declaration of list.declarations) {
      if (!declaration.initializer) {
        for (const name of bindingNames(this.context, declaration.name)) this.bindName(name.text, NO_SOURCE, name);
        continue;
      }
      const targets = [declaration.name];
      this.noteBinding(declaration.initializer, targets);
      const value = this.expr(declaration.initializer, 'assigned');
      if (!api.isIdentifier(declaration.name)) {
        for (const name of bindingNames(this.context, declaration.name)) this.bindName(name.text, computedFrom(value), name);
        continue;
      }
      const name = declaration.name.text;
      this.bindName(name, value, declaration.name);
      const declared = declaration.type ? this.env.scope.typeNodeName(declaration.type) : undefined;
      const type = declared ?? this.env.scope.typeOf(declaration.initializer, this.localBindings);
      this.noteLocalType(name, type, declaration.initializer);
      const alias = this.aliasedState(declaration.initializer);
      if (alias) this.aliases.set(name, alias);
      if (this.lockKindOfType(type)) this.perCallLocks.add(name);
      if (this.isAcquireCall(declaration.initializer)) this.noteReleaser(name, declaration.initializer);
    }
  }

  /**
   * What a local now holds. When the module's declarations cannot tell, the checker may: it is
   * asked only if a call is made on the local, since asking costs a type inference.
   */
  private noteLocalType(name: string, type: string | undefined, value: ts.Expression): void {
    this.uncheckedLocals.delete(name);
    if (type) this.env.localTypes.set(name, type);
    else {
      this.env.localTypes.delete(name);
      if (this.env.typing) this.uncheckedLocals.set(name, value);
    }
  }

  private localType(name: string): string | undefined {
    const known = this.env.localTypes.get(name);
    const value = known === undefined ? this.uncheckedLocals.get(name) : undefined;
    if (!value) return known;
    this.uncheckedLocals.delete(name);
    const checked = this.env.typing?.typeOf(value);
    if (checked) this.env.localTypes.set(name, checked);
    return checked;
  }

  /** `x = v`, `x += v`, `x ??= v`, destructuring: evaluate, then store. */
  private assignment(node: ts.BinaryExpression): ValueSource {
    const { ts: api } = this;
    const operator = node.operatorToken.kind;
    const target = unwrap(this.context, node.left);
    if (operator === api.SyntaxKind.EqualsToken) {
      if (api.isObjectLiteralExpression(target) || api.isArrayLiteralExpression(target)) {
        const value = this.expr(node.right, 'assigned');
        this.destructure(target, computedFrom(value));
        return value;
      }
      this.noteBinding(node.right, [target]);
      const access = this.stateTarget(target);
      // The target's object and index are evaluated before the value, then the store happens.
      if (!access) this.targetOperands(target);
      const value = this.expr(node.right, 'assigned');
      if (api.isIdentifier(target)) {
        this.bindName(target.text, value, target, node);
        if (this.isLocal(target.text)) {
          this.noteLocalType(target.text, this.env.scope.typeOf(node.right, this.localBindings), node.right);
          const alias = this.aliasedState(node.right);
          if (alias) this.aliases.set(target.text, alias);
        }
        return value;
      }
      if (access) this.write(access, 'assign', value, node);
      return value;
    }
    // Compound assignment: `X op= e` loads X (and its index) before evaluating e, then stores.
    if (api.isIdentifier(target) && (this.isLocal(target.text) || this.isEnclosingLocal(target.text))) {
      const value = this.expr(node.right, 'other');
      this.emit({ kind: 'local-read', name: target.text, range: this.range(target) });
      this.bindName(target.text, mergeSources({ reads: [], locals: [target.text], computed: true }, value), target);
      return computedFrom(value);
    }
    const access = this.stateTarget(target);
    // `x ??= new Pool()` stores the call's result in `x`, as `x = new Pool()` does.
    const logical = [api.SyntaxKind.QuestionQuestionEqualsToken, api.SyntaxKind.BarBarEqualsToken, api.SyntaxKind.AmpersandAmpersandEqualsToken].includes(operator);
    if (logical) this.noteBinding(node.right, [target]);
    const old = this.expr(target, 'other');
    const value = this.expr(node.right, logical ? 'assigned' : 'other');
    const result = mergeSources(old, value, { reads: [], locals: [], computed: true });
    if (access) this.write(access, 'augmented', result, node);
    return result;
  }

  /** The object and index of an assignment target are evaluated even when the target is not state. */
  private targetOperands(target: ts.Expression): void {
    const { ts: api } = this;
    if (api.isPropertyAccessExpression(target)) this.expr(target.expression, 'other');
    else if (api.isElementAccessExpression(target)) {
      this.expr(target.expression, 'other');
      this.expr(target.argumentExpression, 'other');
    }
  }

  private destructure(pattern: ts.Expression, value: ValueSource): void {
    const { ts: api } = this;
    const node = unwrap(this.context, pattern);
    if (api.isIdentifier(node)) {
      this.bindName(node.text, value, node);
      return;
    }
    if (api.isArrayLiteralExpression(node)) {
      for (const element of node.elements) this.destructure(api.isSpreadElement(element) ? element.expression : element, value);
      return;
    }
    if (api.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (api.isShorthandPropertyAssignment(property)) this.bindName(property.name.text, value, property.name);
        else if (api.isPropertyAssignment(property)) this.destructure(property.initializer, value);
        else if (api.isSpreadAssignment(property)) this.destructure(property.expression, value);
      }
      return;
    }
    if (api.isBinaryExpression(node) && node.operatorToken.kind === api.SyntaxKind.EqualsToken) {
      this.destructure(node.left, value);
      return;
    }
    const access = this.stateTarget(node);
    if (access) this.write(access, 'assign', value, node);
  }

  private write(access: StateRef, op: WriteOp, value: ValueSource, node: ts.Node, method?: string): void {
    this.emit({
      kind: 'write',
      id: this.id(),
      state: access,
      op,
      ...(method !== undefined && { method }),
      value,
      range: this.range(node),
      statement: this.statementRef,
    });
  }

  /** A name (re)bound: a local's new value, or a write to module state (`count = count + 1`). */
  private bindName(name: string, value: ValueSource, node: ts.Node, statement: ts.Node = node, elementOf?: number): void {
    this.aliases.delete(name);
    this.perCallLocks.delete(name);
    this.releasers.delete(name);
    if (this.isLocal(name)) {
      this.emit({ kind: 'bind', name, value, ...(elementOf !== undefined && { elementOf }), range: this.range(node) });
      return;
    }
    if (this.isEnclosingLocal(name) || !this.env.trackState) return;
    const ref = this.moduleVariable(name, node);
    if (ref) this.write(ref, 'assign', value, statement);
  }

  private ifStatement(node: ts.IfStatement): void {
    const after = this.newBlock();
    const thenBlock = this.newBlock();
    const elseBlock = this.newBlock();
    this.condition(node.expression, thenBlock, elseBlock, node.elseStatement ? undefined : this.guardOf(node.thenStatement, node.expression), this.fixedTruth(node.expression));
    this.startBlock(thenBlock);
    this.body(node.thenStatement);
    this.link(this.current, after);
    this.startBlock(elseBlock);
    if (node.elseStatement) {
      const elseStatement = node.elseStatement;
      if (this.ts.isIfStatement(elseStatement)) this.withStatement(elseStatement, () => this.ifStatement(elseStatement));
      else this.body(elseStatement);
    }
    this.link(this.current, after);
    this.startBlock(after);
  }

  /** A guard clause: the consequence leaves at once (`return`/`throw`/`continue`/`break`). */
  private guardOf(consequence: ts.Statement, condition: ts.Expression): BranchGuard | undefined {
    const { ts: api } = this;
    const statements = api.isBlock(consequence) ? consequence.statements : [consequence];
    const last = statements[statements.length - 1];
    if (!last) return undefined;
    const by = api.isThrowStatement(last)
      ? 'raise'
      : api.isReturnStatement(last)
        ? 'return'
        : api.isContinueStatement(last) || api.isBreakStatement(last)
          ? 'loop'
          : undefined;
    if (!by) return undefined;
    let returnsTestedState = false;
    if (api.isReturnStatement(last) && last.expression) {
      const tested = new Set(identifiersIn(this.context, condition).filter((name) => !this.env.params.has(name)));
      // `const v = CACHE[k].value; return v;` returns the tested state through a local.
      for (const statement of statements) {
        if (!api.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (!api.isIdentifier(declaration.name) || !declaration.initializer) continue;
          if (identifiersIn(this.context, declaration.initializer).some((name) => tested.has(name))) tested.add(declaration.name.text);
        }
      }
      returnsTestedState = identifiersIn(this.context, last.expression).some((name) => tested.has(name));
    }
    return { exitsWhen: true, by, returnsTestedState };
  }

  /** Evaluates a test, then branches: the two edges carry the branch event's id. */
  private condition(condition: ts.Expression, whenTrue: FlowBlock, whenFalse: FlowBlock, guard?: BranchGuard, fixed?: boolean): void {
    const value = this.expr(condition, 'other');
    this.branchTo({ value, ...this.testKind(condition), guard, range: this.range(condition), ...(fixed !== undefined && { fixed }) }, whenTrue, whenFalse);
  }

  /**
   * The truth an `if` test always has, when that is certain without running it: `true`, `false`,
   * `!` of one, `&&`/`||` with an operand that decides, or a module-level `const` bound to one
   * (`const USE_CACHE = false`), which nothing can rebind. Undefined for anything else,
   * `process.env` included.
   */
  private fixedTruth(condition: ts.Expression): boolean | undefined {
    const { ts: api } = this;
    const { node, negated } = this.withoutNegations(condition);
    let truth: boolean | undefined;
    if (node.kind === api.SyntaxKind.TrueKeyword) truth = true;
    else if (node.kind === api.SyntaxKind.FalseKeyword) truth = false;
    else if (api.isIdentifier(node) && !this.isLocal(node.text) && !this.isEnclosingLocal(node.text)) truth = this.env.scope.bindings.get(node.text)?.fixedTruth;
    else if (api.isBinaryExpression(node) && (node.operatorToken.kind === api.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === api.SyntaxKind.BarBarToken)) {
      // `x && false` is falsy and `x || true` truthy whatever `x` is: one fixed operand decides.
      const deciding = node.operatorToken.kind === api.SyntaxKind.BarBarToken;
      const operands = [this.fixedTruth(node.left), this.fixedTruth(node.right)];
      truth = operands.includes(deciding) ? deciding : operands.every((operand) => operand === !deciding) ? !deciding : undefined;
    }
    return truth === undefined ? undefined : truth !== negated;
  }

  /** A test without its `!`s (and parentheses), and whether an odd number of them negated it. */
  private withoutNegations(condition: ts.Expression): { node: ts.Expression; negated: boolean } {
    const { ts: api } = this;
    let node = unwrap(this.context, condition);
    let negated = false;
    while (api.isPrefixUnaryExpression(node) && node.operator === api.SyntaxKind.ExclamationToken) {
      node = unwrap(this.context, node.operand);
      negated = !negated;
    }
    return { node, negated };
  }

  /** What a test asks, and for a presence test which outcome finds the value there. */
  private testKind(condition: ts.Expression): Pick<BranchEvent, 'test' | 'presentWhen'> {
    const { ts: api } = this;
    const { node, negated } = this.withoutNegations(condition);
    const presence = (present: boolean, test: 'membership' | 'truthiness' = 'membership') => ({ test, presentWhen: present !== negated });
    if (api.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator === api.SyntaxKind.InKeyword) return presence(true);
      const equality = [
        api.SyntaxKind.EqualsEqualsEqualsToken,
        api.SyntaxKind.ExclamationEqualsEqualsToken,
        api.SyntaxKind.EqualsEqualsToken,
        api.SyntaxKind.ExclamationEqualsToken,
      ].includes(operator);
      const nothing = (side: ts.Expression) => {
        const operand = unwrap(this.context, side);
        return operand.kind === api.SyntaxKind.NullKeyword || (api.isIdentifier(operand) && operand.text === 'undefined') || api.isVoidExpression(operand);
      };
      if (!equality || !(nothing(node.left) || nothing(node.right))) return { test: 'value' };
      return presence(operator === api.SyntaxKind.ExclamationEqualsEqualsToken || operator === api.SyntaxKind.ExclamationEqualsToken);
    }
    if (api.isCallExpression(node)) {
      const callee = unwrap(this.context, node.expression);
      const method = api.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      return method === 'has' || method === 'get' ? presence(true) : { test: 'value' };
    }
    if (api.isIdentifier(node) || api.isPropertyAccessExpression(node) || api.isElementAccessExpression(node)) return presence(true, 'truthiness');
    return { test: 'value' };
  }

  private loop(label: string | undefined, breakTo: FlowBlock, continueTo: FlowBlock, body: ts.Statement): void {
    this.jumps.push({ label, breakTo, continueTo, finallyDepth: this.tries.length });
    this.body(body);
    this.jumps.pop();
  }

  private whileStatement(node: ts.WhileStatement, label: string | undefined): void {
    const header = this.newBlock();
    const body = this.newBlock();
    const after = this.newBlock();
    this.link(this.current, header);
    this.startBlock(header);
    this.condition(node.expression, body, after);
    this.startBlock(body);
    this.loop(label, after, header, node.statement);
    this.link(this.current, header);
    this.startBlock(after);
  }

  private doStatement(node: ts.DoStatement, label: string | undefined): void {
    const body = this.newBlock();
    const test = this.newBlock();
    const after = this.newBlock();
    this.link(this.current, body);
    this.startBlock(body);
    this.loop(label, after, test, node.statement);
    this.link(this.current, test);
    this.startBlock(test);
    this.condition(node.expression, body, after);
    this.startBlock(after);
  }

  private forStatement(node: ts.ForStatement, label: string | undefined): void {
    const { ts: api } = this;
    const initializer = node.initializer;
    if (initializer && api.isVariableDeclarationList(initializer)) this.variableDeclarations(initializer);
    else if (initializer) this.expressionStatement(initializer);
    const header = this.newBlock();
    const body = this.newBlock();
    const increment = this.newBlock();
    const after = this.newBlock();
    this.link(this.current, header);
    this.startBlock(header);
    if (node.condition) this.condition(node.condition, body, after);
    else this.link(header, body);
    this.startBlock(body);
    this.loop(label, after, increment, node.statement);
    this.link(this.current, increment);
    this.startBlock(increment);
    if (node.incrementor) this.expressionStatement(node.incrementor);
    this.link(this.current, header);
    this.startBlock(after);
  }

  private forEachStatement(node: ts.ForOfStatement | ts.ForInStatement, label: string | undefined): void {
    const { ts: api } = this;
    const iterable = this.expr(node.expression, 'other');
    const awaits = api.isForOfStatement(node) && node.awaitModifier !== undefined;
    const iteration = this.iterate(awaits ? 'async-for' : 'for', iterable, node.expression);
    const header = this.newBlock();
    const body = this.newBlock();
    const after = this.newBlock();
    this.link(this.current, header);
    this.startBlock(header);
    if (awaits) this.suspendAt('async-for', node.expression);
    this.link(header, body);
    this.link(header, after);
    this.startBlock(body);
    this.iterations.push(iteration);
    // The loop variable holds an element, not the iterated state: tests on it decide nothing
    // about the container.
    const initializer = node.initializer;
    if (api.isVariableDeclarationList(initializer)) {
      for (const declaration of initializer.declarations) {
        for (const name of bindingNames(this.context, declaration.name)) this.bindName(name.text, NO_SOURCE, name, name, iteration);
      }
    } else this.destructure(initializer, NO_SOURCE);
    this.loop(label, after, header, node.statement);
    this.iterations.pop();
    this.link(this.current, header);
    this.startBlock(after);
  }

  private switchStatement(node: ts.SwitchStatement, label: string | undefined): void {
    const { ts: api } = this;
    const subject = this.expr(node.expression, 'other');
    const after = this.newBlock();
    const clauses = node.caseBlock.clauses;
    const bodies = clauses.map(() => this.newBlock());
    let defaultBody: FlowBlock | undefined;
    clauses.forEach((clause, index) => {
      if (!api.isCaseClause(clause)) {
        defaultBody = bodies[index];
        return;
      }
      const next = this.newBlock();
      const value = this.expr(clause.expression, 'other');
      this.branchTo({ value: mergeSources(subject, value), test: 'value', range: this.range(clause.expression) }, bodies[index]!, next);
      this.startBlock(next);
    });
    this.link(this.current, defaultBody ?? after);
    this.jumps.push({ label, breakTo: after, finallyDepth: this.tries.length });
    clauses.forEach((clause, index) => {
      this.link(this.current, bodies[index]!);
      this.startBlock(bodies[index]!);
      this.suite(clause.statements);
    });
    this.jumps.pop();
    this.link(this.current, after);
    this.startBlock(after);
  }

  private tryStatement(node: ts.TryStatement): void {
    const catchClause = node.catchClause;
    const finallyBody = node.finallyBlock;
    const handlerBlock = catchClause ? this.newBlock() : undefined;
    // Without a `catch`, an exception escapes through `finally` to the caller.
    const escape = finallyBody && !catchClause ? this.newBlock() : undefined;
    const after = this.newBlock();

    this.tries.push({ handlers: escape ? [escape] : handlerBlock ? [handlerBlock] : [], finallyBody, swallows: catchClause !== undefined && !rethrows(this.context, catchClause) });
    this.link(this.current, handlerBlock ?? escape ?? after);
    this.suite(node.tryBlock.statements);
    this.tries.pop();
    this.tries.push({ handlers: [], finallyBody });
    const ends: FlowBlock[] = [this.current];
    if (catchClause && handlerBlock) {
      this.startBlock(handlerBlock);
      const variable = catchClause.variableDeclaration;
      if (variable) for (const name of bindingNames(this.context, variable.name)) this.bindName(name.text, NO_SOURCE, name);
      this.suite(catchClause.block.statements);
      ends.push(this.current);
    }
    this.tries.pop();
    if (finallyBody) {
      const join = this.newBlock();
      for (const end of ends) this.link(end, join);
      this.startBlock(join);
      this.suite(finallyBody.statements);
      this.link(this.current, after);
      if (escape) {
        this.startBlock(escape);
        this.suite(finallyBody.statements);
        this.raise();
      }
    } else {
      for (const end of ends) this.link(end, after);
    }
    this.startBlock(after);
  }

  /** Emits the start of a loop over `value` and returns its id: calls in the body carry it. */
  private iterate(form: IterateEvent['form'], value: ValueSource, node: ts.Node): number {
    const id = this.id();
    const parent = this.iterations[this.iterations.length - 1];
    this.emit({ kind: 'iterate', id, form, value, ...(parent !== undefined && { parent }), range: this.range(node), statement: this.statementRef });
    return id;
  }

  private suspendAt(form: AwaitForm, node: ts.Node): void {
    this.suspend(form, shortText(this.context, node), this.range(node));
  }

  // ---------------------------------------------------------------- expressions

  /** Emits the events of evaluating `node` and returns where its value comes from. */
  private expr(node: ts.Expression, usage: CallUsage): ValueSource {
    const { ts: api } = this;
    if (api.isIdentifier(node)) return this.name(node);
    if (api.isPropertyAccessExpression(node) || api.isElementAccessExpression(node)) return this.access(node);
    if (api.isCallExpression(node) || api.isNewExpression(node)) return this.call(node, usage);
    if (api.isAwaitExpression(node)) {
      const value = this.expr(node.expression, 'awaited');
      this.suspendAt('await', node.expression);
      return computedFrom(value);
    }
    if (api.isParenthesizedExpression(node) || api.isAsExpression(node) || api.isTypeAssertionExpression(node) || api.isNonNullExpression(node) || api.isSatisfiesExpression(node)) {
      return this.expr(node.expression, usage);
    }
    if (api.isBinaryExpression(node)) return this.binary(node);
    if (api.isPrefixUnaryExpression(node) || api.isPostfixUnaryExpression(node)) return this.unary(node);
    if (api.isArrowFunction(node) || api.isFunctionExpression(node) || api.isClassExpression(node)) return NO_SOURCE;
    if (api.isVoidExpression(node)) {
      this.voidedCalls.add(unwrap(this.context, node.expression));
      this.expr(node.expression, 'other');
      return NO_SOURCE;
    }
    if (api.isDeleteExpression(node)) {
      const target = unwrap(this.context, node.expression);
      const access = this.stateTarget(target);
      if (access) this.write(access, 'delete', NO_SOURCE, node);
      else this.targetOperands(target);
      return NO_SOURCE;
    }
    if (api.isYieldExpression(node)) {
      const value = node.expression ? this.expr(node.expression, 'other') : NO_SOURCE;
      if (this.env.isAsync) this.suspendAt('yield', node);
      return computedFrom(value);
    }
    if (api.isTaggedTemplateExpression(node)) return this.call(node, usage);
    if (api.isStringLiteralLike(node) || api.isNumericLiteral(node) || api.isBigIntLiteral(node) || api.isRegularExpressionLiteral(node)) return NO_SOURCE;
    if (node.kind === api.SyntaxKind.ThisKeyword || node.kind === api.SyntaxKind.NullKeyword || node.kind === api.SyntaxKind.TrueKeyword || node.kind === api.SyntaxKind.FalseKeyword || node.kind === api.SyntaxKind.SuperKeyword) {
      return NO_SOURCE;
    }
    if (api.isObjectLiteralExpression(node)) {
      const parts: ValueSource[] = [];
      for (const property of node.properties) {
        if (api.isPropertyAssignment(property)) {
          if (api.isComputedPropertyName(property.name)) parts.push(this.expr(property.name.expression, 'other'));
          parts.push(this.expr(property.initializer, 'other'));
        } else if (api.isShorthandPropertyAssignment(property)) parts.push(this.name(property.name));
        else if (api.isSpreadAssignment(property)) parts.push(this.expr(property.expression, 'other'));
      }
      return computedFrom(mergeSources(NO_SOURCE, ...parts));
    }
    if (api.isSpreadElement(node)) return this.expr(node.expression, usage === 'statement' ? 'other' : usage);
    // Conditionals, templates, arrays, `typeof`, JSX: evaluate what is inside.
    const parts: ValueSource[] = [];
    api.forEachChild(node, (child) => {
      if (api.isExpression(child)) parts.push(this.expr(child, 'other'));
      else if (api.isTemplateSpan(child) || api.isJsxExpression(child) || api.isJsxAttributes(child) || api.isJsxAttribute(child) || api.isJsxOpeningElement(child) || api.isJsxSelfClosingElement(child)) {
        api.forEachChild(child, (inner) => {
          if (api.isExpression(inner)) parts.push(this.expr(inner, 'other'));
        });
      }
    });
    return computedFrom(mergeSources(NO_SOURCE, ...parts));
  }

  private binary(node: ts.BinaryExpression): ValueSource {
    const { ts: api } = this;
    const operator = node.operatorToken.kind;
    if (isAssignmentOperator(this.context, operator)) return this.assignment(node);
    if (operator === api.SyntaxKind.CommaToken) {
      this.expr(node.left, 'other');
      return this.expr(node.right, 'other');
    }
    if (operator === api.SyntaxKind.InKeyword && this.env.trackState) {
      // `key in STATE` asks whether STATE has the key.
      const key = this.expr(node.left, 'other');
      const container = this.baseRef(unwrap(this.context, node.right));
      if (container) return computedFrom(mergeSources(this.read(this.itemRef(container, node.left, node), 'membership', node), { ...key, reads: [] }));
      return computedFrom(mergeSources(key, this.expr(node.right, 'other')));
    }
    // Operands of a long left-nested chain (`a + b + c + …`) without recursion: generated code nests deep.
    const operands: ts.Expression[] = [];
    let current: ts.Expression = node;
    while (api.isBinaryExpression(current) && !isAssignmentOperator(this.context, current.operatorToken.kind) && current.operatorToken.kind !== api.SyntaxKind.InKeyword && current.operatorToken.kind !== api.SyntaxKind.CommaToken) {
      operands.push(current.right);
      current = current.left;
    }
    operands.push(current);
    operands.reverse();
    return computedFrom(mergeSources(NO_SOURCE, ...operands.map((operand) => this.expr(operand, 'other'))));
  }

  /** `x++`, `--STATE[k]`: a read and a write of the value computed from it. */
  private unary(node: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): ValueSource {
    const { ts: api } = this;
    const increments = node.operator === api.SyntaxKind.PlusPlusToken || node.operator === api.SyntaxKind.MinusMinusToken;
    if (!increments) return computedFrom(this.expr(node.operand, 'other'));
    const target = unwrap(this.context, node.operand);
    if (api.isIdentifier(target) && (this.isLocal(target.text) || this.isEnclosingLocal(target.text))) {
      this.emit({ kind: 'local-read', name: target.text, range: this.range(target) });
      this.bindName(target.text, { reads: [], locals: [target.text], computed: true }, target);
      return { reads: [], locals: [target.text], computed: true };
    }
    const access = this.stateTarget(target);
    const old = this.expr(target, 'other');
    const value = computedFrom(old);
    if (access) this.write(access, 'augmented', value, node);
    return value;
  }

  private name(node: ts.Identifier): ValueSource {
    const text = node.text;
    if (text === 'undefined') return NO_SOURCE;
    if (this.isLocal(text)) {
      this.emit({ kind: 'local-read', name: text, range: this.range(node) });
      return { reads: [], locals: [text], computed: false };
    }
    if (this.isEnclosingLocal(text)) {
      this.emit({ kind: 'local-read', name: text, range: this.range(node) });
      return NO_SOURCE;
    }
    if (!this.env.trackState) return NO_SOURCE;
    const access = this.stateTarget(node);
    return access ? this.read(access, 'value', node) : NO_SOURCE;
  }

  private access(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): ValueSource {
    const { ts: api } = this;
    const access = this.stateTarget(node);
    if (api.isElementAccessExpression(node)) {
      const index = this.expr(node.argumentExpression, 'other');
      if (access) return mergeSources(this.read(access, 'value', node), { ...index, reads: [], computed: false });
      return mergeSources(this.expr(node.expression, 'other'), index);
    }
    if (access) return this.read(access, 'value', node);
    return this.expr(node.expression, 'other');
  }

  private read(ref: StateRef, access: ReadAccess, node: ts.Node): ValueSource {
    const id = this.id();
    this.emit({ kind: 'read', id, state: ref, access, range: this.range(node), statement: this.statementRef });
    return { reads: [id], locals: [], computed: false };
  }

  private call(node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, usage: CallUsage): ValueSource {
    const { ts: api } = this;
    const calleeNode = api.isTaggedTemplateExpression(node) ? node.tag : node.expression;
    const callee = unwrap(this.context, calleeNode);
    const sources: ValueSource[] = [];
    let receiverState: StateRef | undefined;
    let method: string | undefined;
    let object: ts.Expression | undefined;
    if (api.isPropertyAccessExpression(callee) || (api.isElementAccessExpression(callee) && stringValue(this.context, callee.argumentExpression) !== undefined)) {
      object = unwrap(this.context, callee.expression);
      method = api.isPropertyAccessExpression(callee) ? callee.name.text : stringValue(this.context, callee.argumentExpression);
      receiverState = this.env.trackState ? this.baseRef(object) : undefined;
      if (receiverState) receiverState = { ...receiverState, text: textOf(this.context, object).length < 80 ? textOf(this.context, object) : receiverState.text };
      else sources.push(this.expr(object, 'other'));
    } else if (!api.isIdentifier(callee)) {
      sources.push(this.expr(callee, 'other'));
    }
    const argumentNodes: readonly ts.Expression[] = api.isTaggedTemplateExpression(node) ? [] : (node.arguments ?? []);
    const calleeName = this.calleeName(callee);
    const text = shortText(this.context, callee, 80);
    for (const argument of argumentNodes) {
      const value = unwrap(this.context, argument);
      if (api.isCallExpression(value) || api.isNewExpression(value)) this.pendingArgumentOf.set(value, { callee: calleeName, text });
    }
    if (api.isTaggedTemplateExpression(node)) sources.push(this.expr(node.template, 'other'));
    const args = argumentNodes.map((argument) => this.expr(argument, 'argument'));
    sources.push(...args);
    const holders = argumentNodes.flatMap((argument) => this.holderOf(argument) ?? []);
    const functionArguments = edgeOf(calleeName, text) ? argumentNodes.flatMap((argument) => this.functionReference(argument) ?? []) : [];
    const positional = argumentNodes.map((argument) => shortText(this.context, argument));
    const inputs = mergeSources(NO_SOURCE, ...sources);

    let result: ValueSource = computedFrom(inputs);
    if (receiverState && method && usage !== 'awaited' && this.mayBeContainer(object!)) {
      result = this.stateMethod(receiverState, method, argumentNodes, args, node, result);
    }
    if (method && object) this.explicitLock(object, method, usage === 'awaited', node);
    if (!api.isTaggedTemplateExpression(node) && api.isIdentifier(callee) && this.releasers.has(callee.text)) {
      this.emit({ kind: 'lock-exit', region: this.releasers.get(callee.text)! });
    }
    const receiver = object ? this.holderOf(object) : undefined;
    const boundTo = this.pendingBindings.get(node);
    const argumentOf = this.pendingArgumentOf.get(node);
    this.pendingBindings.delete(node);
    this.pendingArgumentOf.delete(node);
    const voided = this.voidedCalls.delete(node);
    const awaitable =
      (usage === 'statement' || voided) &&
      !api.isTaggedTemplateExpression(node) &&
      ((api.isIdentifier(callee) && this.env.promiseParams?.has(callee.text) === true) || this.env.typing?.isAwaitable(node) === true);
    const handlesRejection = (method === 'catch' && argumentNodes.length > 0) || (method === 'then' && argumentNodes.length > 1);
    const id = this.id();
    const loop = this.iterations[this.iterations.length - 1];
    this.emit({
      kind: 'call',
      id,
      callee: calleeName,
      text,
      usage,
      range: this.range(node),
      calleeRange: this.range(callee),
      ...literalArguments(this.context, argumentNodes),
      statement: this.statementRef,
      ...(receiver && { receiver }),
      ...(boundTo && { boundTo }),
      ...(argumentOf && { argumentOf }),
      ...(holders.length > 0 && { arguments: holders }),
      ...(awaitable && { awaitable }),
      ...(handlesRejection && { handlesRejection }),
      ...(voided && { voided }),
      ...(positional.length > 0 && { positional }),
      ...(functionArguments.length > 0 && { functionArguments }),
      inputs,
      ...(loop !== undefined && { loop }),
    });
    return { ...result, calls: [...(result.calls ?? []), id] };
  }

  /** A function handed over by name: `tick`, `this.flush`, `jobs.cleanup`. */
  private functionReference(argument: ts.Expression): { callee?: string; text: string } | undefined {
    const value = unwrap(this.context, argument);
    if (!this.ts.isIdentifier(value) && !this.ts.isPropertyAccessExpression(value)) return undefined;
    const callee = this.calleeName(value);
    return { ...(callee && { callee }), text: shortText(this.context, value, 80) };
  }

  /** The qualified callee: from the module's names and types, else from the checker's type of the receiver. */
  private calleeName(callee: ts.Expression): string | undefined {
    const { ts: api } = this;
    const syntactic = this.env.scope.calleeName(callee, this.localBindings);
    if (syntactic || !this.env.typing || !api.isPropertyAccessExpression(callee)) return syntactic ?? this.selfMethodName(callee);
    const type = this.env.typing.typeOf(callee.expression);
    return type ? `${type}.${callee.name.text}` : this.selfMethodName(callee);
  }

  /** `this.helper()` in a class: the class's own method, named like calls from outside name it. */
  private selfMethodName(callee: ts.Expression): string | undefined {
    const { ts: api } = this;
    const self = this.env.self;
    if (!self || !api.isPropertyAccessExpression(callee) || unwrap(this.context, callee.expression).kind !== api.SyntaxKind.ThisKeyword) return undefined;
    const prefix = `${this.env.scope.moduleName}.${self.className}`;
    const member = callee.name.text;
    const declared = this.env.scope.classes.get(self.className)?.instanceTypes.get(member);
    if (declared) return undefined;
    return self.kind === 'class' ? `${prefix}.${member}` : `${prefix}().${member}`;
  }

  /** Notes where a call's value goes, for `const x = call()` and `x = await call()`. */
  private noteBinding(value: ts.Expression, targets: readonly ts.Node[]): void {
    const { ts: api } = this;
    let expression = unwrap(this.context, value);
    if (api.isAwaitExpression(expression)) expression = unwrap(this.context, expression.expression);
    if (!api.isCallExpression(expression) && !api.isNewExpression(expression)) return;
    const holders = targets.flatMap((target) => (api.isExpression(target) ? (this.holderOf(target) ?? []) : api.isIdentifier(target) ? (this.holderOf(target) ?? []) : []));
    if (holders.length > 0) this.pendingBindings.set(expression, holders);
  }

  /**
   * The holder an expression names: a local (or a dotted path from one), shared state, or a
   * field of the function's own instance. Undefined for anything computed.
   */
  private holderOf(node: ts.Expression): ValueHolder | undefined {
    const { ts: api } = this;
    const expression = unwrap(this.context, node);
    if (!api.isIdentifier(expression) && !api.isPropertyAccessExpression(expression) && !api.isElementAccessExpression(expression)) return undefined;
    const text = textOf(this.context, expression);
    const shared = this.stateRef(expression);
    if (shared) return { key: canonicalKey(shared.key), text, kind: 'shared' };
    const parts = dottedParts(this.context, expression);
    const head = parts?.[0];
    if (!parts || !head) return undefined;
    if (head === 'this' && this.env.self && parts.length > 1) {
      return { key: `${this.env.self.className}().${parts.slice(1).join('.')}`, text, kind: 'instance' };
    }
    if (!(this.isLocal(head) || this.isEnclosingLocal(head))) return undefined;
    return { key: parts.join('.'), text, kind: 'local' };
  }

  /**
   * Whether a method called on shared state can be a Map/Set/array operation: not when the value
   * is known to be an instance of some other class, such as a client whose `set`/`get`/`delete`
   * talk to a server (`redis.set(k, v)` of `new Redis()`). Awaited calls never are; the caller
   * checks that.
   */
  private mayBeContainer(receiver: ts.Expression): boolean {
    const type = this.env.scope.typeOf(receiver, this.localBindings);
    return type === undefined || !isInstanceType(type) || CONTAINER_INSTANCE.test(type);
  }

  /** `STATE.get(k)`, `STATE.push(x)`, `STATE.delete(k)`: reads and writes through container methods. */
  private stateMethod(
    receiver: StateRef,
    method: string,
    argumentNodes: readonly ts.Expression[],
    args: readonly ValueSource[],
    call: ts.Node,
    fallback: ValueSource,
  ): ValueSource {
    const first = argumentNodes[0];
    // Messages name an entry the way the code looks it up: `stock.get(sku)`, `seen.has(user)`.
    const lookup = method === 'add' || method === 'has' ? 'has' : 'get';
    const item = first ? { ...this.itemRef(receiver, first, call), text: `${receiver.text}.${lookup}(${shortText(this.context, first, 40)})` } : receiver;
    const itemAccess = ITEM_READ_METHODS.get(method);
    if (itemAccess && first) return this.read(item, itemAccess, call);
    if (WHOLE_READ_METHODS.has(method)) return computedFrom(this.read(receiver, 'value', call));
    const op = MUTATING_METHODS.get(method);
    if (!op) return fallback;
    const target = ITEM_METHODS.has(method) && first ? item : receiver;
    let result: ValueSource = NO_SOURCE;
    if (method === 'pop' || method === 'shift') result = this.read(receiver, 'value', call);
    const value = method === 'set' ? mergeSources(NO_SOURCE, ...args.slice(1)) : op === 'delete' ? NO_SOURCE : mergeSources(NO_SOURCE, ...args);
    this.write(target, op, value, call, method);
    return result;
  }

  // ---------------------------------------------------------------- names and state

  private isLocal(name: string): boolean {
    return this.env.locals.has(name);
  }

  private isEnclosingLocal(name: string): boolean {
    return this.env.enclosing.some((scope) => scope.has(name));
  }

  /** A module-level variable (or imported binding) as state, or undefined for functions, classes and unknown names. */
  private moduleVariable(name: string, node: ts.Node): StateRef | undefined {
    const binding = this.env.scope.bindings.get(name);
    if (!binding || binding.kind === 'function' || binding.kind === 'class') return undefined;
    if (binding.kind === 'import' && this.env.scope.importsPackage(name)) return undefined;
    if (this.env.applications.has(name)) return { key: 'app', root: 'app', text: textOf(this.context, node), scope: 'app-state', definition: binding.range };
    return { key: name, root: name, text: textOf(this.context, node), scope: 'module', definition: binding.kind === 'variable' ? binding.range : undefined };
  }

  private itemRef(container: StateRef, key: ts.Expression, node: ts.Node): StateRef {
    const text = textOf(this.context, node);
    return {
      ...container,
      key: `${container.key}[${keyText(this.context, key)}]`,
      text: text.length < 80 ? text : container.text,
    };
  }

  /**
   * The shared state an assignment target or operand denotes, if any: module-level variables,
   * properties and items of module-level objects, static fields, fields of singletons (module
   * instances, NestJS providers), Express's `app.locals` and `req.app.locals`.
   */
  private stateTarget(target: ts.Expression): StateRef | undefined {
    if (!this.env.trackState) return undefined;
    const ref = this.stateRef(unwrap(this.context, target));
    if (!ref) return undefined;
    const text = textOf(this.context, target);
    return { ...ref, text: text.length < 80 ? text : ref.text };
  }

  private stateRef(node: ts.Expression): StateRef | undefined {
    const { ts: api } = this;
    if (api.isIdentifier(node)) {
      if (this.isLocal(node.text) || this.isEnclosingLocal(node.text)) return undefined;
      return this.moduleVariable(node.text, node);
    }
    if (api.isPropertyAccessExpression(node)) {
      const object = unwrap(this.context, node.expression);
      const member = node.name.text;
      const className = this.classOf(object);
      if (className) {
        const info = this.env.scope.classes.get(className);
        return {
          key: `${className}.${member}`,
          root: className,
          text: textOf(this.context, node),
          scope: 'class',
          definition: info?.staticFields.get(member) ?? this.env.scope.bindings.get(className)?.range,
        };
      }
      if (object.kind === api.SyntaxKind.ThisKeyword) return this.selfField(member, node);
      if (member === 'app' && api.isIdentifier(object) && this.env.params.has(object.text) && REQUEST_NAMES.test(object.text)) {
        return { key: 'app', root: 'app', text: textOf(this.context, node), scope: 'app-state' };
      }
      const base = this.baseRef(object);
      if (!base) return undefined;
      if (base.scope === 'app-state' && base.key === 'app') {
        return member === 'locals' ? { ...base, key: 'app.locals', root: 'app.locals', text: textOf(this.context, node) } : undefined;
      }
      return { ...base, key: `${base.key}.${member}`, text: textOf(this.context, node) };
    }
    if (api.isElementAccessExpression(node)) {
      const base = this.baseRef(unwrap(this.context, node.expression));
      if (!base || (base.scope === 'app-state' && base.key === 'app')) return undefined;
      return { ...base, key: `${base.key}[${keyText(this.context, node.argumentExpression)}]`, text: textOf(this.context, node) };
    }
    return undefined;
  }

  /** The state an object expression denotes, looking through locals that alias shared state. */
  private baseRef(node: ts.Expression): StateRef | undefined {
    if (this.ts.isIdentifier(node)) {
      const alias = this.aliases.get(node.text);
      if (alias) return { ...alias, text: node.text };
    }
    return this.stateRef(node);
  }

  /** The class a receiver denotes: a module-level class by name, or `this` in a static method. */
  private classOf(node: ts.Expression): string | undefined {
    const { ts: api } = this;
    if (node.kind === api.SyntaxKind.ThisKeyword) return this.env.self?.kind === 'class' ? this.env.self.className : undefined;
    if (!api.isIdentifier(node) || this.isLocal(node.text) || this.isEnclosingLocal(node.text)) return undefined;
    return this.env.scope.bindings.get(node.text)?.kind === 'class' && this.env.scope.classes.has(node.text) ? node.text : undefined;
  }

  /** `this.x` in a singleton's method: shared state. In other instances, the instance's own. */
  private selfField(field: string, node: ts.Node): StateRef | undefined {
    const self = this.env.self;
    return self?.kind === 'singleton' ? { ...self.field(field), text: textOf(this.context, node) } : undefined;
  }

  /**
   * The shared object an assigned expression is (not a copy of a value computed from it):
   * `carts.get(user)`, `SESSIONS[id]`, `app.locals.cache`.
   */
  private aliasedState(value: ts.Expression): StateRef | undefined {
    const { ts: api } = this;
    let expression = unwrap(this.context, value);
    if (api.isBinaryExpression(expression) && expression.operatorToken.kind === api.SyntaxKind.QuestionQuestionToken) expression = unwrap(this.context, expression.left);
    if (api.isPropertyAccessExpression(expression) || api.isElementAccessExpression(expression)) return this.stateTarget(expression);
    if (api.isIdentifier(expression) && !this.isLocal(expression.text)) return this.stateTarget(expression);
    if (!api.isCallExpression(expression)) return undefined;
    const callee = unwrap(this.context, expression.expression);
    const first = expression.arguments[0];
    if (!api.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || !first) return undefined;
    const container = this.baseRef(unwrap(this.context, callee.expression));
    return container ? this.itemRef(container, first, expression) : undefined;
  }

  // ---------------------------------------------------------------- locks

  private lockKindOfType(type: string | undefined): LockKind | undefined {
    return type && /(^|\.)(Mutex|Semaphore|Lock|AsyncLock|Sema)(\(\))?$|^async-lock\(\)$/.test(type.replace(/\(\)$/, '')) ? 'asyncio' : undefined;
  }

  /** The lock an expression names: a module-level mutex, a singleton's, or anything named like a lock. */
  private lockOf(node: ts.Expression): string | undefined {
    const parts = dottedParts(this.context, node);
    if (!parts) return undefined;
    const last = parts[parts.length - 1]!;
    const name = parts.join('.');
    if (parts.length === 1) {
      if (this.perCallLocks.has(last) || this.isLocal(last)) return undefined;
      if (this.env.moduleLocks.has(last)) return name;
    } else if (parts.length === 2 && parts[0] === 'this' && this.env.self) {
      const type = this.env.scope.classes.get(this.env.self.className)?.instanceTypes.get(last);
      if (this.lockKindOfType(type)) return `${this.env.self.className}.${last}`;
      if (this.env.self.kind === 'instance') return undefined;
    }
    return LOCK_NAME.test(last) ? name : undefined;
  }

  private isAcquireCall(value: ts.Expression): boolean {
    const { ts: api } = this;
    let expression = unwrap(this.context, value);
    if (api.isAwaitExpression(expression)) expression = unwrap(this.context, expression.expression);
    if (!api.isCallExpression(expression)) return false;
    const callee = unwrap(this.context, expression.expression);
    return api.isPropertyAccessExpression(callee) && callee.name.text === 'acquire' && this.lockOf(unwrap(this.context, callee.expression)) !== undefined;
  }

  /** `const release = await mutex.acquire()`: calling `release()` exits the region. */
  private noteReleaser(name: string, value: ts.Expression): void {
    const { ts: api } = this;
    let expression = unwrap(this.context, value);
    if (api.isAwaitExpression(expression)) expression = unwrap(this.context, expression.expression);
    if (!api.isCallExpression(expression)) return;
    const callee = unwrap(this.context, expression.expression);
    if (!api.isPropertyAccessExpression(callee)) return;
    const lock = this.lockOf(unwrap(this.context, callee.expression));
    const region = lock ? this.explicitLockRegions.get(lock) : undefined;
    if (region !== undefined) this.releasers.set(name, region);
  }

  /** `await mutex.acquire()` … `mutex.release()`: one region per lock name within the function. */
  private explicitLock(object: ts.Expression, method: string, awaited: boolean, call: ts.Node): void {
    if (method !== 'acquire' && method !== 'release') return;
    const lock = this.lockOf(object);
    if (!lock) return;
    let region = this.explicitLockRegions.get(lock);
    if (region === undefined) {
      region = this.region();
      this.explicitLockRegions.set(lock, region);
    }
    if (method === 'release') this.emit({ kind: 'lock-exit', region });
    else if (awaited) this.emit({ kind: 'lock-enter', lock, lockKind: 'asyncio', region, range: this.range(call) });
  }
}

/** Whether a binary operator assigns: `=`, `+=`, `??=`, `||=`, … */
function isAssignmentOperator(context: SyntaxContext, kind: ts.SyntaxKind): boolean {
  const { SyntaxKind } = context.ts;
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

/** The identifiers an expression mentions, without recursion into nested functions. */
function identifiersIn(context: SyntaxContext, root: ts.Node): string[] {
  const { ts: api } = context;
  const names: string[] = [];
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (api.isIdentifier(node)) names.push(node.text);
    if (isFunctionNode(context, node) && node !== root) continue;
    api.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
  return names;
}

/** How a container's key is written in a state key: `k`, `"widget"`, `user.id`, without spaces. */
function keyText(context: SyntaxContext, key: ts.Expression): string {
  const { ts: api } = context;
  const node = unwrap(context, key);
  if (api.isStringLiteralLike(node)) return JSON.stringify(node.text);
  return textOf(context, node).replace(/\s+/g, '');
}

/** The arguments written as literals, as the optional part of a call event. */
function literalArguments(context: SyntaxContext, argumentNodes: readonly ts.Expression[]): { literalArguments?: LiteralArgument[] } {
  const { ts: api } = context;
  const literals: LiteralArgument[] = [];
  for (const [position, argument] of argumentNodes.entries()) {
    if (api.isSpreadElement(argument)) break;
    const value = unwrap(context, argument);
    const literal =
      api.isStringLiteral(value) ||
      api.isNoSubstitutionTemplateLiteral(value) ||
      api.isNumericLiteral(value) ||
      value.kind === api.SyntaxKind.TrueKeyword ||
      value.kind === api.SyntaxKind.FalseKeyword ||
      value.kind === api.SyntaxKind.NullKeyword;
    if (literal) literals.push({ position, value: textOf(context, value) });
  }
  return literals.length > 0 ? { literalArguments: literals } : {};
}

/** State keys with one quote style, so that `cache['k']` and `cache["k"]` name the same holder. */
function canonicalKey(key: string): string {
  return key.replace(/'/g, '"');
}


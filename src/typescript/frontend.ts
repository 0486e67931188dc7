import type * as ts from 'typescript';
import type { ParsedModule } from '../core/engine';
import { rethrowBudget } from '../core/budget';
import { topLevelFlow, withinStackLimit } from '../core/flow-graph-builder';
import { parserFailure } from '../core/not-analysed';
import type {
  ClassFact,
  Comment,
  ExecutionContext,
  FunctionFacts,
  FunctionKind,
  ImportFact,
  LockKind,
  ModuleFacts,
  Parameter,
  Range,
  StateDefinition,
  StateRef,
} from '../core/facts';
import { loadTypeScript, type TypeScriptApi } from './compiler';
import { importSiteOf, TypeScriptFixBuilder } from './fixes';
import { FlowBuilder, type FunctionEnvironment, type ProgramTyping, type ThisBinding } from './flow-builder';
import { HandlerDetector, type HandlerRole } from './handlers';
import { importBase, moduleForSpecifier } from './module-names';
import { bindingNames, ModuleScope } from './scope';
import { workerScripts } from './worker-scripts';
import {
  forEachDescendant,
  functionName,
  isAsyncFunction,
  isFunctionNode,
  isStatic,
  positionAt,
  rangeOf,
  shortText,
  unwrap,
  type FunctionNode,
  type SyntaxContext,
} from './syntax';

/** What the frontend needs to turn one parsed file into facts. */
export interface TypeScriptModuleInput {
  /** The compiler the file was parsed with. */
  ts: TypeScriptApi;
  /** Parsed with parent pointers set (as a Program's and the language service's files are). */
  sourceFile: ts.SourceFile;
  /** The module's name: its path relative to the project root, without extension (`src/routes/orders`). */
  moduleName: string;
  /**
   * The module a specifier imports: a project module's name or a package name. Without it,
   * relative specifiers are resolved against `moduleName` and package names are kept as written.
   */
  resolveSpecifier?: (specifier: string) => string | undefined;
  /** Type information, when the file belongs to a Program. */
  typing?: ProgramTyping;
}

/** Lock classes of the usual npm mutex packages, by the qualified type the frontend gives instances. */
const LOCK_TYPES = /^(async-mutex\.(Mutex|Semaphore)|async-lock|async-sema\.Sema|await-lock|p-mutex)(\.default)?\(\)$/;
/** Methods that run their callback while holding the lock they are called on. */
const EXCLUSIVE_METHODS = new Set(['runExclusive', 'acquire', 'withLock', 'lock']);

/** The script kind a file's extension implies (JSX in `.js` parses as JavaScript does in editors). */
function scriptKindOf(api: TypeScriptApi, path: string): ts.ScriptKind {
  const extension = /\.[^./\\]+$/.exec(path)?.[0].toLowerCase();
  switch (extension) {
    case '.tsx':
      return api.ScriptKind.TSX;
    case '.jsx':
      return api.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return api.ScriptKind.JS;
    default:
      return api.ScriptKind.TS;
  }
}

/**
 * Parses a file on its own, without a Program: the fast path for the CLI and editors. The
 * compiler's parser recurses as deep as the code nests and asserts on some malformed input; either
 * failure throws NotAnalysable, so the file is reported rather than passed as clean.
 */
export function parseTypeScript(api: TypeScriptApi, source: string, path: string): ts.SourceFile {
  try {
    return api.createSourceFile(path, source, api.ScriptTarget.Latest, true, scriptKindOf(api, path));
  } catch (error) {
    rethrowBudget(error);
    throw parserFailure('TypeScript', error);
  }
}

/**
 * Turns TypeScript or JavaScript source into facts from its syntax alone. What does not parse
 * becomes `syntaxErrors`, and functions containing it yield no events; a parser failure or
 * top-level code nested past the stack limit throws NotAnalysable.
 */
export function analyzeTypeScript(source: string, path: string, moduleName: string): ParsedModule {
  const api = loadTypeScript();
  return extractTypeScriptFacts({ ts: api, sourceFile: parseTypeScript(api, source, path), moduleName });
}

/**
 * Facts from a parsed file: the entry point for hosts that already hold a `ts.SourceFile` (a
 * Program, the tsserver language service). Pass `typing` when a checker is at hand.
 */
export function extractTypeScriptFacts(input: TypeScriptModuleInput): ParsedModule {
  const { ts: api, sourceFile, moduleName } = input;
  const context: SyntaxContext = { ts: api, sourceFile };
  const path = sourceFile.fileName;
  const base = importBase(moduleName, path);
  const resolveSpecifier = input.resolveSpecifier ?? ((specifier: string) => moduleForSpecifier(specifier, base));
  const scope = new ModuleScope(context, moduleName, resolveSpecifier);
  const handlers = new HandlerDetector(scope, path);
  const builder = new ModuleFactsBuilder(context, scope, handlers, input.typing);
  const facts = builder.build();
  return { facts, fixes: new TypeScriptFixBuilder(importSiteOf(context), facts) };
}

interface FunctionRecord {
  node: FunctionNode;
  facts: FunctionFacts;
  locals: Set<string>;
  self?: ThisBinding;
}

class ModuleFactsBuilder {
  private readonly records = new Map<ts.Node, FunctionRecord>();
  /** The same records by function id: looked up once per enclosing function of every function, however deep they nest. */
  private readonly recordsById = new Map<string, FunctionRecord>();
  /**
   * How many functions took each id's base (`name@line`): the second is `name@line#2`, and so on.
   * A minified bundle has thousands of anonymous functions on one line; trying each suffix in turn
   * made naming them quadratic.
   */
  private readonly idsByBase = new Map<string, number>();
  private readonly moduleLocks = new Map<string, LockKind>();
  private readonly expressApplications: Set<string>;
  private readonly errorOffsets: number[];

  constructor(
    private readonly context: SyntaxContext,
    private readonly scope: ModuleScope,
    private readonly handlers: HandlerDetector,
    private readonly typing: ProgramTyping | undefined,
  ) {
    for (const binding of scope.bindings.values()) {
      if (binding.kind === 'variable' && binding.valueType && LOCK_TYPES.test(binding.valueType)) this.moduleLocks.set(binding.name, 'asyncio');
    }
    this.expressApplications = new Set([...handlers.applications].filter(([, framework]) => framework === 'express').map(([name]) => name));
    this.errorOffsets = parseDiagnostics(context.sourceFile).map((diagnostic) => diagnostic.start ?? 0);
  }

  private get ts(): TypeScriptApi {
    return this.context.ts;
  }

  build(): ModuleFacts {
    const { sourceFile } = this.context;
    const functions: FunctionFacts[] = [];
    const unanalysable: Range[] = [];
    forEachDescendant(this.context, sourceFile, (node) => {
      if (!isFunctionNode(this.context, node) || !node.body) return true;
      const record = this.containsSyntaxError(node) ? undefined : withinStackLimit(() => this.functionRecord(node));
      if (!record) {
        unanalysable.push(rangeOf(this.context, node));
        return false;
      }
      this.records.set(node, record);
      this.recordsById.set(record.facts.id, record);
      functions.push(record.facts);
      return true;
    });
    const moduleFlow = topLevelFlow(() =>
      new FlowBuilder(this.context, this.environment({ locals: new Set(), enclosing: [], params: new Set(), isAsync: false, trackState: false })).buildBody(sourceFile.statements),
    );
    return {
      language: 'typescript',
      path: sourceFile.fileName,
      moduleName: this.scope.moduleName,
      source: sourceFile.text,
      functions,
      moduleFlow,
      state: this.stateDefinitions(),
      comments: this.comments(),
      locks: [...this.moduleLocks].map(([name, kind]) => ({ name, kind, range: this.scope.bindings.get(name)!.range })),
      imports: this.imports(functions),
      frameworks: [...this.handlers.frameworks],
      applications: [],
      lifecycleHooks: [],
      classes: [...this.scope.classes.values()].map(
        (info): ClassFact => ({ name: info.name, bases: info.bases, nameRange: info.node.name ? rangeOf(this.context, info.node.name) : rangeOf(this.context, info.node) }),
      ),
      syntaxErrors: [...this.errorRanges(), ...unanalysable],
      mainGuards: this.mainGuards(sourceFile),
      ...this.devOnly(sourceFile),
      ...workerScripts(this.context, this.scope),
    };
  }

  /** The `then` blocks of tests that hold only in development (`if (isDev)`), anywhere in the file. */
  private devOnly(sourceFile: ts.SourceFile): Pick<ModuleFacts, 'devOnly'> {
    const { ts: api } = this;
    const blocks: Range[] = [];
    if (!DEVELOPMENT_FLAGS.test(sourceFile.text)) return {};
    forEachDescendant(this.context, sourceFile, (node) => {
      if (api.isIfStatement(node) && DEVELOPMENT_ONLY.test(node.expression.getText(sourceFile).replace(/\s+/g, ''))) blocks.push(rangeOf(this.context, node.thenStatement));
      return true;
    });
    return blocks.length > 0 ? { devOnly: blocks } : {};
  }

  /** `if (require.main === module) { … }` at the top level: it runs when the file is a program, not a module. */
  private mainGuards(sourceFile: ts.SourceFile): Range[] {
    const { ts: api } = this;
    return sourceFile.statements.flatMap((statement) => {
      if (!api.isIfStatement(statement)) return [];
      const condition = statement.expression.getText(sourceFile).replace(/\s+/g, '');
      return /^(require\.main===module|module===require\.main)$/.test(condition) ? [rangeOf(this.context, statement)] : [];
    });
  }

  private environment(parts: Pick<FunctionEnvironment, 'locals' | 'enclosing' | 'params' | 'isAsync' | 'trackState'> & Partial<FunctionEnvironment>): FunctionEnvironment {
    return {
      scope: this.scope,
      localTypes: new Map(),
      applications: this.expressApplications,
      moduleLocks: this.moduleLocks,
      typing: this.typing,
      ...parts,
    };
  }

  private containsSyntaxError(node: ts.Node): boolean {
    const start = node.getStart(this.context.sourceFile);
    return this.errorOffsets.some((offset) => offset >= start && offset < node.end);
  }

  private errorRanges(): Range[] {
    return parseDiagnostics(this.context.sourceFile).map((diagnostic) => {
      const start = diagnostic.start ?? 0;
      const end = Math.min(this.context.sourceFile.text.length, start + Math.max(diagnostic.length ?? 0, 1));
      return { start: this.position(start), end: this.position(end) };
    });
  }

  private position(offset: number): Range['start'] {
    return positionAt(this.context, offset);
  }

  // ---------------------------------------------------------------- functions

  /** The function a node is nested in, if any. */
  private enclosingFunction(node: ts.Node): FunctionNode | undefined {
    for (let parent = node.parent; parent; parent = parent.parent) {
      if (isFunctionNode(this.context, parent)) return parent;
    }
    return undefined;
  }

  /** The class a method, accessor, constructor or property initialiser belongs to. */
  private owningClass(node: FunctionNode): { name: string; isStatic: boolean } | undefined {
    const { ts: api } = this;
    const member = api.isArrowFunction(node) || api.isFunctionExpression(node) ? (api.isPropertyDeclaration(node.parent) ? node.parent : undefined) : node;
    const owner = member?.parent;
    if (!member || !owner || !(api.isClassDeclaration(owner) || api.isClassExpression(owner))) return undefined;
    const name = owner.name?.text ?? (api.isVariableDeclaration(owner.parent) && api.isIdentifier(owner.parent.name) ? owner.parent.name.text : undefined);
    return name ? { name, isStatic: isStatic(this.context, member) } : undefined;
  }

  /** The module-level object literal a method belongs to: `export const mailer = { async send() {} }`. */
  private owningObject(node: FunctionNode): string | undefined {
    const { ts: api } = this;
    const property = api.isMethodDeclaration(node) || api.isGetAccessorDeclaration(node) || api.isSetAccessorDeclaration(node) ? node : api.isPropertyAssignment(node.parent) ? node.parent : undefined;
    const literal = property?.parent;
    if (!literal || !api.isObjectLiteralExpression(literal)) return undefined;
    const declaration = literal.parent;
    if (!api.isVariableDeclaration(declaration) || !api.isIdentifier(declaration.name)) return undefined;
    const statement = declaration.parent.parent;
    return api.isVariableStatement(statement) && statement.parent === this.context.sourceFile ? declaration.name.text : undefined;
  }

  /**
   * What `this` means in a function: arrows take their enclosing function's. In a class's
   * methods it is the instance (shared when the class is a singleton) or, in static methods, the
   * class; in a module object's methods it is that object.
   */
  private thisBinding(node: FunctionNode): ThisBinding | undefined {
    if (this.ts.isArrowFunction(node) && !this.ts.isPropertyDeclaration(node.parent)) {
      const outer = this.enclosingFunction(node);
      return outer ? this.records.get(outer)?.self : undefined;
    }
    const owner = this.owningClass(node);
    if (owner) {
      if (owner.isStatic) return { kind: 'class', className: owner.name };
      const instance = this.scope.singletons.get(owner.name);
      const info = this.scope.classes.get(owner.name);
      if (instance) {
        const definition = this.scope.bindings.get(instance)?.range;
        return { kind: 'singleton', className: owner.name, field: (name) => ({ key: `${instance}.${name}`, root: instance, scope: 'singleton', definition }) };
      }
      if (this.handlers.singletonClasses.has(owner.name)) {
        return {
          kind: 'singleton',
          className: owner.name,
          field: (name) => ({ key: `${owner.name}.${name}`, root: `${owner.name}.${name}`, scope: 'singleton', definition: info?.fields.get(name) ?? info?.staticFields.get(name) }),
        };
      }
      return { kind: 'instance', className: owner.name };
    }
    const object = this.owningObject(node);
    if (object) {
      const definition = this.scope.bindings.get(object)?.range;
      return { kind: 'singleton', className: object, field: (name): Omit<StateRef, 'text'> => ({ key: `${object}.${name}`, root: object, scope: 'module', definition }) };
    }
    return undefined;
  }

  private functionRecord(node: FunctionNode): FunctionRecord {
    const { ts: api } = this;
    const parentNode = this.enclosingFunction(node);
    const parent = parentNode ? this.records.get(parentNode) : undefined;
    const owner = this.owningClass(node);
    const object = owner ? undefined : this.owningObject(node);
    const className = owner?.name ?? object;
    const name = functionName(this.context, node);
    const role = this.handlers.role(node);
    const isAsync = isAsyncFunction(this.context, node);
    const isLambda = api.isArrowFunction(node) && !api.isBlock(node.body!) && name === '<anonymous>';
    const qualifiedName = [...(parent ? [parent.facts.qualifiedName] : className ? [className] : []), name].join('.');
    const locals = collectLocals(this.context, node);
    const enclosing: Set<string>[] = [];
    for (let outer = parent; outer; outer = outer.facts.parent ? this.recordById(outer.facts.parent) : undefined) enclosing.unshift(outer.locals);
    const self = this.thisBinding(node);
    const params = this.parameters(node);
    const localTypes = new Map<string, string>();
    for (const param of params) if (param.annotation) localTypes.set(param.name, `${param.annotation}()`);
    const env = this.environment({
      locals,
      enclosing,
      params: new Set(params.map((param) => param.name)),
      self,
      isAsync,
      trackState: true,
      localTypes,
      heldLock: this.heldLock(node),
      promiseParams: this.promiseParameters(role, params),
    });
    const flowBuilder = new FlowBuilder(this.context, env);
    const body = node.body!;
    const flow = api.isBlock(body) ? flowBuilder.buildBody(body.statements) : flowBuilder.buildExpression(body);
    const kind: FunctionKind = role?.kind ?? 'plain';
    const line = rangeOf(this.context, node).start.line + 1;
    const base = `${qualifiedName}@${line}`;
    const seen = this.idsByBase.get(base) ?? 0;
    this.idsByBase.set(base, seen + 1);
    const id = seen === 0 ? base : `${base}#${seen + 1}`;
    const decoratorNodes = api.canHaveDecorators(node) ? (api.getDecorators(node) ?? []) : [];
    const facts: FunctionFacts = {
      id,
      name,
      qualifiedName,
      className,
      parent: parent?.facts.id,
      kind,
      framework: role?.framework,
      httpMethods: role?.methods,
      ...(role?.path !== undefined && { routePath: role.path }),
      isAsync,
      isLambda,
      execution: this.executionOf(node, isAsync, kind, parent),
      decorators: this.scope.decoratorNames(node),
      decoratorRanges: decoratorNodes.map((decorator) => rangeOf(this.context, decorator)),
      params,
      range: rangeOf(this.context, node),
      nameRange: rangeOf(this.context, this.nameNode(node)),
      flow,
      ...this.passedTo(node),
      ...(!parent && this.invokedAtLoad(node) && { invokedAtLoad: true }),
    };
    return { node, facts, locals, self };
  }

  /** `(async () => { … })()`, `void (function () { … })()`: a statement of the module calls it where it is written. */
  private invokedAtLoad(node: FunctionNode): boolean {
    const { ts: api } = this;
    let callee: ts.Node = node;
    while (api.isParenthesizedExpression(callee.parent)) callee = callee.parent;
    const call = callee.parent;
    if (!api.isCallExpression(call) || call.expression !== callee) return false;
    let statement: ts.Node = call;
    while (api.isVoidExpression(statement.parent) || api.isAwaitExpression(statement.parent) || api.isParenthesizedExpression(statement.parent)) statement = statement.parent;
    return api.isExpressionStatement(statement.parent) && api.isSourceFile(statement.parent.parent);
  }

  /** The call a callback is written as an argument of. */
  private passedTo(node: FunctionNode): Pick<FunctionFacts, 'passedTo'> {
    const call = node.parent;
    if (!this.ts.isCallOrNewExpression(call) || !(call.arguments ?? []).some((argument) => argument === node)) return {};
    const callee = this.ts.isNewExpression(call) ? this.scope.qualify(call.expression) : this.scope.calleeName(call.expression);
    return { passedTo: { ...(callee && { callee }), text: shortText(this.context, call.expression, 80), range: rangeOf(this.context, call) } };
  }

  /** What names a function: its own name, the variable or property it is assigned to, or the function itself. */
  private nameNode(node: FunctionNode): ts.Node {
    const { ts: api } = this;
    if (node.name) return node.name;
    const parent = node.parent;
    if ((api.isVariableDeclaration(parent) || api.isPropertyAssignment(parent) || api.isPropertyDeclaration(parent)) && api.isIdentifier(parent.name)) return parent.name;
    return node;
  }

  private recordById(id: string): FunctionRecord | undefined {
    return this.recordsById.get(id);
  }

  /**
   * Node runs every request handler and every callback on its one event loop: async functions,
   * handlers and hooks, timer and listener callbacks, and callbacks written inside any of them
   * (`items.map((x) => …)`) run there. Other functions — module helpers, and named helpers nested
   * in a handler, which IL202 follows from their call sites — run wherever their caller does.
   */
  private executionOf(node: FunctionNode, isAsync: boolean, kind: FunctionKind, parent: FunctionRecord | undefined): ExecutionContext {
    if (isAsync || kind !== 'plain' || this.handlers.loopCallbacks.has(node)) return 'event-loop';
    const call = node.parent;
    const isCallback = this.ts.isCallOrNewExpression(call) && (call.arguments ?? []).some((argument) => argument === node);
    return parent?.facts.execution === 'event-loop' && isCallback ? 'event-loop' : 'caller';
  }

  /** Koa's and Hono's middleware get `next`, which returns the promise of the rest of the chain. */
  private promiseParameters(role: HandlerRole | undefined, params: readonly Parameter[]): ReadonlySet<string> | undefined {
    const next = params[1];
    return next && (role?.framework === 'koa' || role?.framework === 'hono') ? new Set([next.name]) : undefined;
  }

  private parameters(node: FunctionNode): Parameter[] {
    const { ts: api } = this;
    return node.parameters.flatMap((parameter): Parameter[] => {
      const annotation = parameter.type ? this.scope.typeNodeName(parameter.type)?.replace(/\(\)$/, '') : undefined;
      if (api.isIdentifier(parameter.name)) {
        if (parameter.name.text === 'this') return [];
        return [{ name: parameter.name.text, ...(annotation && { annotation }), range: rangeOf(this.context, parameter) }];
      }
      return bindingNames(this.context, parameter.name).map((name) => ({ name: name.text, range: rangeOf(this.context, name) }));
    });
  }

  /** The lock a callback runs under: `mutex.runExclusive(async () => …)`, `lock.acquire(key, async () => …)`. */
  private heldLock(node: FunctionNode): string | undefined {
    const { ts: api } = this;
    const call = node.parent;
    if (!api.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return undefined;
    const callee = unwrap(this.context, call.expression);
    if (!api.isPropertyAccessExpression(callee) || !EXCLUSIVE_METHODS.has(callee.name.text)) return undefined;
    const receiver = unwrap(this.context, callee.expression);
    const text = receiver.getText(this.context.sourceFile);
    const type = this.scope.typeOf(receiver);
    const isLock = (type !== undefined && LOCK_TYPES.test(type)) || /(lock|mutex|semaphore|sem)$/i.test(text);
    if (!isLock || this.isCreatedPerCall(receiver, node)) return undefined;
    const key = callee.name.text === 'acquire' && call.arguments.length > 1 ? call.arguments[0] : undefined;
    return key ? `${text}[${key.getText(this.context.sourceFile)}]` : text;
  }

  /** A lock the enclosing function constructs itself (`const mutex = new Mutex()`): it excludes no other call. */
  private isCreatedPerCall(receiver: ts.Expression, callback: FunctionNode): boolean {
    const { ts: api } = this;
    const outer = this.enclosingFunction(callback);
    if (!api.isIdentifier(receiver) || !outer?.body) return false;
    let created = false;
    forEachDescendant(this.context, outer.body, (node) => {
      if (api.isVariableDeclaration(node) && api.isIdentifier(node.name) && node.name.text === receiver.text && node.initializer) {
        const value = unwrap(this.context, node.initializer);
        created ||= api.isNewExpression(value) || api.isCallExpression(value);
      }
      return !isFunctionNode(this.context, node);
    });
    return created;
  }

  // ---------------------------------------------------------------- module facts

  private stateDefinitions(): StateDefinition[] {
    const definitions: StateDefinition[] = [];
    for (const binding of this.scope.bindings.values()) {
      if (binding.kind === 'variable') definitions.push({ root: binding.name, scope: 'module', range: binding.range, ...(binding.valueType && { valueKind: binding.valueType }) });
    }
    for (const info of this.scope.classes.values()) {
      for (const [field, range] of info.staticFields) definitions.push({ root: `${info.name}.${field}`, scope: 'class', range });
      if (!this.handlers.singletonClasses.has(info.name) || this.scope.singletons.has(info.name)) continue;
      for (const [field, range] of info.fields) {
        const valueKind = info.instanceTypes.get(field);
        definitions.push({ root: `${info.name}.${field}`, scope: 'singleton', range, ...(valueKind && { valueKind }) });
      }
    }
    for (const [, instance] of this.scope.singletons) {
      const binding = this.scope.bindings.get(instance);
      if (binding) definitions.push({ root: instance, scope: 'singleton', range: binding.range, ...(binding.valueType && { valueKind: binding.valueType }) });
    }
    return definitions;
  }

  /** Every comment once: the trivia before and after each node, and before the end of the file. */
  private comments(): Comment[] {
    const { ts: api } = this;
    const { sourceFile } = this.context;
    const text = sourceFile.text;
    const found = new Map<number, ts.CommentRange>();
    // Leading ranges start on the next line; a comment on the rest of the same line (`x = y; // …`)
    // is a trailing one, and the only place a line's suppression comment can be.
    const collect = (position: number) => {
      for (const comment of api.getTrailingCommentRanges(text, position) ?? []) found.set(comment.pos, comment);
      for (const comment of api.getLeadingCommentRanges(text, position) ?? []) found.set(comment.pos, comment);
    };
    collect(0);
    // Comments sit between statements, members and properties (trailing or on lines of their
    // own, up to the next token): the trivia around those nodes holds them all.
    forEachDescendant(this.context, sourceFile, (node) => {
      if (api.isStatement(node) || api.isClassElement(node) || api.isObjectLiteralElement(node) || api.isCaseOrDefaultClause(node) || api.isTypeElement(node)) {
        collect(node.pos);
        collect(node.end);
      }
      return true;
    });
    collect(sourceFile.endOfFileToken.pos);
    return [...found.values()]
      .sort((a, b) => a.pos - b.pos)
      .map((comment) => ({ range: { start: this.position(comment.pos), end: this.position(comment.end) }, text: text.slice(comment.pos, comment.end) }));
  }

  /**
   * Imports, and the names importers call this module's own code by: its default export as
   * `default`, and, when CommonJS exports a class as the module (`module.exports = Monitor`), each
   * method of the class by its own name (`require('./monitor').sendStats()` runs `Monitor.sendStats`).
   */
  private imports(functions: readonly FunctionFacts[]): ImportFact[] {
    const facts = [...this.scope.importFacts];
    const here = { start: this.position(0), end: this.position(0) };
    const target = this.scope.defaultExport;
    if (target && target !== `${this.scope.moduleName}.default`) facts.push({ local: 'default', target, range: here });
    const exported = this.scope.commonJsClass;
    for (const fn of exported ? functions : []) {
      if (fn.className === exported && !fn.parent && fn.name !== 'constructor') facts.push({ local: fn.name, target: `${this.scope.moduleName}.${exported}.${fn.name}`, range: here });
    }
    return facts;
  }
}

/** What a file must mention to hold a development-only test: the whole syntax tree is walked only then. */
const DEVELOPMENT_FLAGS = /isDev|IS_DEV|isDevelopment|IS_DEVELOPMENT|__DEV__|NODE_ENV/;

/** A test that holds only in development: a flag named for it, or the environment compared to `development`. */
const DEVELOPMENT_ONLY = /^(isDev|IS_DEV|isDevelopment|IS_DEVELOPMENT|isDevMode|__DEV__|process\.env\.NODE_ENV===?['"`]development['"`]|['"`]development['"`]===?process\.env\.NODE_ENV)$/;

/**
 * The names a function binds: its parameters, and every `var`, `let`, `const`, function, class
 * and `catch` binding in its body outside nested functions. Block scoping is not modelled: a
 * name declared in any block of the function hides the module's everywhere in it.
 */
function collectLocals(context: SyntaxContext, fn: FunctionNode): Set<string> {
  const { ts: api } = context;
  const locals = new Set<string>();
  for (const parameter of fn.parameters) for (const name of bindingNames(context, parameter.name)) locals.add(name.text);
  if (api.isFunctionExpression(fn) && fn.name) locals.add(fn.name.text);
  if (!fn.body) return locals;
  forEachDescendant(context, fn.body, (node) => {
    if (api.isVariableDeclaration(node) || api.isBindingElement(node)) {
      if (api.isIdentifier(node.name)) locals.add(node.name.text);
    } else if ((api.isFunctionDeclaration(node) || api.isClassDeclaration(node)) && node.name) {
      locals.add(node.name.text);
    }
    return !isFunctionNode(context, node) && !api.isClassLike(node);
  });
  return locals;
}

/** The parser's own diagnostics, kept on the source file (not part of the public API). */
function parseDiagnostics(sourceFile: ts.SourceFile): readonly ts.Diagnostic[] {
  const diagnostics = (sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  return Array.isArray(diagnostics) ? diagnostics : [];
}

import type {
  ApplicationFact,
  Comment,
  ExecutionContext,
  FunctionFacts,
  LifecycleHookFact,
  LockKind,
  ModuleFacts,
  Parameter,
  Range,
  StateDefinition,
} from '../core/facts';
import { calleeIndex, reachableFunctions } from '../core/call-graph';
import type { ParsedModule } from '../core/engine';
import { topLevelFlow, withinStackLimit } from '../core/flow-graph-builder';
import { moduleConstantKeys } from './fixed-truth';
import { FlowBuilder, type FunctionEnvironment } from './flow-builder';
import { PythonFixBuilder } from './fixes';
import type { ExtractionMemo } from './extraction-memo';
import { HandlerDetector, type HandlerRole } from './handlers';
import { collectFunctionNames, type FunctionNames } from './locals';
import { loadPythonParser, parsePython } from './parser';
import { LOCK_TYPES, ModuleScope, SUPER } from './scope';
import { callArguments, decoratorsOf, field, isAsyncDef, namedChildren, rangeOf, shortText, type Node } from './syntax';
import { copyTree } from './syntax-tree';
import type { Tree } from 'web-tree-sitter';

export { loadPythonParser };

/**
 * Turns Python source into facts. `loadPythonParser()` must have resolved. Unparsable regions
 * become `syntaxErrors` and yield no events; top-level code nested past the stack limit throws
 * NotAnalysable, so the file is reported rather than passed as clean.
 */
export function analyzePython(source: string, path: string, moduleName: string, previous?: Tree): ParsedModule {
  const tree = parsePython(source, previous);
  try {
    return extractFacts(tree, source, path, moduleName);
  } finally {
    if (!previous) tree.delete();
  }
}

/**
 * Facts from an already parsed tree, for callers that keep trees for incremental parsing; with a
 * memo, the statements and functions unchanged since its last extraction are taken from it.
 */
export function extractFacts(tree: Tree, source: string, path: string, moduleName: string, memo?: ExtractionMemo): ParsedModule {
  const root = copyTree(tree, source, memo?.syntax);
  if (memo) memo.syntax = root;
  const scope = new ModuleScope(root, moduleName, /(^|[\\/])__init__\.pyi?$/.test(path));
  const handlers = new HandlerDetector(scope);
  const names = new Map<number, FunctionNames>();
  const namesOf = (definition: Node): FunctionNames => {
    let found = names.get(definition.id);
    if (!found) {
      found = collectFunctionNames(definition);
      names.set(definition.id, found);
    }
    return found;
  };

  const ownFunctions: FunctionFacts[] = [];
  const functionIds = new Map<number, string>();
  const unanalysable: Range[] = [];
  memo?.begin(scope);
  for (const definition of root.descendantsOfType(['function_definition', 'lambda'])) {
    // The `lambda` keyword token has the same type name as the expression: skip it.
    if (!definition || !definition.isNamed || definition.hasError) continue;
    const role = definition.type === 'lambda' ? undefined : handlers.role(definition);
    const build = () => withinStackLimit(() => functionFacts(definition, scope, role, namesOf));
    // A lambda's facts read the call it is passed to, outside its text: always built afresh.
    const facts = memo && definition.type !== 'lambda' ? memo.factsOf(definition, role, build) : build();
    if (facts) {
      ownFunctions.push(facts);
      functionIds.set(definition.id, facts.id);
    } else unanalysable.push(rangeOf(definition));
  }
  memo?.end();

  const functions = inheritThreadpool(ownFunctions, moduleName);

  const moduleFlow = topLevelFlow(() =>
    new FlowBuilder({
      scope,
      locals: new Set(),
      globals: new Set(),
      enclosing: [],
      params: new Set(),
      isAsync: false,
      trackState: false,
      localTypes: new Map(),
      localImports: new Map(),
    }).buildBody(namedChildren(root)),
  );

  const facts: ModuleFacts = {
    language: 'python',
    path,
    moduleName,
    source,
    functions,
    moduleFlow,
    state: stateDefinitions(scope),
    comments: root.descendantsOfType('comment').flatMap((node): Comment[] => (node ? [{ range: rangeOf(node), text: node.text }] : [])),
    locks: moduleLocks(scope),
    imports: scope.importFacts,
    ...(scope.starImports.length > 0 && { starImports: scope.starImports }),
    ...constantKeysOf(scope),
    ...tableItemsOf(scope),
    ...classAliasesOf(scope),
    frameworks: [...handlers.frameworks],
    applications: handlers.applications.map(
      (application): ApplicationFact => ({
        name: application.name,
        framework: application.framework,
        call: rangeOf(application.call),
        arguments: rangeOf(field(application.call, 'arguments') ?? application.call),
        statement: rangeOf(application.statement),
        keywords: application.keywords,
        router: application.router,
      }),
    ),
    lifecycleHooks: handlers.hooks.map(
      (hook): LifecycleHookFact => ({
        event: hook.event,
        form: hook.form,
        framework: hook.framework,
        application: hook.application,
        range: rangeOf(hook.site),
        callbackText: hook.callback.text,
        callback: hook.definition ? functionIds.get(hook.definition.id) : undefined,
      }),
    ),
    classes: [...scope.classes.values()].map((info) => ({
      name: info.name,
      bases: info.bases,
      nameRange: rangeOf(field(info.node, 'name') ?? info.node),
      attributes: [...info.attributeValues].map(([name, value]) => ({ name, value: shortText(value, 300), range: rangeOf(value) })),
      ...(info.instanceTypes.size > 0 && { attributeTypes: Object.fromEntries(info.instanceTypes) }),
    })),
    syntaxErrors: [...(tree.rootNode.hasError ? syntaxErrors(root, tree) : []), ...unanalysable],
    mainGuards: mainGuards(root),
  };
  return { facts, fixes: new PythonFixBuilder(facts, multilineStringLines(root)) };
}

function functionFacts(
  definition: Node,
  scope: ModuleScope,
  role: HandlerRole | undefined,
  namesOf: (definition: Node) => FunctionNames,
): FunctionFacts {
  const isLambda = definition.type === 'lambda';
  const own = namesOf(definition);
  const enclosing: FunctionNames[] = [];
  let className: string | undefined;
  let parent: Node | undefined;
  for (let node = definition.parent; node; node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda') {
      enclosing.unshift(namesOf(node));
      parent ??= node;
    } else if (node.type === 'class_definition' && enclosing.length === 0 && !className) {
      className = field(node, 'name')?.text;
    }
  }
  const nameNode = field(definition, 'name');
  const name = isLambda ? '<lambda>' : (nameNode?.text ?? '<unknown>');
  const decoratorSites = decoratorsOf(definition).flatMap((decorator) => {
    const expression = namedChildren(decorator)[0];
    const callee = expression?.type === 'call' ? field(expression, 'function') : expression;
    // Through instances too: `@app.command()` on `app = typer.Typer()` is `typer.Typer().command`.
    const qualified = callee ? (scope.calleeName(callee) ?? scope.qualify(callee) ?? callee.text) : undefined;
    return qualified ? [{ qualified, range: rangeOf(decorator) }] : [];
  });
  const decorators = decoratorSites.map((site) => site.qualified);
  const isStatic = decorators.some((d) => d === 'staticmethod' || d.endsWith('.staticmethod'));
  const isClassMethod = decorators.some((d) => d === 'classmethod' || d.endsWith('.classmethod'));
  const params = parameters(definition, scope);
  const method = className && !isLambda && enclosing.length === 0 && !isStatic ? params[0]?.name : undefined;
  const isAsync = !isLambda && isAsyncDef(definition);

  const localTypes = new Map<string, string>();
  for (const param of params) if (param.annotation) localTypes.set(param.name, `${param.annotation}()`);
  if (method && className) localTypes.set(method, isClassMethod ? `${scope.moduleName}.${className}` : `${scope.moduleName}.${className}()`);
  const base = method && className ? scope.classes.get(className)?.bases[0] : undefined;
  if (base) localTypes.set(SUPER, isClassMethod ? base : `${base}()`);
  const env: FunctionEnvironment = {
    scope,
    locals: own.locals,
    globals: own.globals,
    enclosing: enclosing.map((names) => names.locals),
    params: own.params,
    className,
    selfName: method && !isClassMethod ? method : undefined,
    clsName: method && isClassMethod ? method : undefined,
    isAsync,
    trackState: true,
    localTypes,
    localImports: new Map(),
  };
  const builder = new FlowBuilder(env);
  const body = field(definition, 'body');
  const flow = isLambda
    ? body
      ? builder.buildExpression(body)
      : builder.buildBody([])
    : builder.buildBody(body ? namedChildren(body) : []);

  const qualifiedName = [
    ...ancestorsNames(definition),
    name,
  ].join('.');
  const kind = role?.kind ?? 'plain';
  return {
    id: `${qualifiedName}@${definition.startPosition.row + 1}`,
    name,
    qualifiedName,
    className,
    parent: parent ? `${[...ancestorsNames(parent), field(parent, 'name')?.text ?? '<lambda>'].join('.')}@${parent.startPosition.row + 1}` : undefined,
    kind,
    framework: role?.framework,
    httpMethods: role?.methods,
    ...(role?.path !== undefined && { routePath: role.path }),
    ...returnType(definition, scope, className),
    isAsync,
    isLambda,
    execution: executionOf(isAsync, role?.kind, role?.framework),
    decorators,
    decoratorRanges: decoratorSites.map((site) => site.range),
    params,
    range: rangeOf(definition.parent?.type === 'decorated_definition' ? definition.parent : definition),
    nameRange: nameNode ? rangeOf(nameNode) : rangeOf(definition),
    flow,
    ...(isLambda && passedTo(definition, scope)),
  };
}

/**
 * The type a function returns: its annotation's, else the one type every `return` of its own body
 * constructs (`return AllRepositories(session)`, or a name bound once to such a call:
 * `client = boto3.client(service)` … `return client`, or an attribute its class sets to one:
 * `return self._repos`), for factories and lazy properties written without annotations or
 * annotated `Any`.
 */
function returnType(definition: Node, scope: ModuleScope, className: string | undefined): Pick<FunctionFacts, 'returns'> {
  if (definition.type !== 'function_definition') return {};
  const annotation = field(definition, 'return_type');
  const declared = annotation ? scope.annotationName(annotation) : undefined;
  if (annotation && !(declared === 'typing.Any' || declared === 'Any')) return declared ? { returns: declared } : {};
  const returned: Node[] = [];
  const bound = new Map<string, (Node | undefined)[]>();
  const stack = [...(field(definition, 'body')?.namedChildren ?? [])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') continue;
    if (node.type === 'return_statement') {
      // A bare `return` returns None: no type.
      returned.push(namedChildren(node)[0] ?? node);
      continue;
    }
    if (node.type === 'assignment') {
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (left?.type === 'identifier') bound.set(left.text, [...(bound.get(left.text) ?? []), right?.type === 'call' ? right : undefined]);
    }
    stack.push(...node.namedChildren);
  }
  const types = new Set<string | undefined>();
  for (const value of returned) {
    if (value.type === 'call') types.add(scope.typeOf(value));
    else if (value.type === 'identifier' && bound.get(value.text)?.length === 1) {
      // Typed only when returned: most assignments never are.
      const made = bound.get(value.text)![0];
      types.add(made && scope.typeOf(made));
    }
    // `return self._repos`, an attribute the class's methods set to one type (a lazy property).
    else if (value.type === 'attribute' && className && field(value, 'object')?.text === 'self') types.add(scope.classes.get(className)?.instanceTypes.get(field(value, 'attribute')?.text ?? ''));
    else types.add(undefined);
  }
  const [only] = types;
  return types.size === 1 && only?.endsWith('()') && !only.slice(0, -2).includes('(') ? { returns: only.slice(0, -2) } : {};
}

/** The call a lambda is written as an argument of: `run_in_executor(None, lambda: …)`. */
function passedTo(definition: Node, scope: ModuleScope): Pick<FunctionFacts, 'passedTo'> {
  let argument = definition;
  while (argument.parent && (argument.parent.type === 'parenthesized_expression' || argument.parent.type === 'keyword_argument')) argument = argument.parent;
  const call = argument.parent?.type === 'argument_list' ? argument.parent.parent : undefined;
  const callee = call?.type === 'call' ? field(call, 'function') : undefined;
  if (!call || !callee) return {};
  const qualified = scope.calleeName(callee) ?? scope.qualify(callee);
  return { passedTo: { ...(qualified && { callee: qualified }), text: shortText(callee, 80), range: rangeOf(call) } };
}

/** `if __name__ == "__main__":` blocks at module level: they run when the file is a program, not when it is imported. */
function mainGuards(root: Node): Range[] {
  return namedChildren(root).flatMap((statement) => {
    if (statement.type !== 'if_statement') return [];
    const condition = field(statement, 'condition')?.text.replace(/\s+/g, '') ?? '';
    return /^(__name__==(['"])__main__\2|(['"])__main__\3==__name__)$/.test(condition) ? [rangeOf(statement)] : [];
  });
}

function ancestorsNames(definition: Node): string[] {
  const names: string[] = [];
  for (let node = definition.parent; node; node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'class_definition') {
      names.unshift(field(node, 'name')?.text ?? '?');
    } else if (node.type === 'lambda') {
      names.unshift('<lambda>');
    }
  }
  return names;
}

/**
 * A sync helper called from a threadpool-run handler runs on that handler's thread: it inherits
 * the threadpool (and its races) unless something else already decided where it runs. Those
 * helpers are copied, not changed: a function's own facts may be reused by the next extraction.
 */
function inheritThreadpool(functions: FunctionFacts[], moduleName: string): FunctionFacts[] {
  const handlers = functions.filter((fn) => fn.execution === 'threadpool');
  const reached = reachableFunctions(handlers, calleeIndex({ moduleName, functions }), (callee) => !callee.isAsync && callee.execution === 'caller');
  return functions.map((fn) => (reached.has(fn) && fn.execution === 'caller' ? inThreadpool(fn) : fn));
}

/** One copy per function, so the copy keeps its identity across reuse as the function does. */
const threadpoolCopies = new WeakMap<FunctionFacts, FunctionFacts>();

function inThreadpool(fn: FunctionFacts): FunctionFacts {
  let copy = threadpoolCopies.get(fn);
  if (!copy) threadpoolCopies.set(fn, (copy = { ...fn, execution: 'threadpool' }));
  return copy;
}

/**
 * FastAPI and Starlette run sync endpoints, dependencies and background tasks in a threadpool;
 * coroutines run on the event loop; everything else runs wherever its caller does.
 */
function executionOf(isAsync: boolean, kind: string | undefined, framework: string | undefined): ExecutionContext {
  if (isAsync) return 'event-loop';
  const threaded = kind === 'route' || kind === 'websocket' || kind === 'dependency' || kind === 'background';
  if (threaded && (framework === 'fastapi' || framework === 'starlette')) return 'threadpool';
  if (threaded && framework === 'aiohttp') return 'event-loop';
  return 'caller';
}

function parameters(definition: Node, scope: ModuleScope): Parameter[] {
  const list = field(definition, 'parameters');
  if (!list) return [];
  const result: Parameter[] = [];
  for (const parameter of namedChildren(list)) {
    let nameNode: Node | null = null;
    let annotation: Node | null = null;
    switch (parameter.type) {
      case 'identifier':
        nameNode = parameter;
        break;
      case 'default_parameter':
        nameNode = field(parameter, 'name');
        break;
      case 'typed_default_parameter':
        nameNode = field(parameter, 'name');
        annotation = field(parameter, 'type');
        break;
      case 'typed_parameter':
        nameNode = namedChildren(parameter).find((child) => child.type === 'identifier') ?? null;
        annotation = field(parameter, 'type');
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        nameNode = namedChildren(parameter).find((child) => child.type === 'identifier') ?? null;
        break;
      default:
        break;
    }
    if (!nameNode) continue;
    const qualified = annotation ? scope.annotationName(annotation) : undefined;
    result.push({ name: nameNode.text, annotation: qualified, range: rangeOf(parameter) });
  }
  return result;
}

function stateDefinitions(scope: ModuleScope): StateDefinition[] {
  const definitions: StateDefinition[] = [];
  for (const binding of scope.bindings.values()) {
    if (binding.kind === 'variable') {
      definitions.push({ root: binding.name, scope: 'module', range: binding.range, valueKind: binding.valueType });
    }
  }
  for (const info of scope.classes.values()) {
    for (const [attribute, range] of info.attributes) {
      definitions.push({ root: `${info.name}.${attribute}`, scope: 'class', range });
    }
  }
  for (const [, instance] of scope.singletons) {
    const binding = scope.bindings.get(instance);
    if (binding) definitions.push({ root: instance, scope: 'singleton', range: binding.range, valueKind: binding.valueType });
  }
  return definitions;
}

function moduleLocks(scope: ModuleScope): ModuleFacts['locks'] {
  const locks: { name: string; kind: LockKind; range: Range }[] = [];
  for (const binding of scope.bindings.values()) {
    const kind = binding.valueType ? LOCK_TYPES.get(binding.valueType) : undefined;
    if (binding.kind === 'variable' && kind) locks.push({ name: binding.name, kind, range: binding.range });
  }
  return locks;
}

/**
 * The outermost ERROR and MISSING nodes. A MISSING token the grammar hides (the newline that ends
 * a statement) is in no copy and no cursor walk; then the error is placed on the smallest node that
 * tree-sitter says holds one, so a file with an error is never taken for a clean one.
 */
function syntaxErrors(root: Node, tree: Tree): Range[] {
  const errors: Range[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.isMissing) errors.push(rangeOf(node));
    else if (node.hasError) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  if (errors.length === 0) errors.push(rangeOf(hiddenErrorHolder(root, tree)));
  return errors;
}

/** The copied node matching the deepest node of the tree-sitter tree that has an error below it. */
function hiddenErrorHolder(root: Node, tree: Tree): Node {
  let holder = tree.rootNode;
  for (let next = holder.children.find((child) => child?.hasError); next; next = holder.children.find((child) => child?.hasError)) holder = next;
  let copy = root;
  for (let inner = copy.children.find((child) => child.startIndex <= holder.startIndex && child.endIndex >= holder.endIndex); inner; ) {
    copy = inner;
    inner = copy.children.find((child) => child.startIndex <= holder.startIndex && child.endIndex >= holder.endIndex);
  }
  return copy;
}

/** Lines that begin inside a string literal spanning several lines: never re-indent them. */
function multilineStringLines(root: Node): Set<number> {
  const lines = new Set<number>();
  for (const node of root.descendantsOfType('string')) {
    if (!node || node.startPosition.row === node.endPosition.row) continue;
    for (let line = node.startPosition.row + 1; line <= node.endPosition.row; line++) lines.add(line);
  }
  return lines;
}

const DECLARATIVE_BASE = /^sqlalchemy\.(orm|ext\.declarative)(\.decl_api)?\.declarative_base$/;

/** `Base = declarative_base(cls=ModelBase)`: a class whose instances' methods come from `ModelBase`. */
function tableItemsOf(scope: ModuleScope): Pick<ModuleFacts, 'tableItems'> {
  const items: NonNullable<ModuleFacts['tableItems']> = {};
  for (const binding of scope.bindings.values()) {
    const type = binding.kind === 'variable' ? scope.tableValueType(binding.name) : undefined;
    if (type) items[binding.name] = { type, range: binding.range };
  }
  return Object.keys(items).length > 0 ? { tableItems: items } : {};
}

function constantKeysOf(scope: ModuleScope): Pick<ModuleFacts, 'constantKeys'> {
  const keys = moduleConstantKeys(scope);
  return Object.keys(keys).length > 0 ? { constantKeys: keys } : {};
}

function classAliasesOf(scope: ModuleScope): Pick<ModuleFacts, 'classAliases'> {
  const aliases: NonNullable<ModuleFacts['classAliases']> = [];
  for (const binding of scope.bindings.values()) {
    const value = binding.kind === 'variable' ? binding.value : undefined;
    const callee = value?.type === 'call' ? field(value, 'function') : null;
    if (!value || !callee || !DECLARATIVE_BASE.test(scope.qualify(callee) ?? '')) continue;
    const base = callArguments(value).keywords.get('cls');
    const qualified = base ? scope.qualify(base) : undefined;
    if (qualified) aliases.push({ name: binding.name, bases: [qualified] });
  }
  return aliases.length > 0 ? { classAliases: aliases } : {};
}

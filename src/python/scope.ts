import type { ImportFact, LockKind, Range } from '../core/facts';
import {
  callArguments,
  definitionOf,
  dottedParts,
  field,
  namedChildren,
  rangeOf,
  unparenthesize,
  type Node,
} from './syntax';
import { stubbedClass } from './type-stubs';

/** A name bound at module level. */
export interface ModuleBinding {
  name: string;
  kind: 'variable' | 'import' | 'function' | 'class';
  range: Range;
  /** For variables: `dict`, `list`, `set`, `number`, `str`, or a call's type such as `asyncio.Lock()`. */
  valueType?: string;
  /** The expression first assigned, for variables. */
  value?: Node;
  /** Its annotation, for variables: `dict[str, S3Service]` of `SERVICES: dict[str, S3Service] = {…}`. */
  annotation?: Node;
}

/** The key under which a method's local types hold what `super()` stands for. */
export const SUPER = 'super()';

export interface ClassInfo {
  name: string;
  node: Node;
  bases: string[];
  /** Attributes assigned in the class body. */
  attributes: Map<string, Range>;
  /** The values assigned to them, e.g. the dict of `__mapper_args__ = {...}`. */
  attributeValues: Map<string, Node>;
  /** Types of `self.x` assigned in methods, e.g. `_lock` → `asyncio.Lock()`. */
  instanceTypes: Map<string, string>;
  /** Attributes assigned through `self` in any method: per-instance, not class-level. */
  selfAssigned: Set<string>;
  methods: Map<string, Node>;
}

const BUILTINS = new Set([
  'open', 'input', 'print', 'len', 'dict', 'list', 'set', 'tuple', 'sorted', 'sum', 'min', 'max', 'any', 'all',
  'iter', 'next', 'range', 'enumerate', 'zip', 'map', 'filter', 'str', 'int', 'float', 'bool', 'bytes', 'repr',
  'isinstance', 'getattr', 'setattr', 'hasattr', 'type', 'id', 'hash', 'abs', 'round', 'frozenset', 'vars',
  'compile', 'exec', 'eval', '__import__', 'super', 'object',
]);

export const LOCK_TYPES: ReadonlyMap<string, LockKind> = new Map([
  ['asyncio.Lock()', 'asyncio'],
  ['asyncio.Semaphore()', 'asyncio'],
  ['asyncio.BoundedSemaphore()', 'asyncio'],
  ['asyncio.Condition()', 'asyncio'],
  ['anyio.Lock()', 'asyncio'],
  ['anyio.Semaphore()', 'asyncio'],
  ['anyio.CapacityLimiter()', 'asyncio'],
  ['anyio.Condition()', 'asyncio'],
  ['trio.Lock()', 'asyncio'],
  ['threading.Lock()', 'threading'],
  ['threading.RLock()', 'threading'],
  ['threading.Semaphore()', 'threading'],
  ['threading.BoundedSemaphore()', 'threading'],
  ['threading.Condition()', 'threading'],
  ['multiprocessing.Lock()', 'threading'],
  ['multiprocessing.RLock()', 'threading'],
]);

/**
 * What some members of library types evaluate to, by the qualified name of the attribute or the
 * called method: enough to keep `Path(__file__).resolve().parent / "data"` a path.
 */
const MEMBER_TYPES: ReadonlyMap<string, string> = new Map([
  ...['parent', 'resolve', 'absolute', 'expanduser', 'with_name', 'with_suffix', 'with_stem', 'joinpath', 'relative_to'].map(
    (member): [string, string] => [`pathlib.Path().${member}`, 'pathlib.Path()'],
  ),
  ['pathlib.Path.cwd', 'pathlib.Path()'],
  ['pathlib.Path.home', 'pathlib.Path()'],
]);

/** A value produced by a call (`requests.Session()`), or reached from one (`client.db`, `client["db"]`). */
/** Whether a call is handed the name it is assigned to: `register = route(register)`. */
function passesItself(call: Node, name: string): boolean {
  const { positional } = callArguments(call);
  return positional.some((argument) => argument.type === 'identifier' && argument.text === name);
}

/** Annotations of a mapping, whose second parameter is the type of its values. */
const MAPPINGS = /^(builtins\.dict|typing\.(Dict|Mapping|MutableMapping)|collections\.abc\.(Mapping|MutableMapping))$/;

function isInstanceType(type: string): boolean {
  return type.includes('()');
}

/** Statements whose blocks bind names at top level; `statementsBeneath` walks them. */
const COMPOUND_AT_TOP_LEVEL = new Set(['if_statement', 'try_statement', 'with_statement']);

/**
 * The statements in the blocks beneath a statement, at any depth but never inside a function or
 * class (the definitions themselves are among them), in document order. Iterative: the input
 * decides how deep the blocks nest.
 */
function statementsBeneath(statement: Node): Node[] {
  const found: Node[] = [];
  const stack = [...namedChildren(statement)].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.parent?.type === 'block') found.push(node);
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'decorated_definition') continue;
    const children = namedChildren(node);
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
  return found;
}

/** A function body's own names, which resolve before the module's. */
export interface LocalBindings {
  /** The qualified target of a name the function imports itself (`import time` in its body). */
  imported(name: string): string | undefined;
  /** Whether the function binds the name (a parameter, an assignment): it then hides the module's. */
  binds(name: string): boolean;
}

/**
 * Everything a function body needs to know about its module: what names are bound at top level
 * and what they hold, which classes have a single shared instance, and how imports qualify names.
 */
export class ModuleScope {
  readonly imports = new Map<string, string>();
  readonly importFacts: ImportFact[] = [];
  /** Modules imported with `from m import *`: a name the module does not bind may come from them. */
  readonly starImports: string[] = [];
  readonly bindings = new Map<string, ModuleBinding>();
  readonly classes = new Map<string, ClassInfo>();
  /** Classes with one module-level instance: class name → instance name. */
  readonly singletons = new Map<string, string>();
  /** Names declared `global` in some function: module state even if never assigned at top level. */
  readonly declaredGlobal = new Set<string>();

  constructor(
    readonly root: Node,
    readonly moduleName: string,
    /** An `__init__.py`: relative imports start from the module itself, not its parent. */
    private readonly isPackage = false,
  ) {
    // Imports first, then definitions, then assignments, so that `manager = Manager()` can be
    // typed by the class defined above it.
    for (const statement of namedChildren(root)) this.collectTopLevel(statement, 'imports');
    for (const statement of namedChildren(root)) this.collectTopLevelDefinitions(statement);
    for (const statement of namedChildren(root)) this.collectTopLevel(statement, 'assignments');
    this.collectGlobalDeclarations(root);
    for (const [name, binding] of this.bindings) {
      const type = binding.valueType;
      if (binding.kind !== 'variable' || !type?.endsWith('()')) continue;
      const className = type.slice(0, -2);
      const local = className.startsWith(`${moduleName}.`) ? className.slice(moduleName.length + 1) : undefined;
      if (local && this.classes.has(local) && !this.singletons.has(local)) this.singletons.set(local, name);
    }
  }

  /** The module the current package is in, for relative imports. */
  private resolveRelative(dots: number, rest: string): string {
    const parts = this.moduleName.split('.');
    const up = this.isPackage ? dots - 1 : dots;
    const base = parts.slice(0, Math.max(0, parts.length - up));
    return [...base, ...(rest ? rest.split('.') : [])].join('.');
  }

  private collectTopLevel(statement: Node, phase: 'imports' | 'assignments'): void {
    switch (statement.type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        if (phase === 'imports') this.collectImport(statement, true);
        return;
      case 'expression_statement':
        if (phase === 'assignments') for (const child of namedChildren(statement)) this.collectAssignment(child);
        return;
      case 'if_statement':
      case 'try_statement':
      case 'with_statement':
        // `try: import x except ImportError:` and `if TYPE_CHECKING:` blocks bind at top level too,
        // as does every statement nested in them outside a function or class. One walk, each
        // statement once: a nest as deep as the input makes it costs no more than its size.
        for (const inner of statementsBeneath(statement)) if (!COMPOUND_AT_TOP_LEVEL.has(inner.type)) this.collectTopLevel(inner, phase);
        return;
      default:
        return;
    }
  }

  collectImport(statement: Node, topLevel: boolean, into?: Map<string, string>): void {
    const bind = (local: string, target: string, node: Node) => {
      (into ?? this.imports).set(local, target);
      if (topLevel) {
        this.importFacts.push({ local, target, range: rangeOf(statement) });
        this.bindings.set(local, { name: local, kind: 'import', range: rangeOf(node) });
      }
    };
    if (statement.type === 'import_statement') {
      for (const item of namedChildren(statement)) {
        if (item.type === 'dotted_name') bind(item.text.split('.')[0]!, item.text.split('.')[0]!, item);
        else if (item.type === 'aliased_import') {
          const name = field(item, 'name');
          const alias = field(item, 'alias');
          if (name && alias) bind(alias.text, name.text, item);
        }
      }
      return;
    }
    const moduleNode = field(statement, 'module_name');
    let from = moduleNode?.text ?? '__future__';
    if (moduleNode?.type === 'relative_import') {
      const prefix = moduleNode.namedChildren.find((child) => child?.type === 'import_prefix');
      const dots = prefix?.text.length ?? 0;
      const rest = moduleNode.namedChildren.find((child) => child?.type === 'dotted_name')?.text ?? '';
      from = this.resolveRelative(dots, rest);
    }
    for (const item of namedChildren(statement)) {
      if (moduleNode && item.equals(moduleNode)) continue;
      if (item.type === 'wildcard_import' && topLevel && !into) this.starImports.push(from);
      const qualified = (name: string) => (from ? `${from}.${name}` : name);
      if (item.type === 'dotted_name') bind(item.text, qualified(item.text), item);
      else if (item.type === 'aliased_import') {
        const name = field(item, 'name');
        const alias = field(item, 'alias');
        if (name && alias) bind(alias.text, qualified(name.text), item);
      }
    }
  }

  private collectAssignment(node: Node): void {
    if (node.type !== 'assignment' && node.type !== 'augmented_assignment') return;
    const left = field(node, 'left');
    let right = field(node, 'right');
    while (right?.type === 'assignment') {
      this.collectAssignment(right);
      right = field(right, 'right');
    }
    if (!left) return;
    const targets = left.type === 'identifier' ? [left] : left.descendantsOfType('identifier').filter((n): n is Node => !!n);
    for (const target of targets) {
      if (target.parent && target.parent !== left && target.parent.type === 'attribute') continue;
      if (this.bindings.get(target.text)?.kind === 'variable') continue;
      // A function decorated by hand (`register = router.post("/register")(register)`) is still the function.
      if (this.bindings.get(target.text)?.kind === 'function' && right?.type === 'call' && passesItself(right, target.text)) continue;
      this.bindings.set(target.text, {
        name: target.text,
        kind: 'variable',
        range: rangeOf(target),
        valueType: right && left.type === 'identifier' ? this.typeOf(right) : undefined,
        value: right && left.type === 'identifier' ? right : undefined,
        ...(left.type === 'identifier' && field(node, 'type') && { annotation: field(node, 'type')! }),
      });
    }
  }

  private collectTopLevelDefinitions(statement: Node): void {
    if (COMPOUND_AT_TOP_LEVEL.has(statement.type)) {
      // `if find_spec("sdk"): class Wallet: … else: class Wallet: …` defines the class at top level too.
      for (const inner of statementsBeneath(statement)) if (!COMPOUND_AT_TOP_LEVEL.has(inner.type)) this.collectTopLevelDefinitions(inner);
      return;
    }
    const definition = definitionOf(statement);
    const name = field(definition, 'name');
    if (!name) return;
    if (definition.type === 'function_definition') {
      this.bindings.set(name.text, { name: name.text, kind: 'function', range: rangeOf(name) });
    } else if (definition.type === 'class_definition') {
      this.bindings.set(name.text, { name: name.text, kind: 'class', range: rangeOf(name) });
      const info = this.collectClass(definition, name.text);
      const other = this.classes.get(name.text);
      this.classes.set(name.text, other ? mergedClass(info, other) : info);
    }
  }

  private collectClass(node: Node, name: string): ClassInfo {
    const info: ClassInfo = {
      name,
      node,
      bases: [],
      attributes: new Map(),
      attributeValues: new Map(),
      instanceTypes: new Map(),
      selfAssigned: new Set(),
      methods: new Map(),
    };
    const superclasses = field(node, 'superclasses');
    for (const base of superclasses ? namedChildren(superclasses) : []) {
      if (base.type === 'keyword_argument') continue;
      // `RepositoryGeneric[Recipe, RecipeModel]` inherits from `RepositoryGeneric`.
      const qualified = this.qualify(base.type === 'subscript' ? (field(base, 'value') ?? base) : base);
      if (qualified) info.bases.push(qualified);
    }
    const body = field(node, 'body');
    for (const statement of body ? namedChildren(body) : []) {
      const definition = definitionOf(statement);
      if (definition.type === 'function_definition') {
        const methodName = field(definition, 'name');
        if (methodName) info.methods.set(methodName.text, definition);
        continue;
      }
      if (statement.type !== 'expression_statement') continue;
      for (const assignment of namedChildren(statement)) {
        const left = assignment.type === 'assignment' ? field(assignment, 'left') : null;
        if (left?.type !== 'identifier') continue;
        info.attributes.set(left.text, rangeOf(left));
        const value = field(assignment, 'right');
        if (value) info.attributeValues.set(left.text, value);
        // `client: httpx.Client` declares what `self.client` holds (dataclasses, injected services).
        const annotation = field(assignment, 'type');
        const declared = annotation ? this.annotationName(annotation) : undefined;
        if (declared) info.instanceTypes.set(left.text, `${declared}()`);
      }
    }
    for (const method of info.methods.values()) {
      const parameters = field(method, 'parameters');
      const selfName = parameters?.namedChildren[0]?.type === 'identifier' ? parameters.namedChildren[0].text : 'self';
      const parameterTypes = this.parameterTypes(parameters);
      for (const assignment of method.descendantsOfType(['assignment', 'augmented_assignment'])) {
        const left = assignment && field(assignment, 'left');
        const right = assignment && field(assignment, 'right');
        const parts = left ? dottedParts(left) : undefined;
        if (parts?.length !== 2 || parts[0] !== selfName) continue;
        info.selfAssigned.add(parts[1]!);
        const annotation = assignment.type === 'assignment' ? field(assignment, 'type') : null;
        const declared = annotation ? this.annotationName(annotation) : undefined;
        const type = declared ? `${declared}()` : right && assignment.type === 'assignment' ? this.typeOf(right, (name) => parameterTypes.get(name)) : undefined;
        if (type) info.instanceTypes.set(parts[1]!, type);
      }
    }
    return info;
  }

  /** Annotated parameters' types: `self.db = db` in `__init__(self, db: Session)` holds a Session. */
  private parameterTypes(parameters: Node | null): Map<string, string> {
    const types = new Map<string, string>();
    for (const parameter of parameters ? namedChildren(parameters) : []) {
      if (parameter.type !== 'typed_parameter' && parameter.type !== 'typed_default_parameter') continue;
      const name = parameter.type === 'typed_parameter' ? namedChildren(parameter).find((child) => child.type === 'identifier') : field(parameter, 'name');
      const annotation = field(parameter, 'type');
      const declared = annotation ? this.annotationName(annotation) : undefined;
      if (name && declared) types.set(name.text, `${declared}()`);
    }
    return types;
  }

  private collectGlobalDeclarations(root: Node): void {
    for (const statement of root.descendantsOfType('global_statement')) {
      for (const name of statement ? namedChildren(statement) : []) {
        if (name.type !== 'identifier') continue;
        this.declaredGlobal.add(name.text);
        if (!this.bindings.has(name.text)) {
          this.bindings.set(name.text, { name: name.text, kind: 'variable', range: rangeOf(name) });
        }
      }
    }
  }

  /**
   * The qualified name an expression refers to, resolved through imports and module-level
   * definitions: `pause` → `time.sleep`, `web.get` → `aiohttp.web.get`, `helper` →
   * `app.services.helper`. Undefined for locals and anything not a dotted name.
   */
  qualify(node: Node, localImports?: ReadonlyMap<string, string>): string | undefined {
    const parts = dottedParts(node);
    if (!parts) return undefined;
    const [head, ...rest] = parts;
    const target = this.qualifyName(head!, localImports);
    return target === undefined ? undefined : [target, ...rest].join('.');
  }

  /** `qualify` for a function body: its own imports first, and its locals hide module names. */
  private qualifyWithin(node: Node, locals?: LocalBindings): string | undefined {
    const parts = dottedParts(node);
    if (!parts) return undefined;
    const [head, ...rest] = parts;
    const target = locals?.imported(head!) ?? (locals?.binds(head!) ? undefined : this.qualifyName(head!));
    return target === undefined ? undefined : [target, ...rest].join('.');
  }

  /** The qualified class an annotation names, looking through `Annotated[T, ...]`, `Optional[T]`, `T | None`. */
  annotationName(annotation: Node): string | undefined {
    let node = unparenthesize(annotation.type === 'type' ? (namedChildren(annotation)[0] ?? annotation) : annotation);
    for (let depth = 0; depth < 4; depth++) {
      if (node.type === 'generic_type' || node.type === 'subscript') {
        const head = node.type === 'subscript' ? field(node, 'value') : namedChildren(node)[0];
        const headName = head ? this.qualify(head) : undefined;
        const inner =
          node.type === 'subscript'
            ? node.childrenForFieldName('subscript')[0]
            : namedChildren(namedChildren(node)[1] ?? node).find((child) => child.type === 'type');
        if (!inner || !headName || !/(Annotated|Optional|Union)$/.test(headName)) return headName;
        node = unparenthesize(inner.type === 'type' ? (namedChildren(inner)[0] ?? inner) : inner);
        continue;
      }
      if (node.type === 'binary_operator') {
        const left = field(node, 'left');
        if (!left) return undefined;
        node = unparenthesize(left);
        continue;
      }
      break;
    }
    return stubbedClass(node.type === 'string' ? this.qualifyWritten(node) : this.qualify(node));
  }

  /** A forward reference written as a string (`client: "S3Client"`), when it is a dotted name. */
  private qualifyWritten(node: Node): string | undefined {
    const written = /^(["'])(.*)\1$/.exec(node.text)?.[2];
    if (!written || !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(written)) return undefined;
    const [head, ...rest] = written.split('.');
    const target = this.qualifyName(head!);
    return target === undefined ? undefined : [target, ...rest].join('.');
  }

  qualifyName(name: string, localImports?: ReadonlyMap<string, string>): string | undefined {
    const imported = localImports?.get(name) ?? this.imports.get(name);
    if (imported !== undefined) return imported;
    const binding = this.bindings.get(name);
    if (binding?.kind === 'function' || binding?.kind === 'class') return `${this.moduleName}.${name}`;
    if (!binding && BUILTINS.has(name)) return `builtins.${name}`;
    return undefined;
  }

  /**
   * A coarse type for an expression's value: `dict`, `list`, `set`, `number`, `str`, or, for
   * a call, the qualified callee followed by `()` (`requests.Session()`, `boto3.client()`); an
   * attribute or item of such a value extends it (`pymongo.MongoClient().shop`, `…()[]`), except
   * where the module's own class declares the attribute's type (`self.conn = sqlite3.connect()`).
   */
  typeOf(node: Node, types?: (name: string) => string | undefined, locals?: LocalBindings): string | undefined {
    const expr = unparenthesize(node);
    switch (expr.type) {
      case 'dictionary':
      case 'dictionary_comprehension':
        return 'dict';
      case 'list':
      case 'list_comprehension':
        return 'list';
      case 'set':
      case 'set_comprehension':
        return 'set';
      case 'tuple':
        return 'tuple';
      case 'integer':
      case 'float':
        return 'number';
      case 'string':
      case 'concatenated_string':
        return 'str';
      case 'true':
      case 'false':
        return 'bool';
      case 'none':
        return 'none';
      case 'await': {
        // An awaited call has the type its coroutine function's annotation gives: `user = await repo.get(…)`.
        const awaited = namedChildren(expr)[0];
        return awaited && awaited.type === 'call' ? this.typeOf(awaited, types, locals) : undefined;
      }
      case 'identifier':
        return types?.(expr.text) ?? (locals?.binds(expr.text) ? undefined : this.bindings.get(expr.text)?.valueType);
      case 'attribute': {
        const path = types && dottedParts(expr)?.join('.');
        const assigned = path ? types!(path) : undefined;
        if (assigned) return assigned;
        const object = field(expr, 'object');
        const attribute = field(expr, 'attribute');
        const objectType = object && attribute ? this.typeOf(object, types, locals) : undefined;
        return objectType && isInstanceType(objectType) ? this.memberType(objectType, attribute!.text) : undefined;
      }
      case 'subscript': {
        const value = field(expr, 'value');
        const valueType = value ? this.typeOf(value, types, locals) : undefined;
        if (valueType && isInstanceType(valueType)) return `${valueType}[]`;
        // An item of a module's table of instances, here or imported: `S3_SERVICES[kind]`, `state.models[name]`.
        const table = value?.type === 'identifier' ? (types?.(value.text) ? undefined : this.tableName(value.text, locals)) : value?.type === 'attribute' ? this.qualifyWithin(value, locals) : undefined;
        return table && `${table}[]`;
      }
      case 'binary_operator': {
        // `Path(base) / "a" / "b"` stays a Path; walk down the left spine without recursion.
        let left: Node | null = expr;
        while (left?.type === 'binary_operator') left = field(left, 'left');
        const leftType = left ? this.typeOf(left, types, locals) : undefined;
        return leftType === 'pathlib.Path()' ? leftType : undefined;
      }
      case 'call': {
        const callee = field(expr, 'function');
        if (!callee) return undefined;
        // `super()` in a method stands for its class's first base: `super().get(db)` runs `Base.get`.
        if (callee.type === 'identifier' && callee.text === 'super' && !locals?.binds('super')) return types?.(SUPER);
        const qualified = this.calleeName(callee, types, locals);
        if (qualified) return MEMBER_TYPES.get(qualified) ?? `${qualified}()`;
        // Calling an instance: `SessionLocal()` where `SessionLocal = sessionmaker(engine)`.
        const calleeType = this.typeOf(callee, types, locals);
        return calleeType && isInstanceType(calleeType) ? `${calleeType}()` : undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * The qualified name of a called expression: a function (`time.sleep`), a class (`httpx.Client`)
   * or a method on a value of known type (`requests.Session().get`).
   */
  calleeName(callee: Node, types?: (name: string) => string | undefined, locals?: LocalBindings): string | undefined {
    const expr = unparenthesize(callee);
    if (expr.type === 'attribute') {
      const object = field(expr, 'object');
      const attribute = field(expr, 'attribute');
      if (!object || !attribute) return undefined;
      const type = this.typeOf(object, types, locals);
      // An instance (`requests.Session()`) or a class a classmethod receives (`app.main.Repo`).
      if (type && (isInstanceType(type) || type.includes('.'))) return `${type}.${attribute.text}`;
    }
    if (expr.type === 'identifier' && types?.(expr.text)) return undefined;
    // Calling what a call returns: `app.post("/reset")(reset_password)` registers a route.
    if (expr.type === 'call') return this.typeOf(expr, types, locals);
    return this.qualifyWithin(expr, locals);
  }

  /** The qualified name of a module-level table a name refers to: one of this module's tables, or any imported name. */
  private tableName(name: string, locals?: LocalBindings): string | undefined {
    const imported = locals?.imported(name) ?? (locals?.binds(name) ? undefined : this.imports.get(name));
    if (imported !== undefined) return imported;
    if (locals?.binds(name)) return undefined;
    return this.tableValueType(name) ? `${this.moduleName}.${name}` : undefined;
  }

  /**
   * The type of the values of a module-level table, when it is known: from its annotation
   * (`dict[K, V]`, `Mapping[K, V]`), else the one instance type all its literal values share.
   */
  tableValueType(name: string): string | undefined {
    const binding = this.bindings.get(name);
    // Annotated, the table may start empty or as `None` and be filled at startup: `models: Dict[str, Model] = None`.
    const annotated = binding?.annotation && this.mappingValueAnnotation(binding.annotation);
    if (annotated) return `${annotated}()`;
    if (binding?.valueType !== 'dict' || !binding.value) return undefined;
    const types = new Set(namedChildren(binding.value).flatMap((entry) => {
      const value = entry.type === 'pair' ? field(entry, 'value') : null;
      return entry.type === 'comment' ? [] : [value ? this.typeOf(value) : undefined];
    }));
    const [only] = types;
    return types.size === 1 && only && isInstanceType(only) ? only : undefined;
  }

  private mappingValueAnnotation(annotation: Node): string | undefined {
    const generic = unparenthesize(annotation.type === 'type' ? (namedChildren(annotation)[0] ?? annotation) : annotation);
    if (generic.type !== 'generic_type') return undefined;
    const [head, parameters] = namedChildren(generic);
    if (!head || !MAPPINGS.test(this.qualify(head) ?? `builtins.${head.text}`)) return undefined;
    const value = parameters ? namedChildren(parameters).filter((child) => child.type === 'type')[1] : undefined;
    return value && value.namedChildCount === 1 && namedChildren(value)[0]!.type === 'identifier' ? this.annotationName(value) : undefined;
  }

  /** The type of `attribute` read from a value of `type`. */
  private memberType(type: string, attribute: string): string {
    const ownClass = type.startsWith(`${this.moduleName}.`) && type.endsWith('()') ? type.slice(this.moduleName.length + 1, -2) : undefined;
    const declared = ownClass ? this.classes.get(ownClass)?.instanceTypes.get(attribute) : undefined;
    const member = `${type}.${attribute}`;
    return declared ?? MEMBER_TYPES.get(member) ?? member;
  }

  isLockType(type: string | undefined): LockKind | undefined {
    return type ? LOCK_TYPES.get(type) : undefined;
  }

  /** The keyword or positional argument of a call, by keyword name or index. */
  argument(call: Node, keyword: string, index?: number): Node | undefined {
    const { positional, keywords } = callArguments(call);
    return keywords.get(keyword) ?? (index === undefined ? undefined : positional[index]);
  }
}

/**
 * One class defined in two arms (`try:` the real one, `except ImportError:` a stand-in): which
 * runs is decided at import, so what either says an instance holds is kept, the later first.
 */
function mergedClass(later: ClassInfo, earlier: ClassInfo): ClassInfo {
  const union = <K, V>(first: Map<K, V>, second: Map<K, V>) => new Map([...second, ...first]);
  return {
    ...later,
    bases: [...new Set([...later.bases, ...earlier.bases])],
    attributes: union(later.attributes, earlier.attributes),
    attributeValues: union(later.attributeValues, earlier.attributeValues),
    instanceTypes: union(later.instanceTypes, earlier.instanceTypes),
    selfAssigned: new Set([...later.selfAssigned, ...earlier.selfAssigned]),
    methods: union(later.methods, earlier.methods),
  };
}

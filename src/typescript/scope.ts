import type * as ts from 'typescript';
import type { ImportFact, Range } from '../core/facts';
import { dottedParts, isStatic, rangeOf, stringValue, unwrap, type SyntaxContext } from './syntax';

/** A name bound at module level. */
export interface ModuleBinding {
  name: string;
  kind: 'variable' | 'import' | 'function' | 'class';
  range: Range;
  /** For variables: `object`, `array`, `number`, `string`, or what a call or `new` makes: `pg.Pool()`, `Map()`. */
  valueType?: string;
  /** The expression first assigned, for variables. */
  value?: ts.Expression;
  /** A `const` bound to `true` or `false`: a test of it always has this outcome. */
  fixedTruth?: boolean;
}

export interface ClassInfo {
  name: string;
  node: ts.ClassLikeDeclaration;
  /** Qualified `extends` target. */
  bases: string[];
  /** Qualified decorator callees: `@nestjs/common.Injectable`. */
  decorators: string[];
  /** Static fields, by name: class-level state. */
  staticFields: Map<string, Range>;
  /** Instance fields declared in the class body or as constructor parameter properties. */
  fields: Map<string, Range>;
  /** What instance fields hold, from their annotations, initialisers and constructor assignments. */
  instanceTypes: Map<string, string>;
  methods: Map<string, ts.Node>;
}

/** How a function body's own names shadow the module's. */
export interface LocalBindings {
  /** Whether the function (or one around it) binds the name: it then hides the module's. */
  binds(name: string): boolean;
  /** A local's type, when known: `pg.Pool()` for `const pool = new Pool()` or `pool: Pool`. */
  typeOf(name: string): string | undefined;
  /** What `this` is an instance of, in a method of the module's own class: `src/repo.Repo()`. */
  thisType?: string;
}

const NO_LOCALS: LocalBindings = { binds: () => false, typeOf: () => undefined };

/**
 * Globals a Node program can call without importing them, qualified by their own name
 * (`Atomics.wait`, `fetch`, `setTimeout`) unless the module binds the name itself.
 */
const GLOBALS = new Set([
  'Atomics', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'clearTimeout', 'clearInterval',
  'process', 'Promise', 'JSON', 'Math', 'structuredClone', 'require', 'crypto', 'Buffer', 'Date', 'Map', 'Set',
  'WeakMap', 'WeakSet', 'Array', 'Object', 'Error', 'console', 'globalThis', 'URL', 'AbortController', 'Response',
  'Request', 'Headers', 'TextEncoder', 'TextDecoder', 'Number', 'String', 'Symbol', 'BigInt', 'RegExp',
]);

/** Types of the values some global constructors make, by the qualified constructor. */
const CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);

/** A type that names an instance (`pg.Pool()`) or something reached from one (`pg.Pool().options`). */
export function isInstanceType(type: string): boolean {
  return type.includes('()');
}

/**
 * What a TypeScript or JavaScript module binds at top level and what those names hold: imports
 * (ES modules and `require`), variables with a coarse type, functions, classes with their fields
 * and decorators, and the classes that have a single module-level instance.
 */
export class ModuleScope {
  /** Local name → qualified target: `readFileSync` → `fs.readFileSync`, `db` → `src/db.db`. */
  readonly imports = new Map<string, string>();
  readonly importFacts: ImportFact[] = [];
  readonly bindings = new Map<string, ModuleBinding>();
  readonly classes = new Map<string, ClassInfo>();
  /** Classes with one module-level instance: class name → instance name. */
  readonly singletons = new Map<string, string>();
  /** What the module's default export names, qualified, when it is a name. */
  defaultExport?: string;
  /** The module's class that CommonJS exports as the module itself (`module.exports = Monitor`). */
  commonJsClass?: string;
  /** Packages (npm or Node's own) the module imports, as imports qualify them: `lodash`, `fs`. */
  private readonly packages = new Set<string>();

  constructor(
    readonly context: SyntaxContext,
    readonly moduleName: string,
    /** The module a specifier names: a project module name, or the package as written. */
    private readonly resolveModule: (specifier: string) => string | undefined,
  ) {
    const statements = context.sourceFile.statements;
    // Imports first, then declarations, then variables, so that `const orders = new Orders()`
    // is typed by the class declared below it.
    for (const statement of statements) this.collectImports(statement);
    for (const statement of statements) this.collectDeclaration(statement);
    for (const statement of statements) this.collectVariables(statement);
    for (const statement of statements) this.collectDefaultExport(statement);
    for (const [name, binding] of this.bindings) {
      const type = binding.valueType;
      const prefix = `${moduleName}.`;
      if (binding.kind !== 'variable' || !type?.startsWith(prefix) || !type.endsWith('()')) continue;
      const className = type.slice(prefix.length, -2);
      if (this.classes.has(className) && !this.singletons.has(className)) this.singletons.set(className, name);
    }
  }

  private get ts() {
    return this.context.ts;
  }

  /** The module a specifier names, noting the packages: a bare specifier no project file answers. */
  private resolveSpecifier(specifier: string): string | undefined {
    const module = this.resolveModule(specifier);
    if (module !== undefined && !/^[./]/.test(specifier) && module === specifier.replace(/^node:/, '')) this.packages.add(module);
    return module;
  }

  /** Whether a module-level name is imported from a package (`_` of lodash): a library, not the application's state. */
  importsPackage(name: string): boolean {
    const target = this.imports.get(name);
    if (target === undefined) return false;
    for (const module of this.packages) if (target === module || target.startsWith(`${module}.`)) return true;
    return false;
  }

  // ---------------------------------------------------------------- imports

  private bindImport(local: string, target: string, node: ts.Node, statement: ts.Node): void {
    this.imports.set(local, target);
    this.importFacts.push({ local, target, range: rangeOf(this.context, statement) });
    this.bindings.set(local, { name: local, kind: 'import', range: rangeOf(this.context, node) });
  }

  /**
   * A package's default export is the package itself (CommonJS interop: `import express from
   * 'express'` is `require('express')`); a project module's is its `default` member.
   */
  private defaultTarget(module: string, specifier: string): string {
    return specifier.startsWith('.') || module !== specifier.replace(/^node:/, '') ? `${module}.default` : module;
  }

  private collectImports(statement: ts.Statement): void {
    const { ts: api } = this;
    if (api.isImportDeclaration(statement) && api.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const module = this.resolveSpecifier(specifier);
      const clause = statement.importClause;
      if (!module || !clause) return;
      if (clause.name) this.bindImport(clause.name.text, this.defaultTarget(module, specifier), clause.name, statement);
      const named = clause.namedBindings;
      if (named && api.isNamespaceImport(named)) this.bindImport(named.name.text, module, named.name, statement);
      if (named && api.isNamedImports(named)) {
        for (const element of named.elements) {
          const imported = (element.propertyName ?? element.name).text;
          const target = imported === 'default' ? this.defaultTarget(module, specifier) : `${module}.${imported}`;
          this.bindImport(element.name.text, target, element.name, statement);
        }
      }
      return;
    }
    if (api.isImportEqualsDeclaration(statement) && api.isExternalModuleReference(statement.moduleReference)) {
      const specifier = stringValue(this.context, statement.moduleReference.expression);
      const module = specifier === undefined ? undefined : this.resolveSpecifier(specifier);
      if (module) this.bindImport(statement.name.text, module, statement.name, statement);
      return;
    }
    if (api.isExportDeclaration(statement) && statement.moduleSpecifier && api.isStringLiteral(statement.moduleSpecifier)) {
      // `export { send } from './mail'` re-exports: a call through this module reaches the other.
      const module = this.resolveSpecifier(statement.moduleSpecifier.text);
      const clause = statement.exportClause;
      if (!module || !clause || !api.isNamedExports(clause)) return;
      for (const element of clause.elements) {
        const target = `${module}.${(element.propertyName ?? element.name).text}`;
        this.imports.set(element.name.text, target);
        this.importFacts.push({ local: element.name.text, target, range: rangeOf(this.context, statement) });
      }
      return;
    }
    if (api.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) this.collectRequire(declaration, statement);
    }
  }

  /** `const fs = require('fs')`, `const { join } = require('path')`, `const Pool = require('pg').Pool`. */
  private collectRequire(declaration: ts.VariableDeclaration, statement: ts.Statement): void {
    const { ts: api } = this;
    if (!declaration.initializer) return;
    const required = this.requiredModule(declaration.initializer);
    if (!required) return;
    if (api.isIdentifier(declaration.name)) {
      this.bindImport(declaration.name.text, required, declaration.name, statement);
      return;
    }
    if (!api.isObjectBindingPattern(declaration.name)) return;
    for (const element of declaration.name.elements) {
      if (!api.isIdentifier(element.name) || element.dotDotDotToken) continue;
      const property = element.propertyName && api.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
      this.bindImport(element.name.text, `${required}.${property}`, element.name, statement);
    }
  }

  /** The qualified module (or member) a `require(...)` expression evaluates to. */
  requiredModule(expression: ts.Expression): string | undefined {
    const { ts: api } = this;
    const node = unwrap(this.context, expression);
    if (api.isCallExpression(node) && api.isIdentifier(node.expression) && node.expression.text === 'require') {
      const specifier = stringValue(this.context, node.arguments[0]);
      return specifier === undefined ? undefined : this.resolveSpecifier(specifier);
    }
    if (api.isPropertyAccessExpression(node) && api.isIdentifier(node.name)) {
      const base = this.requiredModule(node.expression);
      return base && `${base}.${node.name.text}`;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- declarations

  private collectDeclaration(statement: ts.Statement): void {
    const { ts: api } = this;
    if (api.isFunctionDeclaration(statement) && statement.name) {
      this.bindings.set(statement.name.text, { name: statement.name.text, kind: 'function', range: rangeOf(this.context, statement.name) });
    } else if (api.isClassDeclaration(statement) && statement.name) {
      this.bindings.set(statement.name.text, { name: statement.name.text, kind: 'class', range: rangeOf(this.context, statement.name) });
      this.classes.set(statement.name.text, this.collectClass(statement, statement.name.text));
    } else if (api.isEnumDeclaration(statement) || api.isModuleDeclaration(statement)) {
      // Enums and namespaces are not state anyone mutates per request.
      if (api.isIdentifier(statement.name)) {
        this.bindings.set(statement.name.text, { name: statement.name.text, kind: 'class', range: rangeOf(this.context, statement.name) });
      }
    }
  }

  private collectVariables(statement: ts.Statement): void {
    const { ts: api } = this;
    if (!api.isVariableStatement(statement)) return;
    for (const declaration of statement.declarationList.declarations) {
      const initializer = declaration.initializer && unwrap(this.context, declaration.initializer);
      if (initializer && this.requiredModule(initializer)) continue;
      if (api.isIdentifier(declaration.name)) {
        const name = declaration.name.text;
        if (initializer && (api.isArrowFunction(initializer) || api.isFunctionExpression(initializer))) {
          this.bindings.set(name, { name, kind: 'function', range: rangeOf(this.context, declaration.name) });
          continue;
        }
        if (initializer && api.isClassExpression(initializer)) {
          this.bindings.set(name, { name, kind: 'class', range: rangeOf(this.context, declaration.name) });
          this.classes.set(name, this.collectClass(initializer, name));
          continue;
        }
        const declared = declaration.type ? this.typeNodeName(declaration.type) : undefined;
        const constant = (statement.declarationList.flags & api.NodeFlags.Const) !== 0;
        const literal = initializer?.kind === api.SyntaxKind.TrueKeyword ? true : initializer?.kind === api.SyntaxKind.FalseKeyword ? false : undefined;
        this.bindings.set(name, {
          name,
          kind: 'variable',
          range: rangeOf(this.context, declaration.name),
          valueType: declared ?? (initializer ? this.typeOf(initializer) : undefined),
          value: initializer,
          ...(constant && literal !== undefined && { fixedTruth: literal }),
        });
        continue;
      }
      for (const identifier of bindingNames(this.context, declaration.name)) {
        this.bindings.set(identifier.text, { name: identifier.text, kind: 'variable', range: rangeOf(this.context, identifier) });
      }
    }
  }

  private collectDefaultExport(statement: ts.Statement): void {
    const { ts: api } = this;
    // `module.exports = Monitor`: a `require` of the module is the class, and `Monitor.sendStats()` its static.
    const assigned = api.isExpressionStatement(statement) && api.isBinaryExpression(statement.expression) ? statement.expression : undefined;
    const target = assigned?.operatorToken.kind === api.SyntaxKind.EqualsToken ? assigned.left : undefined;
    if (assigned && target && api.isPropertyAccessExpression(target) && api.isIdentifier(target.expression) && target.expression.text === 'module' && target.name.text === 'exports') {
      const value = unwrap(this.context, assigned.right);
      if (api.isIdentifier(value) && this.classes.has(value.text)) this.commonJsClass = value.text;
      return;
    }
    if (api.isExportAssignment(statement) && !statement.isExportEquals) {
      const expression = unwrap(this.context, statement.expression);
      if (api.isIdentifier(expression)) this.defaultExport = this.qualifyName(expression.text);
      return;
    }
    const exportsDefault =
      (api.isFunctionDeclaration(statement) || api.isClassDeclaration(statement)) &&
      (api.getModifiers(statement) ?? []).some((modifier) => modifier.kind === api.SyntaxKind.DefaultKeyword);
    if (exportsDefault && statement.name) this.defaultExport = `${this.moduleName}.${statement.name.text}`;
  }

  collectClass(node: ts.ClassLikeDeclaration, name: string): ClassInfo {
    const { ts: api } = this;
    const info: ClassInfo = {
      name,
      node,
      bases: [],
      decorators: [],
      staticFields: new Map(),
      fields: new Map(),
      instanceTypes: new Map(),
      methods: new Map(),
    };
    for (const clause of node.heritageClauses ?? []) {
      if (clause.token !== api.SyntaxKind.ExtendsKeyword) continue;
      for (const type of clause.types) {
        const base = this.qualify(type.expression);
        if (base) info.bases.push(base);
      }
    }
    info.decorators = this.decoratorNames(node);
    for (const member of node.members) {
      const memberName = member.name && (api.isIdentifier(member.name) || api.isPrivateIdentifier(member.name)) ? member.name.text : undefined;
      if (!memberName) {
        if (api.isConstructorDeclaration(member)) this.collectConstructor(member, info);
        continue;
      }
      if (api.isPropertyDeclaration(member)) {
        const value = member.initializer && unwrap(this.context, member.initializer);
        if (value && (api.isArrowFunction(value) || api.isFunctionExpression(value))) {
          info.methods.set(memberName, value);
          continue;
        }
        if (isStatic(this.context, member)) {
          info.staticFields.set(memberName, rangeOf(this.context, member.name));
          continue;
        }
        info.fields.set(memberName, rangeOf(this.context, member.name));
        const type = member.type ? this.typeNodeName(member.type) : value ? this.typeOf(value) : undefined;
        if (type) info.instanceTypes.set(memberName, type);
      } else if (api.isMethodDeclaration(member) || api.isGetAccessorDeclaration(member) || api.isSetAccessorDeclaration(member)) {
        if (!info.methods.has(memberName)) info.methods.set(memberName, member);
      }
    }
    return info;
  }

  /** Parameter properties (`constructor(private readonly pool: Pool)`) and `this.x = …` assignments. */
  private collectConstructor(constructor: ts.ConstructorDeclaration, info: ClassInfo): void {
    const { ts: api } = this;
    const parameterTypes = new Map<string, string>();
    for (const parameter of constructor.parameters) {
      if (!api.isIdentifier(parameter.name)) continue;
      const type = parameter.type ? this.typeNodeName(parameter.type) : undefined;
      if (type) parameterTypes.set(parameter.name.text, type);
      const isProperty = (api.getModifiers(parameter) ?? []).some((modifier) =>
        [api.SyntaxKind.PrivateKeyword, api.SyntaxKind.PublicKeyword, api.SyntaxKind.ProtectedKeyword, api.SyntaxKind.ReadonlyKeyword].includes(modifier.kind),
      );
      if (!isProperty) continue;
      info.fields.set(parameter.name.text, rangeOf(this.context, parameter.name));
      if (type) info.instanceTypes.set(parameter.name.text, type);
    }
    for (const statement of constructor.body?.statements ?? []) {
      if (!api.isExpressionStatement(statement)) continue;
      const expression = statement.expression;
      if (!api.isBinaryExpression(expression) || expression.operatorToken.kind !== api.SyntaxKind.EqualsToken) continue;
      const parts = dottedParts(this.context, expression.left);
      if (parts?.length !== 2 || parts[0] !== 'this') continue;
      const field = parts[1]!;
      if (!info.fields.has(field)) info.fields.set(field, rangeOf(this.context, expression.left));
      const type = this.typeOf(expression.right, { binds: (name) => parameterTypes.has(name), typeOf: (name) => parameterTypes.get(name) });
      if (type && !info.instanceTypes.has(field)) info.instanceTypes.set(field, type);
    }
  }

  /** Qualified decorator callees of a class, method or parameter: `@Injectable()` → `@nestjs/common.Injectable`. */
  decoratorNames(node: ts.Node): string[] {
    const { ts: api } = this;
    if (!api.canHaveDecorators(node)) return [];
    return (api.getDecorators(node) ?? []).flatMap((decorator) => {
      const expression = unwrap(this.context, decorator.expression);
      const callee = api.isCallExpression(expression) ? expression.expression : expression;
      const name = this.qualify(callee);
      return name ? [name] : [];
    });
  }

  // ---------------------------------------------------------------- names and types

  /**
   * The qualified name a dotted expression refers to, through imports and module-level
   * definitions: `readFileSync` → `fs.readFileSync`, `fs.promises.readFile` →
   * `fs.promises.readFile`, `helper` → `src/services.helper`. Undefined for locals and anything
   * that is not a dotted path of names.
   */
  qualify(node: ts.Expression, locals: LocalBindings = NO_LOCALS): string | undefined {
    const parts = dottedParts(this.context, node);
    if (!parts || parts[0] === 'this') return undefined;
    const [head, ...rest] = parts;
    if (locals.binds(head!)) return undefined;
    const target = this.qualifyName(head!);
    return target === undefined ? undefined : [target, ...rest].join('.');
  }

  qualifyName(name: string): string | undefined {
    const imported = this.imports.get(name);
    if (imported !== undefined) return imported;
    const binding = this.bindings.get(name);
    if (binding?.kind === 'function' || binding?.kind === 'class') return `${this.moduleName}.${name}`;
    if (!binding && GLOBALS.has(name)) return name;
    return undefined;
  }

  /** The qualified name a type reference names: `Request` → `express.Request`. */
  qualifyEntityName(name: ts.EntityName): string | undefined {
    const text = entityNameText(this.context, name);
    if (!text) return undefined;
    const [head, ...rest] = text.split('.');
    const target = this.qualifyName(head!);
    return target === undefined ? undefined : [target, ...rest].join('.');
  }

  /** The qualified class a type annotation names: `Pool` → `pg.Pool()`, `Promise<Pool>` and `Pool | null` → `pg.Pool()`. */
  typeNodeName(type: ts.TypeNode): string | undefined {
    const { ts: api } = this;
    let node: ts.TypeNode = type;
    for (let depth = 0; depth < 4; depth++) {
      if (api.isParenthesizedTypeNode(node)) node = node.type;
      else if (api.isUnionTypeNode(node)) {
        const concrete = node.types.filter((member) => member.kind !== api.SyntaxKind.NullKeyword && member.kind !== api.SyntaxKind.UndefinedKeyword && !api.isLiteralTypeNode(member));
        if (concrete.length !== 1) return undefined;
        node = concrete[0]!;
      } else if (api.isTypeReferenceNode(node)) {
        const name = entityNameText(this.context, node.typeName);
        if (name === 'Promise' && node.typeArguments?.length === 1) {
          node = node.typeArguments[0]!;
          continue;
        }
        const qualified = this.qualifyEntityName(node.typeName);
        return qualified === undefined ? undefined : `${qualified}()`;
      } else return undefined;
    }
    return undefined;
  }

  /**
   * A coarse type for an expression's value: `object`, `array`, `number`, `string`, `boolean`,
   * or, for a call or `new`, the qualified callee followed by `()` (`pg.Pool()`, `Map()`); a
   * property or element of such a value extends it (`ioredis().status`, `…()[]`), except where
   * the module's own class declares the field's type. `await f()` is typed as `f()`: the value
   * the call produces.
   */
  typeOf(node: ts.Expression, locals: LocalBindings = NO_LOCALS): string | undefined {
    const { ts: api } = this;
    const expression = unwrap(this.context, node);
    if (api.isObjectLiteralExpression(expression)) return 'object';
    if (api.isArrayLiteralExpression(expression)) return 'array';
    if (api.isNumericLiteral(expression) || api.isBigIntLiteral(expression)) return 'number';
    if (api.isStringLiteralLike(expression) || api.isTemplateExpression(expression)) return 'string';
    if (expression.kind === api.SyntaxKind.TrueKeyword || expression.kind === api.SyntaxKind.FalseKeyword) return 'boolean';
    if (api.isAwaitExpression(expression)) return this.typeOf(expression.expression, locals);
    if (expression.kind === api.SyntaxKind.ThisKeyword) return locals.thisType;
    if (api.isIdentifier(expression)) {
      if (locals.binds(expression.text)) return locals.typeOf(expression.text);
      return this.bindings.get(expression.text)?.valueType;
    }
    if (api.isPropertyAccessExpression(expression)) {
      const objectType = this.typeOf(expression.expression, locals);
      return objectType && isInstanceType(objectType) ? this.memberType(objectType, expression.name.text) : undefined;
    }
    if (api.isElementAccessExpression(expression)) {
      const objectType = this.typeOf(expression.expression, locals);
      return objectType && isInstanceType(objectType) ? `${objectType}[]` : undefined;
    }
    if (api.isNewExpression(expression)) {
      const qualified = this.qualify(expression.expression, locals);
      return qualified ? `${qualified}()` : undefined;
    }
    if (api.isCallExpression(expression)) {
      const qualified = this.calleeName(expression.expression, locals);
      return qualified ? `${qualified}()` : undefined;
    }
    return undefined;
  }

  /**
   * The qualified name of a called expression: a function (`fs.readFileSync`), a constructor
   * (`pg.Pool`) or a method on a value of known type (`pg.Pool().query`).
   */
  calleeName(callee: ts.Expression, locals: LocalBindings = NO_LOCALS): string | undefined {
    const { ts: api } = this;
    const expression = unwrap(this.context, callee);
    if (api.isPropertyAccessExpression(expression) || api.isElementAccessExpression(expression)) {
      const member = api.isPropertyAccessExpression(expression) ? expression.name.text : stringValue(this.context, expression.argumentExpression);
      if (member === undefined) return undefined;
      const type = this.typeOf(expression.expression, locals);
      if (type && (isInstanceType(type) || type.includes('.') || CONTAINERS.has(type))) return `${type}.${member}`;
      // A method of a module-level object literal: `passwords.hash` of `const passwords = { hash() {} }`.
      const object = unwrap(this.context, expression.expression);
      if (type === 'object' && api.isIdentifier(object) && !locals.binds(object.text)) return `${this.moduleName}.${object.text}.${member}`;
    }
    if (api.isIdentifier(expression) && locals.binds(expression.text)) return undefined;
    return this.qualify(expression, locals);
  }

  /** The type of `member` read from a value of `type`. */
  memberType(type: string, member: string): string {
    const prefix = `${this.moduleName}.`;
    const ownClass = type.startsWith(prefix) && type.endsWith('()') ? type.slice(prefix.length, -2) : undefined;
    const declared = ownClass ? this.classes.get(ownClass)?.instanceTypes.get(member) : undefined;
    return declared ?? `${type}.${member}`;
  }
}

/** `Express.Request` for a qualified type name, `Pool` for a plain one. */
function entityNameText(context: SyntaxContext, name: ts.EntityName): string | undefined {
  const { ts: api } = context;
  if (api.isIdentifier(name)) return name.text;
  const left = entityNameText(context, name.left);
  return left && `${left}.${name.right.text}`;
}

/** Every name a binding pattern binds: `{ a, b: [c, ...d] }` → a, c, d. */
export function bindingNames(context: SyntaxContext, name: ts.BindingName): ts.Identifier[] {
  const { ts: api } = context;
  if (api.isIdentifier(name)) return [name];
  const names: ts.Identifier[] = [];
  for (const element of name.elements) {
    if (api.isBindingElement(element)) names.push(...bindingNames(context, element.name));
  }
  return names;
}

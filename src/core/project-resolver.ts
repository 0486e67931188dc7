import type { ModuleFacts } from './facts';

/**
 * Resolves the qualified names frontends give calls — `app.mail.send_mail`,
 * `app.mail.Mailer().send`, `app.routes.Ctrl().service.repo.get_user().check_password` — to the
 * project's own functions, across modules: through re-exports, module-level instances, class
 * bases, attribute types (`self.repo = UserRepo()`, `repo: UserRepo`), properties and return
 * annotations (`async def get_user(...) -> UserInDB`). What it cannot follow it leaves unresolved
 * rather than guess.
 */

/** What the resolver needs to know of one module; both the context model and IL202 provide it. */
export interface ResolvableModule<F> {
  moduleName: string;
  /** Top-level functions and methods by their qualified name in the module: `send_mail`, `Mailer.send`. */
  functions: ReadonlyMap<string, F>;
  /** Names the module imports: `send_mail` → `app.services.mailer.send_mail`. */
  imports: Readonly<Record<string, string>>;
  /** Modules it imports every name of (`from .security import *`). */
  starImports?: readonly string[];
  /** Module-level names bound to instances: `mailer` → `app.mail.Mailer()`. */
  instances: Readonly<Record<string, string>>;
  /** Classes by name: their qualified bases, and the types of their instances' attributes. */
  classes: Readonly<Record<string, { bases: readonly string[]; attributes?: Readonly<Record<string, string>> }>>;
}

/**
 * A module's classes by name as summaries hand them to the resolver: those it defines, and names
 * it binds to a class made from others (`Base = declarative_base(cls=ModelBase)`).
 */
export function resolvableClasses(module: ModuleFacts): Record<string, { bases: string[]; attributes?: Record<string, string> }> {
  const classes: Record<string, { bases: string[]; attributes?: Record<string, string> }> = {};
  for (const info of module.classes) classes[info.name] = { bases: info.bases, ...(info.attributeTypes && { attributes: info.attributeTypes }) };
  for (const alias of module.classAliases ?? []) classes[alias.name] ??= { bases: alias.bases };
  return classes;
}

/** What the resolver needs to know of one function. */
export interface ResolvableFunction {
  /** The qualified class (or other type) its return annotation names. */
  returns?: string;
  /** A `@property` / `@cached_property`: reading the attribute runs it. */
  property?: boolean;
}

export interface Resolved<F> {
  moduleName: string;
  /** The function's qualified name in its module. */
  name: string;
  fn: F;
}

/** A value the walk has reached: a module, a class, an instance of a class, or a function. */
type Value<F> =
  | { kind: 'module'; moduleName: string }
  | { kind: 'class'; moduleName: string; name: string }
  | { kind: 'instance'; moduleName: string; name: string }
  | { kind: 'function'; resolved: Resolved<F> };

/** Aliases, bases and types followed per lookup: enough for real code, bounded on cycles. */
const MAX_HOPS = 8;

export class ProjectResolver<F extends ResolvableFunction> {
  constructor(private readonly module: (moduleName: string) => ResolvableModule<F> | undefined) {}

  /** The project function a callee names, if any. */
  resolve(callee: string): Resolved<F> | undefined {
    const value = this.walk(callee, 0);
    if (value?.kind === 'function') return value.resolved;
    // Calling a class runs its constructor.
    if (value?.kind === 'class') return this.method(value.moduleName, value.name, ['__init__', 'constructor'], 0);
    return undefined;
  }

  /** The project class a qualified name refers to (through re-exports), if any. */
  resolveClass(path: string): { moduleName: string; name: string } | undefined {
    const value = this.walk(path, 0);
    return value?.kind === 'class' ? { moduleName: value.moduleName, name: value.name } : undefined;
  }

  /**
   * The library call a callee makes through the project: a re-export (`app.utils.sleep` where
   * `app.utils` imports `time.sleep`) or a module-level instance of a library type (`app.clients.http.get`
   * where `http = requests.Session()`, with the instance named). Undefined when the callee is the
   * project's own or not about the project at all.
   */
  libraryCallee(callee: string, hops = 0): { callee: string; instance?: { moduleName: string; name: string } } | undefined {
    const tokens = splitPath(callee);
    if (!tokens || hops > MAX_HOPS) return undefined;
    for (const { moduleName, module, split } of this.modulePrefixes(tokens)) {
      const [member, ...rest] = tokens.slice(split) as [Token, ...Token[]];
      const tail = (first: string) => [first + (member.called ? '()' : ''), ...rest.map(joinToken)].join('.');
      // A project function's result used as a library object: `new_session().query()` where
      // `def new_session() -> Session` — the call on it is the library's.
      const returns = module.functions.get(member.name)?.returns;
      if (returns && member.called && rest.length > 0 && !this.walk(returns, hops + 1)) return { callee: tail(returns) };
      // An attribute of a project class's instance that holds a library object, set in the class or
      // a base: `Repo().session.execute` where `RepositoryGeneric.__init__` sets `self.session: Session`.
      const [attribute, ...afterAttribute] = rest;
      if (module.classes[member.name] && member.called && attribute && !attribute.called && afterAttribute.length > 0) {
        const type = this.attributeType(moduleName, member.name, attribute.name, hops + 1);
        if (type && !this.typeOf(type, hops)) return { callee: [type, ...afterAttribute.map(joinToken)].join('.') };
      }
      if (module.functions.has(member.name) || module.classes[member.name]) return undefined;
      const imported = module.imports[member.name];
      if (imported) {
        const path = tail(imported);
        return this.walk(imported, hops + 1) || this.module(imported) ? this.libraryCallee(path, hops + 1) : { callee: path };
      }
      const instance = module.instances[member.name];
      if (instance) return this.typeOf(instance, hops) ? undefined : { callee: tail(this.libraryTypeMade(instance, hops) ?? instance), instance: { moduleName, name: member.name } };
      for (const star of module.starImports ?? []) {
        const found = this.module(star) ? this.libraryCallee([star, ...tokens.slice(split).map(joinToken)].join('.'), hops + 1) : undefined;
        if (found) return found;
      }
      return undefined;
    }
    return undefined;
  }

  /**
   * The library type an instance has when a project function made it: `celery_app =
   * make_celery()` where `def make_celery() -> Celery` holds a `celery.Celery()`.
   */
  private libraryTypeMade(instance: string, hops: number): string | undefined {
    if (!instance.endsWith('()')) return undefined;
    const maker = this.walk(instance.slice(0, -2), hops + 1);
    const returns = maker?.kind === 'function' ? maker.resolved.fn.returns : undefined;
    return returns && !this.walk(returns, hops + 1) ? `${returns}()` : undefined;
  }

  /**
   * The project modules a dotted path can start with, longest first (`app.clients.http.get` →
   * `app.clients`, then `app`), with where the rest of the path begins. A called token
   * (`make()`) ends what can be a module name.
   */
  private *modulePrefixes(tokens: readonly Token[]): Generator<{ moduleName: string; module: ResolvableModule<F>; split: number }> {
    for (let split = tokens.length - 1; split >= 1; split--) {
      const head = tokens.slice(0, split);
      if (head.some((token) => token.called)) continue;
      const moduleName = head.map((token) => token.name).join('.');
      const module = this.module(moduleName);
      if (module) yield { moduleName, module, split };
    }
  }

  /** The class an expression's type names, when it is one of the project's. */
  private walk(path: string, hops: number): Value<F> | undefined {
    if (hops > MAX_HOPS) return undefined;
    const tokens = splitPath(path);
    if (!tokens) return undefined;
    for (const { moduleName, module, split } of this.modulePrefixes(tokens)) {
      const rest = tokens.slice(split);
      // A method of an object literal or a nested namespace, named whole: `passwords.hash`.
      const whole = rest.length > 1 && !rest.slice(0, -1).some((token) => token.called) ? module.functions.get(rest.map((token) => token.name).join('.')) : undefined;
      if (whole) {
        const resolved: Value<F> = { kind: 'function', resolved: { moduleName, name: rest.map((token) => token.name).join('.'), fn: whole } };
        return rest[rest.length - 1]!.called ? this.typeOf(whole.returns, hops) : resolved;
      }
      let value: Value<F> | undefined = { kind: 'module', moduleName };
      for (const token of rest) {
        value = this.step(value, token, hops);
        if (!value) return undefined;
      }
      return value;
    }
    return undefined;
  }

  private step(value: Value<F>, token: Token, hops: number): Value<F> | undefined {
    const next = this.member(value, token.name, hops);
    if (!next || !token.called) return next;
    switch (next.kind) {
      case 'class':
        return { kind: 'instance', moduleName: next.moduleName, name: next.name };
      case 'function':
        return this.typeOf(next.resolved.fn.returns, hops);
      default:
        return undefined;
    }
  }

  private member(value: Value<F>, name: string, hops: number): Value<F> | undefined {
    switch (value.kind) {
      case 'module':
        return this.moduleMember(value.moduleName, name, hops);
      case 'class':
      case 'instance': {
        const method = this.method(value.moduleName, value.name, [name], hops);
        if (method) return method.fn.property && value.kind === 'instance' ? this.typeOf(method.fn.returns, hops) : { kind: 'function', resolved: method };
        const attribute = value.kind === 'instance' ? this.attributeType(value.moduleName, value.name, name, hops) : undefined;
        return attribute ? this.typeOf(attribute, hops) : undefined;
      }
      case 'function':
        return undefined;
    }
  }

  private moduleMember(moduleName: string, name: string, hops: number): Value<F> | undefined {
    const module = this.module(moduleName)!;
    const fn = module.functions.get(name);
    if (fn) return { kind: 'function', resolved: { moduleName, name, fn } };
    if (module.classes[name]) return { kind: 'class', moduleName, name };
    const imported = module.imports[name];
    if (imported) return this.walk(imported, hops + 1) ?? (this.module(imported) ? { kind: 'module', moduleName: imported } : undefined);
    const instance = module.instances[name];
    if (instance) return this.typeOf(instance, hops);
    if (hops > MAX_HOPS) return undefined;
    for (const star of module.starImports ?? []) {
      if (this.module(star)) {
        const found = this.moduleMember(star, name, hops + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** A method of a class or of one of its bases, first found. */
  private method(moduleName: string, className: string, names: readonly string[], hops: number): Resolved<F> | undefined {
    if (hops > MAX_HOPS) return undefined;
    const module = this.module(moduleName);
    for (const name of names) {
      const fn = module?.functions.get(`${className}.${name}`);
      if (fn) return { moduleName, name: `${className}.${name}`, fn };
    }
    for (const base of module?.classes[className]?.bases ?? []) {
      const value = this.walk(base, hops + 1);
      if (value?.kind === 'class') {
        const inherited = this.method(value.moduleName, value.name, names, hops + 1);
        if (inherited) return inherited;
      }
    }
    return undefined;
  }

  private attributeType(moduleName: string, className: string, name: string, hops: number): string | undefined {
    if (hops > MAX_HOPS) return undefined;
    const info = this.module(moduleName)?.classes[className];
    const own = info?.attributes?.[name];
    if (own) return own;
    for (const base of info?.bases ?? []) {
      const value = this.walk(base, hops + 1);
      const inherited = value?.kind === 'class' ? this.attributeType(value.moduleName, value.name, name, hops + 1) : undefined;
      if (inherited) return inherited;
    }
    return undefined;
  }

  /** An instance of the class a type names: `app.models.User`, `app.models.User()`. */
  private typeOf(type: string | undefined, hops: number): Value<F> | undefined {
    if (!type) return undefined;
    // `app.Mailer()` is an instance of the class; `app.make_mailer()` what the function returns.
    const value = this.walk(type, hops + 1);
    if (value?.kind === 'class') return { kind: 'instance', moduleName: value.moduleName, name: value.name };
    return value?.kind === 'instance' ? value : undefined;
  }
}

interface Token {
  name: string;
  called: boolean;
}

function joinToken(token: Token): string {
  return token.called ? `${token.name}()` : token.name;
}

/**
 * `a.b.C().d` → a, b, C(), d; undefined for what is not a dotted path of names and calls. A name
 * may hold slashes and dashes: JavaScript modules are named by their path (`src/api-keys.service`).
 */
function splitPath(path: string): Token[] | undefined {
  const tokens: Token[] = [];
  for (const part of path.split('.')) {
    const match = /^([^.()\s]+)((?:\(\))*)$/.exec(part);
    if (!match) return undefined;
    tokens.push({ name: match[1]!, called: match[2]!.length > 0 });
  }
  return tokens;
}

import type { Framework, FunctionKind } from '../core/facts';
import type { ModuleScope } from './scope';
import {
  callArguments,
  decoratorsOf,
  dottedParts,
  field,
  isAsyncDef,
  namedChildren,
  stringValue,
  unparenthesize,
  type Node,
} from './syntax';

export interface HandlerRole {
  kind: FunctionKind;
  framework: Framework;
  /** For HTTP routes: the methods served, upper case. */
  methods?: string[];
  /** For routes and websockets: the path as registered. */
  path?: string;
}

/** An application or router constructed and bound to a module-level name. */
export interface ApplicationSite {
  name: string;
  framework: Framework;
  call: Node;
  statement: Node;
  keywords: string[];
  router: boolean;
}

/** A startup/shutdown callback registered on an application, and the syntax that registers it. */
export interface LifecycleHookSite {
  event: 'startup' | 'shutdown';
  form: 'decorator' | 'registration-call' | 'constructor-argument';
  framework: Framework;
  application: string;
  site: Node;
  callback: Node;
  /** The callback's definition when this module defines it. */
  definition?: Node;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch', 'options', 'head', 'trace']);
const FASTAPI_ROUTE_DECORATORS = new Set([...HTTP_METHODS, 'api_route', 'route']);
const AIOHTTP_ROUTE_FUNCTIONS = new Set([...HTTP_METHODS, 'route', 'view']);
const AIOHTTP_ADD_ROUTE = /^add_(get|post|put|delete|patch|head|options|route|view)$/;

/** Application and router constructors, by qualified name. */
const APP_TYPES: ReadonlyMap<string, Framework> = new Map([
  ['fastapi.FastAPI', 'fastapi'],
  ['fastapi.APIRouter', 'fastapi'],
  ['fastapi.routing.APIRouter', 'fastapi'],
  ['starlette.applications.Starlette', 'starlette'],
  ['starlette.routing.Router', 'starlette'],
  ['aiohttp.web.Application', 'aiohttp'],
  ['aiohttp.web.RouteTableDef', 'aiohttp'],
  ['aiohttp.web_app.Application', 'aiohttp'],
  ['aiohttp.web.UrlDispatcher', 'aiohttp'],
]);

const CLASS_ENDPOINT_BASES: ReadonlyMap<string, { framework: Framework; kind: FunctionKind; methods: 'http' | 'websocket' }> =
  new Map([
    ['starlette.endpoints.HTTPEndpoint', { framework: 'starlette', kind: 'route', methods: 'http' }],
    ['starlette.endpoints.WebSocketEndpoint', { framework: 'starlette', kind: 'websocket', methods: 'websocket' }],
    ['aiohttp.web.View', { framework: 'aiohttp', kind: 'route', methods: 'http' }],
  ]);

function frameworkOfModule(qualified: string): Framework | undefined {
  if (qualified.startsWith('fastapi')) return 'fastapi';
  if (qualified.startsWith('starlette')) return 'starlette';
  if (qualified.startsWith('aiohttp')) return 'aiohttp';
  return undefined;
}

/**
 * Finds which functions of a module the web framework calls, and as what: route and websocket
 * handlers, dependencies, lifespans, startup/shutdown hooks and background tasks. Functions are
 * keyed by their definition node's start index.
 */
export class HandlerDetector {
  readonly roles = new Map<number, HandlerRole>();
  readonly frameworks = new Set<Framework>();
  /** Module-level names holding application objects: `app`, `router`, `routes`. */
  readonly appNames = new Map<string, Framework>();
  readonly applications: ApplicationSite[] = [];
  /** Callbacks registered with `on_event`, `add_event_handler` or `on_startup=`/`on_shutdown=`. */
  readonly hooks: LifecycleHookSite[] = [];
  private readonly functionsByName = new Map<string, Node>();
  private readonly defaultFramework: Framework | undefined;

  constructor(private readonly scope: ModuleScope) {
    for (const target of scope.imports.values()) {
      const framework = frameworkOfModule(target);
      if (framework) this.frameworks.add(framework);
    }
    this.defaultFramework = this.frameworks.has('fastapi')
      ? 'fastapi'
      : this.frameworks.has('starlette')
        ? 'starlette'
        : this.frameworks.has('aiohttp')
          ? 'aiohttp'
          : undefined;
    for (const [name, binding] of scope.bindings) {
      const type = binding.valueType?.replace(/\(\)$/, '');
      const framework = type ? APP_TYPES.get(type) : undefined;
      if (framework) this.appNames.set(name, framework);
    }
    for (const definition of scope.root.descendantsOfType('function_definition')) {
      const name = definition && field(definition, 'name');
      if (name && definition.parent && this.isModuleOrClassLevel(definition)) {
        if (!this.functionsByName.has(name.text)) this.functionsByName.set(name.text, definition);
      }
    }
    this.detect();
  }

  private isModuleOrClassLevel(definition: Node): boolean {
    for (let node = definition.parent; node; node = node.parent) {
      if (node.type === 'function_definition') return false;
    }
    return true;
  }

  role(definition: Node): HandlerRole | undefined {
    return this.roles.get(definition.startIndex);
  }

  private assign(definition: Node | undefined, kind: FunctionKind, framework: Framework | undefined, methods?: string[], path?: Node): void {
    if (!definition || !framework) return;
    const existing = this.roles.get(definition.startIndex);
    if (existing && kind === 'route' && existing.kind === 'route' && methods) {
      existing.methods = [...new Set([...(existing.methods ?? []), ...methods])];
      return;
    }
    // Route/websocket beats dependency beats the rest: a function may be both a route and called.
    const rank: Record<FunctionKind, number> = {
      route: 6, websocket: 6, lifespan: 5, startup: 4, shutdown: 4, dependency: 3, background: 2, plain: 0,
    };
    if (existing && rank[existing.kind] >= rank[kind]) return;
    const route = path ? stringValue(unparenthesize(path)) : undefined;
    this.roles.set(definition.startIndex, { kind, framework, methods: kind === 'route' ? methods : undefined, ...(route !== undefined && { path: route }) });
  }

  /**
   * The function an endpoint or dependency argument names, if it is defined in this module: a
   * function, or a module-level instance of a class whose `__call__` the framework calls.
   */
  private resolveFunction(node: Node | undefined): Node | undefined {
    if (!node) return undefined;
    const expr = unparenthesize(node);
    if (expr.type !== 'identifier') return undefined;
    const direct = this.functionsByName.get(expr.text);
    if (direct) return direct;
    const type = this.scope.bindings.get(expr.text)?.valueType;
    const prefix = `${this.scope.moduleName}.`;
    if (!type?.startsWith(prefix) || !type.endsWith('()')) return undefined;
    return this.scope.classes.get(type.slice(prefix.length, -2))?.methods.get('__call__');
  }

  /** `self.on_startup` written in a method: the method of the enclosing class it names. */
  private ownMethod(expr: Node): Node | undefined {
    if (expr.type !== 'attribute' || field(expr, 'object')?.text !== 'self') return undefined;
    let node: Node | null = expr.parent;
    while (node && node.type !== 'class_definition') node = node.parent;
    const className = node ? field(node, 'name')?.text : undefined;
    const name = field(expr, 'attribute')?.text;
    return className && name ? this.scope.classes.get(className)?.methods.get(name) : undefined;
  }

  /** `methods=["GET", "POST"]`, or the default when absent. */
  private methodsArgument(node: Node | undefined, fallback: string[]): string[] {
    if (!node) return fallback;
    const methods = this.listItems(node).flatMap((item) => {
      const value = stringValue(unparenthesize(item));
      return value ? [value.toUpperCase()] : [];
    });
    return methods.length > 0 ? methods : fallback;
  }

  private frameworkOfReceiver(receiver: Node | null): Framework | undefined {
    if (!receiver) return undefined;
    const parts = dottedParts(receiver);
    if (!parts) return undefined;
    const known = this.appNames.get(parts[0]!);
    if (known) return known;
    // `router` imported from a sibling module, or `app.router`: trust the module's framework.
    return this.defaultFramework;
  }

  private detect(): void {
    for (const definition of this.scope.root.descendantsOfType('function_definition')) {
      if (definition) this.detectDecorators(definition);
    }
    for (const call of this.scope.root.descendantsOfType('call')) {
      if (call) this.detectRegistration(call);
    }
    for (const info of this.scope.classes.values()) {
      for (const base of info.bases) {
        const endpoint = CLASS_ENDPOINT_BASES.get(base);
        if (!endpoint) continue;
        for (const [name, method] of info.methods) {
          const isHandler =
            endpoint.methods === 'http'
              ? HTTP_METHODS.has(name)
              : ['on_connect', 'on_receive', 'on_disconnect'].includes(name);
          if (isHandler) this.assign(method, endpoint.kind, endpoint.framework, endpoint.methods === 'http' ? [name.toUpperCase()] : undefined);
        }
      }
    }
    for (const definition of this.functionsByName.values()) {
      if (!this.roles.has(definition.startIndex) && this.hasDependencyParameters(definition)) {
        this.assign(definition, 'dependency', 'fastapi');
      }
    }
  }

  private detectDecorators(definition: Node): void {
    for (const decorator of decoratorsOf(definition)) {
      const expression = namedChildren(decorator)[0];
      if (!expression || expression.type !== 'call') continue;
      const callee = field(expression, 'function');
      if (!callee || callee.type !== 'attribute') continue;
      const method = field(callee, 'attribute')?.text ?? '';
      const receiver = field(callee, 'object');
      const framework = this.frameworkOfReceiver(receiver);
      const { positional } = callArguments(expression);
      const first = positional[0] ? unparenthesize(positional[0]) : undefined;
      if (method === 'on_event') {
        const event = first ? stringValue(first) : undefined;
        if (event === 'startup') this.assign(definition, 'startup', framework);
        if (event === 'shutdown') this.assign(definition, 'shutdown', framework);
        const name = field(definition, 'name');
        if ((event === 'startup' || event === 'shutdown') && framework && receiver && name) {
          this.hooks.push({ event, form: 'decorator', framework, application: receiver.text, site: decorator, callback: name, definition });
        }
        continue;
      }
      if (method === 'websocket' || method === 'websocket_route') {
        this.assign(definition, 'websocket', framework, undefined, first);
        continue;
      }
      if (method === 'middleware') continue;
      const isPath = first !== undefined && (first.type === 'string' || first.type === 'concatenated_string');
      const routeVerbs = framework === 'aiohttp' ? AIOHTTP_ROUTE_FUNCTIONS : FASTAPI_ROUTE_DECORATORS;
      if (routeVerbs.has(method) && (isPath || this.appNames.has(dottedParts(receiver!)?.[0] ?? ''))) {
        const { keywords } = callArguments(expression);
        const methods = HTTP_METHODS.has(method)
          ? [method.toUpperCase()]
          : framework === 'aiohttp' && method === 'route' && first
            ? this.methodsArgument(first, ['GET'])
            : this.methodsArgument(keywords.get('methods'), ['GET']);
        this.assign(definition, 'route', framework, methods, isPath ? first : undefined);
      }
    }
  }

  private detectRegistration(call: Node): void {
    const callee = field(call, 'function');
    if (!callee) return;
    const qualified = this.scope.qualify(callee);
    const { positional, keywords } = callArguments(call);

    // Application constructors: lifespan=, on_startup=[...], routes=[...]
    if (qualified && APP_TYPES.has(qualified)) {
      const framework = APP_TYPES.get(qualified)!;
      this.frameworks.add(framework);
      this.assign(this.resolveFunction(keywords.get('lifespan')), 'lifespan', framework);
      for (const hook of this.listItems(keywords.get('on_startup'))) this.assign(this.resolveFunction(hook), 'startup', framework);
      for (const hook of this.listItems(keywords.get('on_shutdown'))) this.assign(this.resolveFunction(hook), 'shutdown', framework);
      this.recordApplication(call, framework, [...keywords.keys()], /Router|RouteTableDef|UrlDispatcher/.test(qualified));
      return;
    }
    // A factory of the project handed the lifespan (`create_app(lifespan=lifespan)`) builds the
    // application with it: an `async def` that yields, passed as `lifespan=`, is one.
    const handed = this.resolveFunction(keywords.get('lifespan'));
    if (handed?.type === 'function_definition' && isAsyncDef(handed) && yieldsItself(handed)) this.assign(handed, 'lifespan', 'starlette');
    if (qualified === 'starlette.routing.Route' || qualified === 'starlette.routing.WebSocketRoute') {
      const endpoint = keywords.get('endpoint') ?? positional[1];
      const kind = qualified.endsWith('WebSocketRoute') ? 'websocket' : 'route';
      this.assign(this.resolveFunction(endpoint), kind, 'starlette', this.methodsArgument(keywords.get('methods'), ['GET']), keywords.get('path') ?? positional[0]);
      return;
    }
    if (qualified?.startsWith('aiohttp.web.') && AIOHTTP_ROUTE_FUNCTIONS.has(qualified.slice('aiohttp.web.'.length))) {
      const verb = qualified.slice('aiohttp.web.'.length);
      const isRoute = verb === 'route';
      const handler = isRoute ? positional[2] : positional[1];
      const methods = isRoute ? this.methodsArgument(positional[0], ['GET']) : HTTP_METHODS.has(verb) ? [verb.toUpperCase()] : undefined;
      this.assign(this.resolveFunction(keywords.get('handler') ?? handler), 'route', 'aiohttp', methods, isRoute ? positional[1] : positional[0]);
      return;
    }
    if (qualified === 'fastapi.Depends' || qualified === 'fastapi.Security' || qualified === 'fastapi.params.Depends') {
      this.assign(this.resolveFunction(keywords.get('dependency') ?? positional[0]), 'dependency', 'fastapi');
      return;
    }
    if (qualified === 'starlette.background.BackgroundTask' || qualified === 'fastapi.BackgroundTasks') {
      this.assign(this.resolveFunction(positional[0]), 'background', this.defaultFramework ?? 'starlette');
      return;
    }
    if (callee.type !== 'attribute') return;
    const method = field(callee, 'attribute')?.text ?? '';
    const receiver = field(callee, 'object');
    const receiverParts = receiver ? dottedParts(receiver) : undefined;
    const framework = this.frameworkOfReceiver(receiver);
    if (!framework) return;
    if (method === 'add_api_route' || method === 'add_route') {
      this.assign(this.resolveFunction(keywords.get('endpoint') ?? positional[1]), 'route', framework, this.methodsArgument(keywords.get('methods'), ['GET']), keywords.get('path') ?? positional[0]);
    } else if (method === 'add_api_websocket_route' || method === 'add_websocket_route') {
      this.assign(this.resolveFunction(keywords.get('endpoint') ?? positional[1]), 'websocket', framework, undefined, keywords.get('path') ?? positional[0]);
    } else if (method === 'add_event_handler') {
      // Starlette's signature is `add_event_handler(event_type, func)`, also passed by keyword.
      const eventArgument = keywords.get('event_type') ?? positional[0];
      const callback = keywords.get('func') ?? positional[1];
      const event = eventArgument ? stringValue(unparenthesize(eventArgument)) : undefined;
      const kind = event === 'startup' ? 'startup' : event === 'shutdown' ? 'shutdown' : undefined;
      const definition = callback && (this.resolveFunction(callback) ?? this.ownMethod(unparenthesize(callback)));
      if (kind) this.assign(definition, kind, framework);
      if (kind && receiver && callback && framework !== 'aiohttp') {
        const site = call.parent?.type === 'expression_statement' ? call.parent : call;
        this.hooks.push({ event: kind, form: 'registration-call', framework, application: receiver.text, site, callback, definition });
      }
    } else if (method === 'add_task') {
      this.assign(this.resolveFunction(positional[0]), 'background', framework);
    } else if (AIOHTTP_ADD_ROUTE.test(method) && receiverParts?.includes('router')) {
      const isRoute = method === 'add_route';
      const handler = isRoute ? positional[2] : positional[1];
      const verb = method.slice('add_'.length);
      const methods = isRoute ? this.methodsArgument(positional[0], ['GET']) : HTTP_METHODS.has(verb) ? [verb.toUpperCase()] : undefined;
      this.assign(this.resolveFunction(keywords.get('handler') ?? handler), 'route', 'aiohttp', methods, isRoute ? positional[1] : positional[0]);
    } else if (method === 'append' && receiverParts && receiverParts.length >= 2) {
      // aiohttp signals: app.on_startup.append(f), app.on_cleanup.append(f), app.cleanup_ctx.append(f)
      const signal = receiverParts[receiverParts.length - 1];
      const kind: FunctionKind | undefined =
        signal === 'on_startup'
          ? 'startup'
          : signal === 'on_shutdown' || signal === 'on_cleanup'
            ? 'shutdown'
            : signal === 'cleanup_ctx'
              ? 'lifespan'
              : undefined;
      if (kind) this.assign(this.resolveFunction(positional[0]), kind, framework);
    }
  }

  /**
   * The callbacks an application constructor's `on_startup=` / `on_shutdown=` arguments register
   * (also in app factories), and the application itself when a module-level name holds it.
   */
  private recordApplication(call: Node, framework: Framework, keywords: string[], router: boolean): void {
    const assignment = call.parent;
    const target = assignment?.type === 'assignment' ? field(assignment, 'left') : null;
    const name = target?.type === 'identifier' ? target.text : (field(call, 'function')?.text ?? 'app');
    if (framework !== 'aiohttp') {
      for (const event of ['startup', 'shutdown'] as const) {
        const value = this.scope.argument(call, `on_${event}`);
        const site = value?.parent;
        if (!value || site?.type !== 'keyword_argument') continue;
        for (const callback of this.listItems(value)) {
          this.hooks.push({ event, form: 'constructor-argument', framework, application: name, site, callback, definition: this.resolveFunction(callback) });
        }
      }
    }
    const statement = assignment?.parent;
    if (target?.type !== 'identifier' || statement?.type !== 'expression_statement' || statement.parent?.type !== 'module') return;
    this.applications.push({ name, framework, call, statement, keywords, router });
  }

  private listItems(node: Node | undefined): readonly Node[] {
    if (!node) return [];
    const expr = unparenthesize(node);
    return expr.type === 'list' || expr.type === 'tuple' ? namedChildren(expr) : [expr];
  }

  /** A function with a `Depends(...)` parameter is itself a FastAPI dependency or route. */
  private hasDependencyParameters(definition: Node): boolean {
    const parameters = field(definition, 'parameters');
    if (!parameters) return false;
    for (const parameter of namedChildren(parameters)) {
      for (const call of parameter.descendantsOfType('call')) {
        const callee = call && field(call, 'function');
        const qualified = callee ? this.scope.qualify(callee) : undefined;
        if (qualified === 'fastapi.Depends' || qualified === 'fastapi.Security') return true;
      }
    }
    return false;
  }
}

/** Whether a function's own body (not a nested function's) has a `yield`: it is a generator. */
function yieldsItself(definition: Node): boolean {
  return definition.descendantsOfType('yield').some((node) => {
    for (let parent = node?.parent; parent; parent = parent.parent) {
      if (parent.type === 'function_definition' || parent.type === 'lambda') return parent.equals(definition);
    }
    return false;
  });
}

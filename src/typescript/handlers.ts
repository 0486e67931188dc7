import type * as ts from 'typescript';
import type { Framework, FunctionKind } from '../core/facts';
import type { ModuleScope } from './scope';
import { dottedParts, forEachDescendant, isFunctionNode, isStatic, stringValue, unwrap, type FunctionNode, type SyntaxContext } from './syntax';

export interface HandlerRole {
  kind: FunctionKind;
  framework?: Framework;
  /** For HTTP routes: the methods served, upper case; undefined for middleware and catch-alls. */
  methods?: string[];
  /** For routes: the path as registered. */
  path?: string;
}

const HTTP_VERBS = new Set(['get', 'post', 'put', 'delete', 'patch', 'options', 'head']);
/** Registration methods whose callbacks run per request: verbs, catch-alls and middleware. */
const ROUTE_METHODS = new Set([...HTTP_VERBS, 'all', 'use', 'del', 'on']);

/** Frameworks by the package their applications come from. */
const FRAMEWORK_PACKAGES: readonly [RegExp, Framework][] = [
  [/^express$/, 'express'],
  [/^fastify$/, 'fastify'],
  [/^@nestjs\//, 'nestjs'],
  [/^(koa|@koa\/router|koa-router)$/, 'koa'],
  [/^hono(\/|$)/, 'hono'],
  [/^(http|https|http2)$/, 'node-http'],
  [/^next(\/|$)/, 'nextjs'],
];

/** Calls and constructors that create an application or router, by qualified name. */
const APPLICATION_FACTORIES: ReadonlyMap<string, Framework> = new Map([
  ['express', 'express'],
  ['express.Router', 'express'],
  ['fastify', 'fastify'],
  ['fastify.fastify', 'fastify'],
  ['koa', 'koa'],
  ['@koa/router', 'koa'],
  ['koa-router', 'koa'],
  ['hono.Hono', 'hono'],
  ['http.createServer', 'node-http'],
  ['https.createServer', 'node-http'],
  ['http2.createServer', 'node-http'],
  ['http2.createSecureServer', 'node-http'],
]);

/** Parameter types that make a function a request handler wherever it is registered. */
const REQUEST_TYPES: ReadonlyMap<string, Framework> = new Map([
  ['express.Request', 'express'],
  ['express.Response', 'express'],
  ['fastify.FastifyRequest', 'fastify'],
  ['fastify.FastifyReply', 'fastify'],
  ['koa.Context', 'koa'],
  ['koa.ParameterizedContext', 'koa'],
  ['hono.Context', 'hono'],
  ['http.IncomingMessage', 'node-http'],
  ['http.ServerResponse', 'node-http'],
  ['next.NextApiRequest', 'nextjs'],
  ['next.NextApiResponse', 'nextjs'],
  ['next/server.NextRequest', 'nextjs'],
]);

/** Parameter types that name an application or router: `(app: Express)`, `(fastify: FastifyInstance)`. */
const APPLICATION_TYPES: ReadonlyMap<string, Framework> = new Map([
  ['express.Express', 'express'],
  ['express.Application', 'express'],
  ['express.Router', 'express'],
  ['fastify.FastifyInstance', 'fastify'],
  ['@koa/router', 'koa'],
  ['koa-router', 'koa'],
  ['hono.Hono', 'hono'],
]);

/** Names an application or router object usually goes by, for receivers the module does not create. */
const APPLICATION_NAME = /^(app|application|router|api|routes?|server|fastify|instance|[a-z]\w*(Router|Routes|App))$/;

const NEST_ROUTES = new Map([
  ...[...HTTP_VERBS, 'all'].map((verb): [string, string | undefined] => [verb[0]!.toUpperCase() + verb.slice(1), verb === 'all' ? undefined : verb.toUpperCase()]),
  ['MessagePattern', undefined],
  ['EventPattern', undefined],
  ['Query', undefined],
  ['Mutation', undefined],
  ['ResolveField', undefined],
]);
const NEST_SINGLETONS = new Set(['Injectable', 'Controller', 'Resolver', 'WebSocketGateway', 'Processor']);
const NEST_STARTUP = new Set(['onModuleInit', 'onApplicationBootstrap']);
const NEST_SHUTDOWN = new Set(['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown']);
const SHUTDOWN_SIGNALS = new Set(['SIGTERM', 'SIGINT', 'beforeExit', 'exit']);
const FASTIFY_REQUEST_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onSend', 'onResponse', 'onError', 'onTimeout']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'process.nextTick']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'addEventListener']);
/** Every method name a registration is called by: other calls are passed over at once. */
const REGISTRATION_METHODS = new Set([...ROUTE_METHODS, ...LISTENER_METHODS, 'register', 'addHook', 'route']);
const NEXT_ROUTE_FILE = /(^|[\\/])app[\\/](.+[\\/])?route\.[cm]?[jt]sx?$/;
const NEXT_API_FILE = /(^|[\\/])pages[\\/]api[\\/]/;

function frameworkOfPackage(target: string): Framework | undefined {
  const specifier = target.split('.')[0]!;
  return FRAMEWORK_PACKAGES.find(([pattern]) => pattern.test(specifier))?.[1];
}

/**
 * Finds what the web framework makes of a module's functions: route handlers and middleware
 * (Express, Fastify, Koa, Hono, `http.createServer`, Next.js API routes and route handlers, NestJS
 * controllers), startup and shutdown hooks, callbacks the event loop runs later (timers, event
 * listeners), and NestJS providers, which are singletons.
 */
export class HandlerDetector {
  readonly roles = new Map<ts.Node, HandlerRole>();
  readonly frameworks = new Set<Framework>();
  /** Callbacks run by the event loop (timers, listeners), not at import time. */
  readonly loopCallbacks = new Set<ts.Node>();
  /** Classes the framework instantiates once for the whole application (NestJS providers). */
  readonly singletonClasses = new Set<string>();
  /** Module-level names that hold applications or routers, and of which framework. */
  readonly applications = new Map<string, Framework>();
  private readonly functionsByName = new Map<string, FunctionNode>();
  /** Parameters that receive an application: a Fastify plugin's `instance`, `(app: Express)`. */
  private readonly applicationParameters = new Map<ts.Node, Framework>();
  private readonly defaultFramework: Framework | undefined;

  constructor(
    private readonly scope: ModuleScope,
    private readonly path: string,
  ) {
    for (const target of scope.imports.values()) {
      const framework = frameworkOfPackage(target);
      if (framework) this.frameworks.add(framework);
    }
    const serving = [...this.frameworks].filter((framework) => framework !== 'node-http' && framework !== 'nextjs');
    this.defaultFramework = serving.length === 1 ? serving[0] : undefined;
    const { ts: api } = this.context;
    for (const statement of this.context.sourceFile.statements) {
      if (api.isFunctionDeclaration(statement) && statement.name) this.functionsByName.set(statement.name.text, statement);
      if (!api.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!api.isIdentifier(declaration.name) || !declaration.initializer) continue;
        const value = unwrap(this.context, declaration.initializer);
        if (isFunctionNode(this.context, value)) this.functionsByName.set(declaration.name.text, value);
        const framework = this.applicationCreatedBy(value);
        if (framework) this.applications.set(declaration.name.text, framework);
      }
    }
    this.detect();
  }

  private get context(): SyntaxContext {
    return this.scope.context;
  }

  role(node: ts.Node): HandlerRole | undefined {
    return this.roles.get(node);
  }

  private assign(node: ts.Node | undefined, kind: FunctionKind, framework: Framework | undefined, methods?: string[], path?: string): void {
    if (!node) return;
    const existing = this.roles.get(node);
    if (existing?.kind === 'route' && kind === 'route') {
      existing.methods = existing.methods && methods ? [...new Set([...existing.methods, ...methods])] : undefined;
      return;
    }
    const rank: Record<FunctionKind, number> = { route: 6, websocket: 6, lifespan: 5, startup: 4, shutdown: 4, dependency: 3, background: 2, plain: 0 };
    if (existing && rank[existing.kind] >= rank[kind]) return;
    if (framework) this.frameworks.add(framework);
    this.roles.set(node, { kind, framework, methods: kind === 'route' ? methods : undefined, ...(path !== undefined && { path }) });
  }

  /** The framework whose application `expression` creates: `express()`, `new Koa()`, `Fastify({ … })`. */
  private applicationCreatedBy(expression: ts.Expression): Framework | undefined {
    const { ts: api } = this.context;
    const node = unwrap(this.context, expression);
    if (!api.isCallExpression(node) && !api.isNewExpression(node)) return undefined;
    const callee = this.scope.qualify(node.expression) ?? this.scope.requiredModule(node.expression);
    return callee ? APPLICATION_FACTORIES.get(callee) : undefined;
  }

  /**
   * The framework of an object routes are registered on: an application the module creates, a
   * parameter that receives one, a `.route(...)` chain on one, or — in a module that imports one
   * web framework — an object named like an application.
   */
  private receiverFramework(receiver: ts.Expression): Framework | undefined {
    const { ts: api } = this.context;
    const node = unwrap(this.context, receiver);
    if (api.isCallExpression(node) && api.isPropertyAccessExpression(node.expression)) {
      // `app.route('/x').get(h).post(h)` and Hono's chained `app.get(…).post(…)`.
      return this.receiverFramework(node.expression.expression);
    }
    const created = this.applicationCreatedBy(node);
    if (created) return created;
    const parts = dottedParts(this.context, node);
    if (!parts) return undefined;
    const head = parts[0]!;
    if (parts.length === 1) {
      const known = this.applications.get(head);
      if (known) return known;
      const parameter = this.parameterFramework(node);
      if (parameter) return parameter;
    }
    return APPLICATION_NAME.test(parts[parts.length - 1]!) ? this.defaultFramework : undefined;
  }

  /** The framework of a parameter an identifier refers to: a plugin's instance or `(router: Router)`. */
  private parameterFramework(identifier: ts.Expression): Framework | undefined {
    const { ts: api } = this.context;
    if (!api.isIdentifier(identifier)) return undefined;
    for (let node: ts.Node | undefined = identifier.parent; node; node = node.parent) {
      if (!isFunctionNode(this.context, node)) continue;
      const parameter = node.parameters.find((candidate) => api.isIdentifier(candidate.name) && candidate.name.text === identifier.text);
      if (!parameter) continue;
      const known = this.applicationParameters.get(parameter);
      if (known) return known;
      const type = parameter.type && api.isTypeReferenceNode(parameter.type) ? this.scope.qualifyEntityName(parameter.type.typeName) : undefined;
      return type ? APPLICATION_TYPES.get(type) : undefined;
    }
    return undefined;
  }

  /** The functions an argument stands for: inline, by name, in an array, or wrapped (`asyncHandler(fn)`). */
  private handlerFunctions(argument: ts.Expression | undefined, depth = 0): FunctionNode[] {
    if (!argument || depth > 3) return [];
    const { ts: api } = this.context;
    const node = unwrap(this.context, argument);
    if (isFunctionNode(this.context, node)) return [node];
    if (api.isIdentifier(node)) {
      const named = this.functionsByName.get(node.text);
      return named ? [named] : [];
    }
    if (api.isArrayLiteralExpression(node)) return node.elements.flatMap((element) => this.handlerFunctions(element, depth + 1));
    if (api.isCallExpression(node)) return node.arguments.flatMap((inner) => this.handlerFunctions(inner, depth + 1));
    return [];
  }

  private detect(): void {
    const { ts: api } = this.context;
    const functions: FunctionNode[] = [];
    forEachDescendant(this.context, this.context.sourceFile, (node) => {
      if (api.isCallExpression(node)) this.detectCall(node);
      else if (api.isClassDeclaration(node) || api.isClassExpression(node)) this.detectClass(node);
      else if (isFunctionNode(this.context, node)) functions.push(node);
      return true;
    });
    this.detectNextRoutes();
    for (const fn of functions) if (!this.roles.has(fn)) this.detectBySignature(fn);
  }

  private detectCall(call: ts.CallExpression): void {
    const { ts: api } = this.context;
    const callee = unwrap(this.context, call.expression);
    const qualified = this.scope.qualify(callee);
    const args = call.arguments;
    if (qualified && TIMERS.has(qualified)) {
      for (const fn of this.handlerFunctions(args[0])) this.loopCallbacks.add(fn);
      return;
    }
    const created = qualified ? APPLICATION_FACTORIES.get(qualified) : undefined;
    if (created === 'node-http') {
      // `http.createServer((req, res) => …)`, with or without options first.
      for (const argument of args) for (const fn of this.handlerFunctions(argument)) this.assign(fn, 'route', 'node-http');
      return;
    }
    if (!api.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    if (!REGISTRATION_METHODS.has(method)) return;
    const receiver = callee.expression;
    if (LISTENER_METHODS.has(method)) {
      this.detectListener(call, receiver);
      return;
    }
    const framework = this.receiverFramework(receiver);
    if (!framework) return;
    const first = args[0] && unwrap(this.context, args[0]);
    if (method === 'register' && framework === 'fastify') {
      for (const plugin of this.handlerFunctions(args[0])) {
        this.assign(plugin, 'startup', 'fastify');
        const instance = plugin.parameters[0];
        if (instance) this.applicationParameters.set(instance, 'fastify');
      }
      return;
    }
    if (method === 'register' && framework === 'koa' && args.length >= 3) {
      // koa-router's `router.register(path, ['get', 'post'], [middleware…, handler])`.
      const verbs = unwrap(this.context, args[1]!);
      const listed = api.isArrayLiteralExpression(verbs) ? verbs.elements.flatMap((element) => stringValue(this.context, element) ?? []) : [];
      const path = stringValue(this.context, first);
      for (const fn of this.handlerFunctions(args[2])) this.assign(fn, 'route', framework, listed.map((verb) => verb.toUpperCase()), path);
      return;
    }
    if (method === 'addHook') {
      const hook = stringValue(this.context, first);
      const kind: FunctionKind | undefined = hook === 'onClose' ? 'shutdown' : hook === 'onReady' ? 'startup' : hook && FASTIFY_REQUEST_HOOKS.has(hook) ? 'route' : undefined;
      if (kind) for (const fn of this.handlerFunctions(args[1])) this.assign(fn, kind, framework);
      return;
    }
    if (method === 'route' && first && api.isObjectLiteralExpression(first)) {
      this.detectRouteOptions(first, framework);
      return;
    }
    if (!ROUTE_METHODS.has(method) || (method === 'on' && framework !== 'hono')) return;
    const hasPath = first !== undefined && (api.isStringLiteralLike(first) || api.isTemplateExpression(first) || api.isArrayLiteralExpression(first) || api.isRegularExpressionLiteral(first));
    if (!hasPath && method !== 'use' && !this.isRouteChain(receiver)) return;
    const methods = HTTP_VERBS.has(method) ? [method.toUpperCase()] : method === 'del' ? ['DELETE'] : undefined;
    for (const argument of hasPath ? args.slice(1) : args) {
      const value = unwrap(this.context, argument);
      if (api.isObjectLiteralExpression(value)) {
        // Fastify's `app.get(path, { handler, preHandler }, …)`.
        this.detectRouteOptions(value, framework, methods);
        continue;
      }
      const path = hasPath ? stringValue(this.context, first) : undefined;
      for (const fn of this.handlerFunctions(argument)) this.assign(fn, 'route', framework, methods, path);
    }
  }

  /** `app.route('/x')` and the verbs chained on it: the path is the chain's, not the handler's. */
  private isRouteChain(receiver: ts.Expression): boolean {
    const { ts: api } = this.context;
    const node = unwrap(this.context, receiver);
    if (!api.isCallExpression(node) || !api.isPropertyAccessExpression(node.expression)) return false;
    const method = node.expression.name.text;
    return method === 'route' || (HTTP_VERBS.has(method) && this.isRouteChain(node.expression.expression));
  }

  /** Fastify's `route({ method, url, handler })` and route options objects. */
  private detectRouteOptions(options: ts.ObjectLiteralExpression, framework: Framework, fallback?: string[]): void {
    const { ts: api } = this.context;
    let methods = fallback;
    const handlers: ts.Node[] = [];
    for (const property of options.properties) {
      const name = property.name && api.isIdentifier(property.name) ? property.name.text : undefined;
      if (!name) continue;
      if (api.isMethodDeclaration(property)) {
        if (name === 'handler' || FASTIFY_REQUEST_HOOKS.has(name)) handlers.push(property);
        continue;
      }
      const value = api.isPropertyAssignment(property) ? property.initializer : api.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (!value) continue;
      if (name === 'method') {
        const values = api.isArrayLiteralExpression(unwrap(this.context, value)) ? (unwrap(this.context, value) as ts.ArrayLiteralExpression).elements : [value];
        const listed = values.flatMap((element) => stringValue(this.context, element) ?? []).map((verb) => verb.toUpperCase());
        if (listed.length > 0) methods = listed;
      } else if (name === 'handler' || FASTIFY_REQUEST_HOOKS.has(name)) {
        handlers.push(...this.handlerFunctions(value));
      }
    }
    for (const handler of handlers) this.assign(handler, 'route', framework, methods);
  }

  /**
   * Listeners run on the event loop whenever their event fires. Shutdown signals mark shutdown
   * hooks; a server's `request` event and a WebSocket server's connection and message events
   * mark handlers.
   */
  private detectListener(call: ts.CallExpression, receiver: ts.Expression): void {
    // `parentPort`'s listeners run on a worker thread's own loop: blocking there is what the
    // thread is for, and no request waits behind it.
    if (this.scope.qualify(unwrap(this.context, receiver)) === 'worker_threads.parentPort') return;
    const event = stringValue(this.context, call.arguments[0]);
    const callbacks = this.handlerFunctions(call.arguments[1]);
    for (const fn of callbacks) this.loopCallbacks.add(fn);
    if (event === undefined) return;
    const receiverName = this.scope.qualify(receiver);
    if (receiverName === 'process' && SHUTDOWN_SIGNALS.has(event)) {
      for (const fn of callbacks) this.assign(fn, 'shutdown', undefined);
    } else if (event === 'request' && this.receiverFramework(receiver) === 'node-http') {
      for (const fn of callbacks) this.assign(fn, 'route', 'node-http');
    } else if (event === 'connection' || event === 'message') {
      for (const fn of callbacks) this.assign(fn, 'websocket', undefined);
    }
  }

  /** NestJS: controllers' routes, providers as singletons, lifecycle hooks. */
  private detectClass(node: ts.ClassDeclaration | ts.ClassExpression): void {
    const { ts: api } = this.context;
    const decorators = this.scope.decoratorNames(node).filter((name) => name.startsWith('@nestjs/'));
    if (decorators.length === 0) return;
    const decoratorNames = new Set(decorators.map((name) => name.slice(name.lastIndexOf('.') + 1)));
    const className = node.name?.text;
    if (className && [...decoratorNames].some((name) => NEST_SINGLETONS.has(name)) && !this.isRequestScoped(node)) {
      this.singletonClasses.add(className);
    }
    // A provider's methods are what controllers call per request: Nest injects it as a dependency.
    const provider = decoratorNames.has('Injectable') && !decoratorNames.has('Controller');
    for (const member of node.members) {
      if (!api.isMethodDeclaration(member) || !api.isIdentifier(member.name)) continue;
      const name = member.name.text;
      if (NEST_STARTUP.has(name)) this.assign(member, 'startup', 'nestjs');
      else if (NEST_SHUTDOWN.has(name)) this.assign(member, 'shutdown', 'nestjs');
      else if (provider && !isStatic(this.context, member)) this.assign(member, 'dependency', 'nestjs');
      for (const decorator of this.scope.decoratorNames(member)) {
        if (!decorator.startsWith('@nestjs/')) continue;
        const short = decorator.slice(decorator.lastIndexOf('.') + 1);
        if (short === 'SubscribeMessage') this.assign(member, 'websocket', 'nestjs');
        else if (NEST_ROUTES.has(short)) {
          const verb = NEST_ROUTES.get(short);
          this.assign(member, 'route', 'nestjs', verb ? [verb] : undefined);
        }
      }
    }
  }

  /** `@Injectable({ scope: Scope.REQUEST })`: one instance per request, so its fields are not shared. */
  private isRequestScoped(node: ts.ClassLikeDeclaration): boolean {
    const { ts: api } = this.context;
    return (api.getDecorators(node) ?? []).some((decorator) => {
      const expression = decorator.expression;
      if (!api.isCallExpression(expression)) return false;
      return expression.arguments.some((argument) => /\bscope\s*:\s*Scope\.(REQUEST|TRANSIENT)\b/.test(argument.getText(this.context.sourceFile)));
    });
  }

  /** Next.js: `pages/api/**` default exports, and `app/**\/route.ts` exports named after HTTP methods. */
  private detectNextRoutes(): void {
    const { ts: api } = this.context;
    const routeFile = NEXT_ROUTE_FILE.test(this.path);
    const apiFile = NEXT_API_FILE.test(this.path);
    if (!routeFile && !apiFile) return;
    for (const statement of this.context.sourceFile.statements) {
      const modifiers = api.canHaveModifiers(statement) ? (api.getModifiers(statement) ?? []) : [];
      const exported = modifiers.some((modifier) => modifier.kind === api.SyntaxKind.ExportKeyword);
      const isDefault = modifiers.some((modifier) => modifier.kind === api.SyntaxKind.DefaultKeyword);
      if (apiFile && api.isFunctionDeclaration(statement) && exported && isDefault) this.assign(statement, 'route', 'nextjs');
      if (apiFile && api.isExportAssignment(statement)) {
        for (const fn of this.handlerFunctions(statement.expression)) this.assign(fn, 'route', 'nextjs');
      }
      if (!routeFile || !exported) continue;
      const named: [string, ts.Node | undefined][] = api.isFunctionDeclaration(statement)
        ? [[statement.name?.text ?? '', statement]]
        : api.isVariableStatement(statement)
          ? statement.declarationList.declarations.map((declaration) => [
              api.isIdentifier(declaration.name) ? declaration.name.text : '',
              declaration.initializer && unwrap(this.context, declaration.initializer),
            ])
          : [];
      for (const [name, fn] of named) {
        if (fn && isFunctionNode(this.context, fn) && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) this.assign(fn, 'route', 'nextjs', [name]);
      }
    }
  }

  /**
   * Controllers written in their own module and registered elsewhere: a function whose parameters
   * are typed as the framework's request or response (`(req: Request, res: Response)`), or, by
   * Express's convention, named `req` and `res`.
   */
  private detectBySignature(node: FunctionNode): void {
    const { ts: api } = this.context;
    const parameters = node.parameters;
    let framework: Framework | undefined;
    for (const parameter of parameters.slice(0, 2)) {
      const type = parameter.type && api.isTypeReferenceNode(parameter.type) ? this.scope.qualifyEntityName(parameter.type.typeName) : undefined;
      framework ??= type ? REQUEST_TYPES.get(type) : undefined;
    }
    const names = parameters.map((parameter) => (api.isIdentifier(parameter.name) ? parameter.name.text : ''));
    const conventional = names[0] === 'req' && names[1] === 'res';
    if (framework || conventional) this.assign(node, 'route', framework ?? (this.frameworks.has('express') ? 'express' : undefined));
  }
}

/**
 * The language-neutral facts model. Frontends (src/python, src/typescript) turn source text into
 * these facts; rules read nothing else. Positions are 0-based lines and UTF-16 code-unit columns,
 * the same as LSP, so surfaces convert without re-reading the source.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Language = 'python' | 'typescript';

/** What a function is to the web framework that runs it. */
export type FunctionKind =
  | 'route'
  | 'websocket'
  | 'dependency'
  | 'lifespan'
  | 'startup'
  | 'shutdown'
  | 'background'
  | 'plain';

/**
 * Where the framework evaluates a function's body: on the event loop (coroutines), in a worker
 * thread (sync FastAPI/Starlette endpoints and dependencies), or wherever its caller runs.
 */
export type ExecutionContext = 'event-loop' | 'threadpool' | 'caller';

export type Framework =
  | 'fastapi'
  | 'starlette'
  | 'aiohttp'
  | 'express'
  | 'fastify'
  | 'nestjs'
  | 'koa'
  | 'hono'
  | 'node-http'
  | 'nextjs';

/**
 * A piece of state that outlives one request: a module-level name, a class attribute, an
 * attribute of a module-level object (including `self.x` of a singleton), or `app.state.x`.
 */
export interface StateRef {
  /** Canonical identity used to match reads and writes, e.g. `Metrics.requests`, `STATE[key]`. */
  key: string;
  /** The outermost shared object, e.g. `STATE` for `STATE[key]`. */
  root: string;
  /** How the user wrote it at this site, e.g. `self.active` or `request.app.state.hits`. */
  text: string;
  scope: 'module' | 'class' | 'singleton' | 'app-state';
  /** Where the root is defined in this module, when known. */
  definition?: Range;
}

/** Where a value came from, resolved by the dataflow over bind events. */
export interface ValueSource {
  /** Read and field-read events (by id) whose value flows directly into this value. */
  reads: number[];
  /** Local names whose current value flows into this value. */
  locals: string[];
  /** True when the value is computed (arithmetic, a call, formatting), not a plain copy. */
  computed: boolean;
  /** Call events (by id) whose result flows directly into this value: `db.get(M, k)`, the calls of `q.where(…).first()`. */
  calls?: number[];
}

export type AwaitForm = 'await' | 'async-with' | 'async-for' | 'yield';

export type LockKind = 'asyncio' | 'threading';

/**
 * `membership`: `k in D`; `lookup`: `D.get(k)`, which tolerates a missing key; `value`: any other
 * read.
 */
export type ReadAccess = 'value' | 'membership' | 'lookup';

export type WriteOp = 'assign' | 'augmented' | 'mutate' | 'delete';

export interface ReadEvent {
  kind: 'read';
  id: number;
  state: StateRef;
  access: ReadAccess;
  range: Range;
  statement: StatementRef;
}

export interface WriteEvent {
  kind: 'write';
  id: number;
  state: StateRef;
  op: WriteOp;
  /** The mutating method for `op: 'mutate'`, e.g. `append`. */
  method?: string;
  value: ValueSource;
  range: Range;
  statement: StatementRef;
}

/** A local name (re)bound to a value. */
export interface BindEvent {
  kind: 'bind';
  name: string;
  value: ValueSource;
  /** For a loop variable: the id of the iterate event whose elements it takes in turn. */
  elementOf?: number;
  range: Range;
}

/**
 * A loop over a collection begins: a `for` statement or one `for` clause of a comprehension. The
 * calls evaluated once per element carry its id in `loop`.
 */
export interface IterateEvent {
  kind: 'iterate';
  id: number;
  form: 'for' | 'async-for' | 'comprehension';
  /** The collection iterated. */
  value: ValueSource;
  /** The iterate event of the enclosing loop, when this one runs once per element of another. */
  parent?: number;
  range: Range;
  statement: StatementRef;
}

/**
 * A field of an object held in a local name or parameter, e.g. `acct.balance` (not shared state,
 * which is `read`): the object is this call's own, though the database row or record it was
 * loaded from is shared.
 */
export interface FieldReadEvent {
  kind: 'field-read';
  id: number;
  /** The local name holding the object. */
  object: string;
  field: string;
  range: Range;
  statement: StatementRef;
}

/** An assignment to a field of an object held in a local name: `acct.balance = …`, `item.stock -= 1`. */
export interface FieldWriteEvent {
  kind: 'field-write';
  id: number;
  object: string;
  field: string;
  /** `augmented` for `x.f += v`, which reads the field's old value itself. */
  op: 'assign' | 'augmented';
  value: ValueSource;
  range: Range;
  statement: StatementRef;
}

/** The function returns a value (`return x`; a lambda's body). */
export interface ReturnEvent {
  kind: 'return';
  value: ValueSource;
  range: Range;
}

/** A point where the coroutine may suspend and other requests run. */
export interface AwaitEvent {
  kind: 'await';
  id: number;
  form: AwaitForm;
  /** Source text of the awaited expression, shortened for messages. */
  text: string;
  range: Range;
  statement: StatementRef;
  /**
   * Inside a `try` of this function whose handler does not raise again: a failure here stays in
   * the function. Set by the TypeScript frontend, where it tells an async callback that cannot
   * reject.
   */
  caught?: boolean;
}

export type CallUsage = 'statement' | 'awaited' | 'assigned' | 'argument' | 'returned' | 'other';

/**
 * A place a value is kept, so that two sites naming the same object can be matched: a local name,
 * a piece of shared state, or an attribute of the function's own instance.
 */
export interface ValueHolder {
  /**
   * Canonical identity: the local name or dotted path (`client`, `client.aclose`), the state key
   * (`app.state.http` however the site reaches the app), or `Class().attr` for `self.attr`.
   */
  key: string;
  /** As written at this site. */
  text: string;
  kind: 'local' | 'shared' | 'instance';
}

/**
 * An argument written as a literal, e.g. `blocking=False` or the `0` of `event.wait(0)`: what
 * tells a call that cannot wait from one that can.
 */
export interface LiteralArgument {
  /** Index among the positional arguments; unset for keyword arguments. */
  position?: number;
  keyword?: string;
  /** As written: `False`, `0`, `b"data"`. */
  value: string;
}

export interface CallEvent {
  kind: 'call';
  id: number;
  /** Qualified callee after import resolution and light type inference, e.g. `time.sleep`,
   * `requests.Session().get`; undefined when unknown. */
  callee?: string;
  /** The callee as written, e.g. `http.get`. */
  text: string;
  usage: CallUsage;
  range: Range;
  calleeRange: Range;
  /** The arguments written as literals, when there are any. */
  literalArguments?: LiteralArgument[];
  statement: StatementRef;
  /** The object a method is called on, when it is a name or an attribute path (`client` in `client.aclose()`). */
  receiver?: ValueHolder;
  /** Where the result is stored: assignment targets (also of `x = await call()`) and `with … as` names. */
  boundTo?: ValueHolder[];
  /** The call this one is a direct argument of, e.g. `stack.enter_async_context(httpx.AsyncClient())`. */
  argumentOf?: { callee?: string; text: string };
  /** Arguments that are names or attribute paths: `register(client)`, `atexit.register(client.aclose)`. */
  arguments?: ValueHolder[];
  /**
   * Set when a type checker knows the result is awaitable (a Promise or other thenable), whatever
   * the callee: what makes a dropped result a floating promise.
   */
  awaitable?: boolean;
  /**
   * The call attaches a rejection handler to the awaitable it is called on (`.catch(h)`,
   * `.then(ok, h)`): the failure of what came before is observed.
   */
  handlesRejection?: boolean;
  /** The call is the operand of `void`: its promise is dropped on purpose, though a rejection stays unhandled. */
  voided?: boolean;
  /** The positional arguments as written, each on one line and shortened: `Account`, `account_id`. */
  positional?: string[];
  /** Names of the keyword arguments passed, literal or not: `with_for_update` of `db.get(M, k, with_for_update={…})`. */
  keywords?: string[];
  /** Where the values flowing into the call come from: its receiver and its arguments, merged. */
  inputs?: ValueSource;
  /** The innermost iterate event the call runs once per element of. */
  loop?: number;
  /**
   * Arguments that name a function (`to_thread(render)`, `Thread(target=self.poll)`,
   * `setInterval(tick, 1000)`), by the qualified name a call to it would carry, or only as written
   * when it is a local (a nested function).
   */
  functionArguments?: { callee?: string; text: string }[];
}

/** One item of a `with`/`async with` statement: its context manager is entered here and exited after the body. */
export interface ContextEvent {
  kind: 'context';
  form: 'with' | 'async-with';
  /** The id of the call event when the item is a call (`async with httpx.AsyncClient() as c`). */
  call?: number;
  /** The item when it is a name or attribute path (`async with client:`). */
  holder?: ValueHolder;
  range: Range;
}

/** A local name's value is used (own locals and those of enclosing functions). */
export interface LocalReadEvent {
  kind: 'local-read';
  name: string;
  range: Range;
}

export interface LockEnterEvent {
  kind: 'lock-enter';
  lock: string;
  lockKind: LockKind;
  /** Identifies one syntactic lock region; a read and a write in the same region are serialised. */
  region: number;
  /** A semaphore admitting several holders at once: held, but serialising nothing. */
  shared?: boolean;
  range: Range;
}

export interface LockExitEvent {
  kind: 'lock-exit';
  region: number;
}

/**
 * The test of an `if`/`elif`/`while`/`match` case, evaluated at the end of a block; the two edges
 * leaving the block carry its id.
 */
export interface BranchEvent {
  kind: 'branch';
  id: number;
  value: ValueSource;
  /**
   * `membership`: only asks whether a key is present (`k in D`, `D.get(k) is None`);
   * `truthiness`: a bare value tested for truth (`if BUSY:`, `if cached:`); `value`: anything else.
   */
  test: 'membership' | 'truthiness' | 'value';
  /**
   * For a presence test (`k in D`, `x is None`, `if not cached:`, `!map.has(k)`): the outcome that
   * finds the value there. Unset when the test asks something else or mixes several questions.
   */
  presentWhen?: boolean;
  /** Set when one arm leaves the function or loop at once: a guard clause. */
  guard?: BranchGuard;
  /**
   * The outcome the test always has, when that is certain without running it (`if False:`,
   * `if TYPE_CHECKING:`, a module constant bound once to a literal): the other arm never runs.
   */
  fixed?: boolean;
  range: Range;
  statement: StatementRef;
}

export interface BranchGuard {
  /** The polarity of the arm that leaves. */
  exitsWhen: boolean;
  by: 'raise' | 'return' | 'loop';
  /** The leaving arm returns a value read from the state the test read (a memo lookup). */
  returnsTestedState: boolean;
}

export type FlowEvent =
  | ReadEvent
  | WriteEvent
  | BindEvent
  | AwaitEvent
  | CallEvent
  | LockEnterEvent
  | LockExitEvent
  | BranchEvent
  | ContextEvent
  | LocalReadEvent
  | IterateEvent
  | FieldReadEvent
  | FieldWriteEvent
  | ReturnEvent;

export interface FlowEdge {
  to: number;
  /** Set on the two edges leaving a block that ends in a branch event. */
  branch?: { id: number; taken: boolean };
}

export interface FlowBlock {
  id: number;
  events: FlowEvent[];
  next: FlowEdge[];
}

/** A control-flow graph whose blocks hold events in evaluation order. */
export interface FlowGraph {
  blocks: FlowBlock[];
  entry: number;
  exit: number;
}

/**
 * A statement as a fix needs it: its range and the syntactic block (suite) it belongs to. A fix
 * that wraps statements finds the innermost suite holding both ends through `ancestors`.
 */
export interface StatementRef {
  range: Range;
  /** Suite ids from the function body inwards to the suite holding this statement. */
  suites: number[];
  /** For each suite in `suites`, the range of the statement at that level that contains this one. */
  ancestors: Range[];
}

export interface Parameter {
  name: string;
  /** Qualified annotation, e.g. `sqlalchemy.orm.Session`, when resolvable. */
  annotation?: string;
  range: Range;
}

export interface FunctionFacts {
  /** Unique within the module, e.g. `Metrics.handle@40`. */
  id: string;
  name: string;
  qualifiedName: string;
  className?: string;
  /** Id of the enclosing function for nested functions and lambdas. */
  parent?: string;
  kind: FunctionKind;
  framework?: Framework;
  isAsync: boolean;
  isLambda: boolean;
  execution: ExecutionContext;
  /**
   * For HTTP routes: the methods served (`GET`, `POST`, ...). A GET handler filling a dict is
   * memoising; a POST handler doing the same is recording the effect of a request.
   */
  httpMethods?: string[];
  /** For routes and websocket endpoints: the path as the registration writes it, e.g. `/orders/{id}`. */
  routePath?: string;
  /** Qualified decorator callees, e.g. `functools.lru_cache`. */
  decorators: string[];
  /** Where each decorator is written, in the order of `decorators`. */
  decoratorRanges: Range[];
  params: Parameter[];
  range: Range;
  nameRange: Range;
  flow: FlowGraph;
  /** The qualified type the return annotation names (`app.models.User` for `-> User | None`), when resolvable. */
  returns?: string;
  /** For a function written as an argument of a call (a callback): that call, by callee and range. */
  passedTo?: { callee?: string; text: string; range: Range };
  /** Called where it is written, by the module's top-level code: `(async () => { … })()` runs once, as the module loads. */
  invokedAtLoad?: boolean;
}

/** Module-level (or class-level) state a handler could share with other requests. */
export interface StateDefinition {
  root: string;
  scope: 'module' | 'class' | 'singleton' | 'app-state';
  range: Range;
  /** What the value is when it is a call or a literal: `dict`, `list`, `set`, `int`,
   * `asyncio.Lock()`, `ConnectionManager()`... */
  valueKind?: string;
}

export interface Comment {
  range: Range;
  text: string;
}

export interface ModuleFacts {
  language: Language;
  path: string;
  /** Dotted module name relative to the analysed root, e.g. `app.routers.orders`. */
  moduleName: string;
  source: string;
  functions: FunctionFacts[];
  /** The module's top-level code as a flow graph (import-time work). */
  moduleFlow: FlowGraph;
  state: StateDefinition[];
  comments: Comment[];
  /** Names bound at module level to `asyncio.Lock()` / `threading.Lock()` and similar. */
  locks: { name: string; kind: LockKind; range: Range }[];
  imports: ImportFact[];
  /** Modules imported with `from m import *` (`export * from` in JavaScript). */
  starImports?: string[];
  /**
   * Module names bound once to a table whose keys are fixed strings (`PROMPTS = {"chat": …}`), with
   * those keys: a lookup of one of them always finds it.
   */
  constantKeys?: Record<string, string[]>;
  /**
   * Module-level dicts whose values share a known type (`SERVICES: dict[str, S3Service] = {…}`), by
   * name, with that type and where the dict is bound: an item taken out of one has the type.
   */
  tableItems?: Record<string, { type: string; range: Range }>;
  /** Frameworks whose application objects this module creates or imports. */
  frameworks: Framework[];
  /** Application and router objects this module creates. */
  applications: ApplicationFact[];
  /** Startup and shutdown callbacks registered on an application (not lifespans). */
  lifecycleHooks: LifecycleHookFact[];
  /** Classes defined at module level, for following method calls into base classes. */
  classes: ClassFact[];
  /**
   * Module names bound to a class made at run time from others — SQLAlchemy's `Base =
   * declarative_base(cls=ModelBase)` — with those bases: a model class deriving from `Base`
   * inherits `ModelBase`'s methods (`Client.get(db, …)`).
   */
  classAliases?: { name: string; bases: string[] }[];
  /** Regions the parser could not make sense of; findings inside them are dropped. */
  syntaxErrors: Range[];
  /**
   * Module-level blocks that run only when the file is executed as a program, not imported:
   * `if __name__ == "__main__":`, `if (require.main === module)`.
   */
  mainGuards?: Range[];
  /**
   * Blocks that run only in development: `if (isDev) { … }`, `if (process.env.NODE_ENV ===
   * 'development') { … }`. A route registered there is not served in production.
   */
  devOnly?: Range[];
  /**
   * Script files the module runs on threads of their own (`new Piscina({ filename })`, `new
   * Worker(file)`): the script's path as written, the pool that runs it (`Piscina`), and where.
   */
  workerScripts?: { script: string; pool: string; range: Range }[];
}

/** A class defined at module level. */
export interface ClassFact {
  name: string;
  /** Qualified base classes, e.g. `app.repos.BaseRepo`, `pydantic.BaseModel`. */
  bases: string[];
  nameRange: Range;
  /** Attributes assigned in the class body, e.g. `__mapper_args__ = {"version_id_col": version}`. */
  attributes?: ClassAttributeFact[];
  /**
   * What its instances' attributes hold, from annotations and assignments in its methods:
   * `repo` → `app.repos.UserRepo()`, `client` → `httpx.AsyncClient()`.
   */
  attributeTypes?: Record<string, string>;
}

export interface ClassAttributeFact {
  name: string;
  /** The value as written, shortened to a few hundred characters. */
  value: string;
  range: Range;
}

/** An application or router created in this module: `app = FastAPI(title="shop")`. */
export interface ApplicationFact {
  /** The name it is bound to. */
  name: string;
  framework: Framework;
  /** The constructor call. */
  call: Range;
  /** The call's argument list, parentheses included. */
  arguments: Range;
  /** The statement that creates it. */
  statement: Range;
  /** The keyword arguments it is given, e.g. `lifespan`, `on_startup`. */
  keywords: string[];
  /** A router (`APIRouter`, Starlette `Router`) rather than the application itself. */
  router: boolean;
}

/**
 * A callback run at application startup or shutdown, registered by a decorator
 * (`@app.on_event("startup")`), a registration call (`app.add_event_handler("shutdown", f)`) or a
 * constructor argument (`Starlette(on_startup=[f])`).
 */
export interface LifecycleHookFact {
  event: 'startup' | 'shutdown';
  form: 'decorator' | 'registration-call' | 'constructor-argument';
  framework: Framework;
  /** The application or router it is registered on, as written: `app`, `router`. */
  application: string;
  /** The registration: the decorator, the call's statement, or the keyword argument. */
  range: Range;
  /** The callback as written: `startup`, `db.connect`. */
  callbackText: string;
  /** The id (in `functions`) of the callback when this module defines it. */
  callback?: string;
}

export interface ImportFact {
  /** The local name the import binds. */
  local: string;
  /** The qualified target, e.g. `time.sleep` for `from time import sleep as pause`. */
  target: string;
  /** The whole import statement. */
  range: Range;
}

import type {
  ApplicationFact,
  CallEvent,
  FunctionFacts,
  Language,
  LifecycleHookFact,
  LockKind,
  ModuleFacts,
  Range,
  StatementRef,
} from './facts';
import type { ResolvedConfig } from './config';
import type { CallGraphSummary } from './call-summary';
import type { ContextSummary } from './contexts/summary';
import type { DeploymentFile, DeploymentFileReading, PreloadSetting } from './deployment-facts';
import type { Fix, Hazard, HazardStory, RelatedLocation, Severity, TextEdit, WorkerSetting } from './hazard';

export type RuleFamily = 'race' | 'blocking' | 'lifespan' | 'tasks' | 'deployment';

/** What a rule's fixes can be: none, always safe, always unsafe, or depending on the finding. */
export type FixAvailability = 'none' | 'safe' | 'unsafe' | 'sometimes';

export interface RuleExample {
  /** The source language, or for a deployment rule the language of the application it deploys. */
  language: Language;
  /** A tab label for the explainer, e.g. `FastAPI`. */
  framework?: string;
  /** For deployment rules: the file the example is, e.g. `Dockerfile`, `Procfile`. */
  deploymentFile?: string;
  /**
   * For a rule that reads the source with the deployment that serves it: the deployment file the
   * example runs under, e.g. `gunicorn.conf.py` with `preload_app = True`.
   */
  servedWith?: { file: string; text: string };
  /** Raises exactly this rule, once. */
  bad: string;
  /** Raises nothing. */
  good: string;
}

/**
 * A rule's documentation, the single source for `interleave explain`, generated docs pages, the
 * hover and the explainer panel. Sections are Markdown.
 */
export interface RuleDocs {
  whatItDoes: string;
  whyIsThisBad: string;
  examples: RuleExample[];
  fixSafety: string;
  whenNotToUse: string;
}

export interface RuleMeta {
  code: string;
  name: string;
  family: RuleFamily;
  defaultSeverity: Severity;
  /** One sentence for rule tables and SARIF `shortDescription`. */
  summary: string;
  languages: Language[];
  fix: FixAvailability;
  docs: RuleDocs;
  /** Not yet reliable enough to be on by default: selected by its code or name, or with `preview = true`. */
  preview?: boolean;
}

/** What the project around a module tells the rules: how it is deployed, what other modules do. */
export interface ProjectFacts {
  /** The worker process count, from settings or deployment files; undefined when unknown. */
  workers?: WorkerSetting;
  /**
   * The count for each language's processes when the deployment files tell them apart (a PM2
   * config beside a gunicorn one); a language missing here has no count. Unset when `workers`
   * holds for every module, as the user's `workers` setting does.
   */
  workersByLanguage?: Partial<Record<Language, WorkerSetting>>;
  /** The production deployments that run gunicorn with `--preload` (or `preload_app = True`); undefined or empty when none does. */
  preload?: readonly PreloadSetting[];
  /** Per-module summaries contributed by rules (`Rule.summarize`): by rule code, then module name. */
  summaries?: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** What every module tells the execution-context model, by module name. */
  contextSummaries?: ReadonlyMap<string, ContextSummary>;
  /** Every module's call graph, by module name. */
  callGraphs?: ReadonlyMap<string, CallGraphSummary>;
  /**
   * The deployment files found from the project's root, for checks of one deployment file that
   * depend on another (a command and the gunicorn config it loads); undefined when not read.
   */
  deployment?: readonly DeploymentFileReading[];
}

/** A method call a fix adds as a statement of its own, e.g. `await app.state.http.aclose()`. */
export interface MethodCallStatement {
  /** The object as the user's code names it, e.g. `app.state.http`. */
  receiver: string;
  method: string;
  awaited: boolean;
}

/** A startup or shutdown hook together with the function it registers. */
export interface RegisteredHook {
  hook: LifecycleHookFact;
  callback: FunctionFacts;
}

/** Language-specific edits a rule can ask for without knowing the syntax. */
export interface FixBuilder {
  /**
   * Wrap the statements from `from` to `to` (widened to siblings in their innermost common
   * suite) in a region holding a module-level lock, adding the lock's definition if the module
   * has no lock of that kind yet. Undefined when no well-formed edit exists.
   */
  wrapInLock(
    from: StatementRef,
    to: StatementRef,
    lock: { kind: LockKind; stateRoot: string },
  ): { edits: TextEdit[]; lockName: string } | undefined;

  /**
   * Replaces a call by awaiting a coroutine function that takes the same arguments
   * (`time.sleep(x)` → `await asyncio.sleep(x)`), importing its module when needed.
   */
  awaitInstead(call: CallEvent, replacement: { module: string; name: string }): TextEdit[] | undefined;

  /**
   * Runs a call through a function that runs its argument off the event loop, and awaits it:
   * `f(a, k=1)` → `await asyncio.to_thread(f, a, k=1)`, importing the wrapper when needed.
   */
  offloadCall(call: CallEvent, wrapper: { module: string; name: string }): TextEdit[] | undefined;

  /**
   * Adds a keyword argument to a call: `MongoClient(url)` → `MongoClient(url, connect=False)`.
   * Undefined when the call already passes it, or its arguments cannot be read safely.
   */
  addKeywordArgument(call: CallEvent, keyword: string, value: string): TextEdit[] | undefined;

  /** Removes a function's decorator (its index in `decorators`) with its line. Undefined when it shares its line with other code. */
  removeDecorator(fn: FunctionFacts, index: number): TextEdit[] | undefined;

  /** Turns a coroutine function into a plain one: `async def` → `def`. */
  makeSync(fn: FunctionFacts): TextEdit[] | undefined;

  /**
   * Passes a call's function and arguments instead of its result, for a call written inside an
   * offload wrapper: `to_thread(f(a))` → `to_thread(f, a)`. Undefined when it has keyword arguments.
   */
  passAsReference(call: CallEvent): TextEdit[] | undefined;

  /** New statements right after `anchor`, at its indentation. Undefined when `anchor` shares its line. */
  insertAfter(anchor: StatementRef, calls: readonly MethodCallStatement[]): TextEdit[] | undefined;

  /** New statements at the end of a function's body. Undefined when the body ends in a jump or cannot be found. */
  appendToFunction(fn: FunctionFacts, calls: readonly MethodCallStatement[]): TextEdit[] | undefined;

  /** Awaits a call that is an expression statement. */
  awaitCall(call: Range): TextEdit[];

  /**
   * Keeps a fire-and-forget task alive until it finishes: binds the call's result (unless it is
   * bound to a name already), adds it to a module-level set of tasks (defined if the module has
   * none) and discards it from the set when it is done.
   */
  keepTaskReference(call: CallEvent, fn: FunctionFacts): { edits: TextEdit[]; setName: string } | undefined;

  /**
   * Replaces an application's startup/shutdown hooks with a lifespan context manager that calls
   * them around its `yield`, passed to the application's constructor.
   */
  convertHooksToLifespan(
    application: ApplicationFact,
    hooks: readonly RegisteredHook[],
  ): { edits: TextEdit[]; lifespanName: string } | undefined;
}

export type Finding = Omit<Hazard, 'code' | 'name' | 'severity' | 'path' | 'related' | 'fix' | 'story'> & {
  /** This finding's default severity when it differs from the rule's; user overrides still win. */
  severity?: Severity;
  related?: RelatedLocation[];
  fix?: Fix;
  story?: HazardStory;
};

export interface RuleContext {
  module: ModuleFacts;
  project: ProjectFacts;
  /** The settings in force, for rules the user extends (e.g. `blocking-calls`). */
  config: ResolvedConfig;
  fixes: FixBuilder;
  report(finding: Finding): void;
}

/** What a deployment rule sees: one deployment file, and the project around it. */
export interface DeploymentRuleContext {
  file: DeploymentFile;
  project: ProjectFacts;
  config: ResolvedConfig;
  report(finding: Finding): void;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * For cross-file rules: what other modules' checks need to know about this module (e.g. which
   * sync functions may block). Must be JSON-serialisable: it crosses worker threads and is cached
   * per file by the language server.
   */
  summarize?(module: ModuleFacts): unknown;
  /** Checks a source module of one of `meta.languages`; deployment rules have none. */
  check?(context: RuleContext): void;
  /** Checks a deployment file (Dockerfile, compose file, Procfile, Makefile, gunicorn config…). */
  checkDeployment?(context: DeploymentRuleContext): void;
}

/** The line of `range` as users count it, for messages. */
export function lineOf(range: Range): number {
  return range.start.line + 1;
}

/** Where a rule's documentation page lives; the generated `docs/rules/<code>.md` mirrors it. */
export function ruleUrl(meta: Pick<RuleMeta, 'code'>): string {
  return `https://github.com/interleave-dev/interleave/blob/main/docs/rules/${meta.code}.md`;
}

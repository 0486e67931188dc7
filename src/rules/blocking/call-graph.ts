import { spendBudget } from '../../core/budget';
import { stringOf, type CallEntry, type CallMatcher, type CatalogEntry } from '../../core/call-pattern';
import { digestOf, summarizeCallGraph, summarizeFunction, type CallGraphSummary, type FunctionSummary, type ParameterSlot, type SummaryCall } from '../../core/call-summary';
import type { FunctionFacts, LiteralArgument, ModuleFacts, Range } from '../../core/facts';
import { projectIndex } from '../../core/project-index';
import { ProjectResolver, type ResolvableModule } from '../../core/project-resolver';
import type { ProjectFacts } from '../../core/rule';

/** A summary as the shared resolver reads it. */
function resolvable(moduleName: string, summary: CallGraphSummary): ResolvableModule<FunctionSummary> {
  const instances: Record<string, string> = {};
  for (const [name, instance] of Object.entries(summary.instances)) instances[name] = instance.type;
  return { moduleName, functions: new Map(Object.entries(summary.functions)), imports: summary.imports, starImports: summary.starImports, instances, classes: summary.classes };
}

/** A project function a call resolves to. */
export interface ProjectFunction {
  moduleName: string;
  /** Qualified name inside its module: `send_mail`, `Mailer.send`. */
  name: string;
  path: string;
  summary: FunctionSummary;
  /** Called with a key its guard clause returns on: the summary holds only that arm's calls. */
  guarded?: true;
  /**
   * Called with literals for the parameters that name some of its small files: the indices of its
   * calls whose files that fixes (`0,3`). Calls passing other parameters fix other files.
   */
  namingFiles?: string;
}

function keyOf(fn: ProjectFunction): string {
  return `${fn.moduleName}:${fn.name}${fn.guarded ? ':guarded' : ''}${fn.namingFiles ? `:files=${fn.namingFiles}` : ''}`;
}

/** A call of a small file that is the same on every call of the function as called. */
function fixedSmallFile(call: SummaryCall): boolean {
  return call.smallFile?.parameters.length === 0;
}

/** A module-level instance another module uses by importing its name. */
export interface ImportedInstance {
  name: string;
  type: string;
  path: string;
  range: Range;
}

/**
 * What a call names once imports, re-exports and instances are followed: a project function, or a
 * library callee reached through the project (`http.get` where `http = requests.Session()` lives in
 * another module is `requests.Session().get`).
 */
export type Resolution = { function: ProjectFunction } | { library: string; instance?: ImportedInstance };

/**
 * A chain from a project function to a blocking call: each step is a call made by the step's
 * function; the last step's call is the blocking one.
 */
export interface BlockingChain<T extends CatalogEntry = CatalogEntry> {
  steps: { caller: ProjectFunction; call: SummaryCall }[];
  entry: T;
  /** Set when the blocking call goes through a module-level instance of another module. */
  instance?: ImportedInstance;
}

/** Calls followed per chain. */
const MAX_CHAIN_LENGTH = 12;

/** Imports followed to find where a table is defined. */
const MAX_REEXPORTS = 8;

/**
 * What every rule that follows calls from one module shares: the module's own call graph,
 * summarised afresh (the project's copy may predate an edit), and every callee it resolved.
 */
interface CallIndex {
  summaries: ReadonlyMap<string, CallGraphSummary>;
  current: ModuleFacts;
  currentSummary: CallGraphSummary;
  resolver: ProjectResolver<FunctionSummary>;
  resolutions: Map<string, Resolution | undefined>;
}

const callIndexes = new WeakMap<ModuleFacts, { project: ProjectFacts; index: CallIndex }>();

function callIndexOf(project: ProjectFacts, current: ModuleFacts): CallIndex {
  const cached = callIndexes.get(current);
  if (cached?.project === project) return cached.index;
  const summaries = project.callGraphs ?? new Map<string, CallGraphSummary>();
  // The project's summary of this module, unless the module changed since (an edit in the editor).
  const stored = summaries.get(current.moduleName);
  const currentSummary = stored?.digest === digestOf(current.source) ? stored : summarizeCallGraph(current);
  const currentResolvable = resolvable(current.moduleName, currentSummary);
  // Other modules as the resolver reads them: shared by every module's index, since summaries do not change.
  const others = projectIndex(project, 'resolvable call graphs', () => new Map<string, ResolvableModule<FunctionSummary> | undefined>());
  const resolver = new ProjectResolver<FunctionSummary>((moduleName) => {
    if (moduleName === current.moduleName) return currentResolvable;
    if (!others.has(moduleName)) {
      const summary = summaries.get(moduleName);
      others.set(moduleName, summary && resolvable(moduleName, summary));
    }
    return others.get(moduleName);
  });
  const index = { summaries, current, currentSummary, resolver, resolutions: new Map() };
  callIndexes.set(current, { project, index });
  return index;
}

/** The project's calls, searched for calls the `blocking` catalog names (IL202; IL203 and IL603 with their own catalogs). */
export class ProjectCallGraph<T extends CatalogEntry = CatalogEntry> {
  private readonly index: CallIndex;
  private readonly chains = new Map<string, BlockingChain<T> | null>();

  constructor(
    project: ProjectFacts,
    current: ModuleFacts,
    private readonly blocking: CallMatcher<T>,
    private readonly offloadWrappers: CallMatcher<CallEntry>,
  ) {
    this.index = callIndexOf(project, current);
  }

  private module(moduleName: string): CallGraphSummary | undefined {
    if (moduleName === this.index.current.moduleName) return this.index.currentSummary;
    return this.index.summaries.get(moduleName);
  }

  /** What a qualified callee names in the project, or undefined when the project is not involved. */
  resolve(callee: string): Resolution | undefined {
    const { resolutions } = this.index;
    if (!resolutions.has(callee)) resolutions.set(callee, this.resolveAnew(callee));
    return resolutions.get(callee);
  }

  private resolveAnew(callee: string): Resolution | undefined {
    const { resolver } = this.index;
    const found = resolver.resolve(callee);
    if (found) return { function: { moduleName: found.moduleName, name: found.name, path: this.module(found.moduleName)!.path, summary: found.fn } };
    const library = resolver.libraryCallee(callee);
    if (!library) return undefined;
    const owner = library.instance && this.module(library.instance.moduleName);
    const instance = owner && library.instance ? owner.instances[library.instance.name] : undefined;
    return { library: library.callee, ...(owner && instance && { instance: { name: library.instance!.name, type: instance.type, path: owner.path, range: instance.range } }) };
  }

  /** A function nested in the module being checked, which its enclosing function may call inline. */
  nestedFunction(fn: FunctionFacts): ProjectFunction | undefined {
    const { current } = this.index;
    const nested = { moduleName: current.moduleName, name: fn.qualifiedName, path: current.path, summary: summarizeFunction(fn) };
    return this.runsInline(nested) ? nested : undefined;
  }

  /** The project function a call runs inline, if it is one. */
  inlineFunction(callee: string): ProjectFunction | undefined {
    const resolution = this.resolve(callee);
    return resolution && 'function' in resolution && this.runsInline(resolution.function) ? resolution.function : undefined;
  }

  /** Whether the catalog names the call itself, as written: the direct rule's finding, not a chain. */
  matchesDirectly(callee: string, literalArguments?: readonly LiteralArgument[]): boolean {
    return this.blocking.match(callee, literalArguments) !== undefined;
  }

  /** The catalog entry of a blocking call, looking through the project to the library call it makes. */
  blockingEntry(callee: string, literalArguments?: readonly LiteralArgument[]): { entry: T; instance?: ImportedInstance } | undefined {
    const resolution = this.resolve(callee);
    const library = resolution && 'library' in resolution ? resolution : undefined;
    const entry = this.blocking.match(library?.library ?? callee, literalArguments);
    return entry && { entry, instance: library?.instance };
  }

  /** Whether a call into `fn` runs its body now, on the caller's thread, every time. */
  private runsInline(fn: ProjectFunction): boolean {
    const { summary } = fn;
    return !summary.isAsync && !summary.runsOnce && !summary.decorators.some((decorator) => this.offloadWrappers.match(decorator));
  }

  /**
   * The shortest chain of sync calls from `start` to a blocking call, if there is one; none when the
   * call's literal arguments (`get_text("chat")`) send `start` out through its guard clause first.
   */
  blockingChain(start: ProjectFunction, literalArguments?: readonly LiteralArgument[]): BlockingChain<T> | undefined {
    const fn = this.asCalled(start, literalArguments);
    const key = keyOf(fn);
    if (!this.chains.has(key)) this.chains.set(key, this.search(fn) ?? null);
    return this.chains.get(key) ?? undefined;
  }

  /**
   * `fn` as a call with these literal arguments runs it: only its guard clause's arm when the call
   * passes a fixed key of the table the guard tests.
   */
  private asCalled(fn: ProjectFunction, literalArguments: readonly LiteralArgument[] | undefined): ProjectFunction {
    const exit = fn.summary.exitsEarly;
    const argument = exit && literalArguments?.find(({ keyword, position }) => keyword === exit.parameter || position === exit.position);
    const key = argument && stringOf(argument);
    const called = !exit || key === undefined || !this.tableKeys(fn.moduleName, exit.table)?.includes(key) ? fn : { ...fn, summary: { ...fn.summary, calls: exit.calls, exitsEarly: undefined }, guarded: true as const };
    return withLiteralFiles(called, literalArguments);
  }

  /** The fixed keys of a table a module names, defined there or imported (through re-exports). */
  private tableKeys(moduleName: string, name: string, depth = 0): readonly string[] | undefined {
    const summary = this.module(moduleName);
    const keys = summary?.constantKeys?.[name];
    if (keys || !summary || depth > MAX_REEXPORTS) return keys;
    const imported = summary.imports[name];
    const dot = imported?.lastIndexOf('.') ?? -1;
    return imported && dot > 0 ? this.tableKeys(imported.slice(0, dot), imported.slice(dot + 1), depth + 1) : undefined;
  }

  private search(start: ProjectFunction): BlockingChain<T> | undefined {
    interface Node {
      fn: ProjectFunction;
      steps: BlockingChain<T>['steps'];
    }
    const seen = new Set([keyOf(start)]);
    let frontier: Node[] = [{ fn: start, steps: [] }];
    for (let length = 0; length < MAX_CHAIN_LENGTH && frontier.length > 0; length++) {
      const next: Node[] = [];
      for (const { fn, steps } of frontier) {
        spendBudget();
        for (const call of fn.summary.calls) {
          const blocking = this.blockingEntry(call.callee, call.literalArguments);
          // File readers over an in-memory file (`json.load(io.StringIO(text))`) do no I/O; a
          // metadata lookup (`os.path.exists`) deep in a helper rarely waits (IL201 reports one
          // alone only in preview); nor does a small file the code names (`get_prompt("scrape")`,
          // fixed-files.ts).
          if (blocking && !blocking.entry.quick && !(blocking.entry.inMemoryHarmless && call.inMemoryFile) && !fixedSmallFile(call)) return { steps: [...steps, { caller: fn, call }], ...blocking };
        }
        for (const call of fn.summary.calls) {
          const inline = this.inlineFunction(call.callee);
          if (!inline) continue;
          const callee = this.asCalled(inline, call.literalArguments);
          const calleeKey = keyOf(callee);
          if (seen.has(calleeKey)) continue;
          seen.add(calleeKey);
          next.push({ fn: callee, steps: [...steps, { caller: fn, call }] });
        }
      }
      frontier = next;
    }
    return undefined;
  }
}

/**
 * `fn` as a call with these literal arguments runs it: a small file named by parameters the call
 * passes as literals (`get_prompt("recipes.scrape")` → `open(PROMPTS / (name + ".txt"))`) is the
 * same file on every call from there.
 */
function withLiteralFiles(fn: ProjectFunction, literalArguments: readonly LiteralArgument[] | undefined): ProjectFunction {
  const given = ({ name, position }: ParameterSlot) => literalArguments?.some((literal) => literal.keyword === name || (position >= 0 && literal.position === position)) ?? false;
  const fixed = (call: SummaryCall) => call.smallFile !== undefined && call.smallFile.parameters.length > 0 && call.smallFile.parameters.every(given);
  const indices = fn.summary.calls.flatMap((call, index) => (fixed(call) ? [index] : []));
  if (indices.length === 0) return fn;
  const calls = fn.summary.calls.map((call) => (fixed(call) ? { ...call, smallFile: { parameters: [] } } : call));
  return { ...fn, summary: { ...fn.summary, calls }, namingFiles: indices.join(',') };
}

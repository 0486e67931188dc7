import { spendBudget } from '../../core/budget';
import type { CallEntry, CallMatcher, CatalogEntry } from '../../core/call-pattern';
import { summarizeCallGraph, summarizeFunction, type CallGraphSummary, type FunctionSummary, type SummaryCall } from '../../core/call-summary';
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
export interface BlockingChain {
  steps: { caller: ProjectFunction; call: SummaryCall }[];
  entry: CatalogEntry;
  /** Set when the blocking call goes through a module-level instance of another module. */
  instance?: ImportedInstance;
}

/** Calls followed per chain. */
const MAX_CHAIN_LENGTH = 12;

export class ProjectCallGraph {
  /** Every module's summary; looked up, never copied, since a graph is made for each module checked. */
  private readonly summaries: ReadonlyMap<string, CallGraphSummary>;
  /** The module being checked, summarised afresh: the project's copy may predate an edit. */
  private readonly currentSummary: CallGraphSummary;
  private readonly chains = new Map<string, BlockingChain | null>();
  /** Other modules as the resolver reads them: shared by every module's graph, since summaries do not change. */
  private readonly resolvable: Map<string, ResolvableModule<FunctionSummary> | undefined>;
  private readonly currentResolvable: ResolvableModule<FunctionSummary>;
  private readonly resolver = new ProjectResolver<FunctionSummary>((moduleName) => {
    if (moduleName === this.current.moduleName) return this.currentResolvable;
    if (!this.resolvable.has(moduleName)) {
      const summary = this.summaries.get(moduleName);
      this.resolvable.set(moduleName, summary && resolvable(moduleName, summary));
    }
    return this.resolvable.get(moduleName);
  });

  constructor(
    project: ProjectFacts,
    private readonly current: ModuleFacts,
    private readonly blocking: CallMatcher<CatalogEntry>,
    private readonly offloadWrappers: CallMatcher<CallEntry>,
  ) {
    this.summaries = project.callGraphs ?? new Map();
    this.currentSummary = summarizeCallGraph(current);
    this.currentResolvable = resolvable(current.moduleName, this.currentSummary);
    this.resolvable = projectIndex(project, 'resolvable call graphs', () => new Map());
  }

  private module(moduleName: string): CallGraphSummary | undefined {
    if (moduleName === this.current.moduleName) return this.currentSummary;
    return this.summaries.get(moduleName);
  }

  /** What a qualified callee names in the project, or undefined when the project is not involved. */
  resolve(callee: string): Resolution | undefined {
    const found = this.resolver.resolve(callee);
    if (found) return { function: { moduleName: found.moduleName, name: found.name, path: this.module(found.moduleName)!.path, summary: found.fn } };
    const library = this.resolver.libraryCallee(callee);
    if (!library) return undefined;
    const owner = library.instance && this.module(library.instance.moduleName);
    const instance = owner && library.instance ? owner.instances[library.instance.name] : undefined;
    return { library: library.callee, ...(owner && instance && { instance: { name: library.instance!.name, type: instance.type, path: owner.path, range: instance.range } }) };
  }

  /** A function nested in the module being checked, which its enclosing function may call inline. */
  nestedFunction(fn: FunctionFacts): ProjectFunction | undefined {
    const nested = { moduleName: this.current.moduleName, name: fn.qualifiedName, path: this.current.path, summary: summarizeFunction(fn) };
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
  blockingEntry(callee: string, literalArguments?: readonly LiteralArgument[]): { entry: CatalogEntry; instance?: ImportedInstance } | undefined {
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

  /** The shortest chain of sync calls from `start` to a blocking call, if there is one. */
  blockingChain(start: ProjectFunction): BlockingChain | undefined {
    const key = `${start.moduleName}:${start.name}`;
    if (!this.chains.has(key)) this.chains.set(key, this.search(start) ?? null);
    return this.chains.get(key) ?? undefined;
  }

  private search(start: ProjectFunction): BlockingChain | undefined {
    interface Node {
      fn: ProjectFunction;
      steps: BlockingChain['steps'];
    }
    const seen = new Set([`${start.moduleName}:${start.name}`]);
    let frontier: Node[] = [{ fn: start, steps: [] }];
    for (let length = 0; length < MAX_CHAIN_LENGTH && frontier.length > 0; length++) {
      const next: Node[] = [];
      for (const { fn, steps } of frontier) {
        spendBudget();
        for (const call of fn.summary.calls) {
          const blocking = this.blockingEntry(call.callee, call.literalArguments);
          if (blocking) return { steps: [...steps, { caller: fn, call }], ...blocking };
        }
        for (const call of fn.summary.calls) {
          const callee = this.inlineFunction(call.callee);
          if (!callee) continue;
          const calleeKey = `${callee.moduleName}:${callee.name}`;
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

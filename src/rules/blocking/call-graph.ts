import type { CallEntry, CallMatcher, CatalogEntry } from '../../core/call-pattern';
import type { FunctionFacts, LiteralArgument, ModuleFacts, Range } from '../../core/facts';
import type { ProjectFacts } from '../../core/rule';
import { overInMemoryFile } from './in-memory';
import { synchronousCalls } from './loop-calls';

/**
 * The cross-file half of IL202. The first pass summarises each module: its top-level functions and
 * methods with the calls they make, the instances it creates at module level and the names it
 * imports. The second pass resolves a call in async code to a project function and searches,
 * breadth first, for the shortest chain of sync calls that ends in a blocking one.
 *
 * Summaries keep every call with a known callee, not only blocking ones: which calls block depends
 * on the user's `blocking-calls` setting, which the check applies, so a summary stays valid when the
 * setting changes.
 */

export interface CallGraphSummary {
  path: string;
  /** Top-level functions and methods by qualified name: `send_mail`, `Mailer.send`. */
  functions: Record<string, FunctionSummary>;
  /** Module-level names bound to instances: `mailer` → `app.mail.Mailer()`, with where. */
  instances: Record<string, { type: string; range: Range }>;
  /** Names the module imports, which it re-exports: `send_mail` → `app.services.mailer.send_mail`. */
  imports: Record<string, string>;
  /** Classes by name, with their qualified bases: where inherited methods are found. */
  classes: Record<string, string[]>;
}

export interface FunctionSummary {
  isAsync: boolean;
  /** Cached with no parameters (`@lru_cache def load_settings()`): its body runs once per process. */
  runsOnce: boolean;
  decorators: string[];
  /** The calls its body makes, for sync functions. */
  calls: SummaryCall[];
}

export interface SummaryCall {
  callee: string;
  text: string;
  range: Range;
  literalArguments?: LiteralArgument[];
  /** The call works on an in-memory file (`json.load(io.StringIO(text))`): file readers do no I/O there. */
  inMemoryFile?: true;
}

const CACHES = /^(functools\.(lru_cache|cache)|cachetools\.(cached|func\.\w+))$/;

export function summarizeFunction(fn: FunctionFacts): FunctionSummary {
  const parameters = fn.className && fn.decorators.every((d) => !d.endsWith('staticmethod')) ? fn.params.slice(1) : fn.params;
  return {
    isAsync: fn.isAsync,
    runsOnce: parameters.length === 0 && fn.decorators.some((decorator) => CACHES.test(decorator)),
    decorators: fn.decorators,
    calls: fn.isAsync
      ? []
      : synchronousCalls(fn).flatMap((call) => {
          const { callee, text, range, literalArguments } = call;
          return callee ? [{ callee, text, range, ...(literalArguments && { literalArguments }), ...(overInMemoryFile(fn, call) && { inMemoryFile: true as const }) }] : [];
        }),
  };
}

export function summarizeCallGraph(module: ModuleFacts): CallGraphSummary {
  const functions: Record<string, FunctionSummary> = {};
  for (const fn of module.functions) {
    if (!fn.parent && !fn.isLambda) functions[fn.qualifiedName] = summarizeFunction(fn);
  }
  const instances: CallGraphSummary['instances'] = {};
  for (const state of module.state) {
    if (state.scope === 'module' && state.valueKind?.endsWith('()')) instances[state.root] = { type: state.valueKind, range: state.range };
  }
  const imports: Record<string, string> = {};
  for (const fact of module.imports) imports[fact.local] = fact.target;
  const classes: Record<string, string[]> = {};
  for (const info of module.classes) classes[info.name] = info.bases;
  return { path: module.path, functions, instances, imports, classes };
}

function isSummary(value: unknown): value is CallGraphSummary {
  return typeof value === 'object' && value !== null && 'functions' in value && 'instances' in value && 'imports' in value && 'classes' in value;
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

/** Re-exports and instance aliases followed per lookup, and calls followed per chain. */
const MAX_ALIAS_HOPS = 6;
const MAX_CHAIN_LENGTH = 12;

export class ProjectCallGraph {
  /** Every module's summary; looked up, never copied, since a graph is made for each module checked. */
  private readonly summaries: ReadonlyMap<string, unknown>;
  /** The module being checked, summarised afresh: the project's copy may predate an edit. */
  private readonly currentSummary: CallGraphSummary;
  private readonly chains = new Map<string, BlockingChain | null>();

  constructor(
    project: ProjectFacts,
    code: string,
    private readonly current: ModuleFacts,
    private readonly blocking: CallMatcher<CatalogEntry>,
    private readonly offloadWrappers: CallMatcher<CallEntry>,
  ) {
    this.summaries = project.summaries?.get(code) ?? new Map();
    this.currentSummary = summarizeCallGraph(current);
  }

  private module(moduleName: string): CallGraphSummary | undefined {
    if (moduleName === this.current.moduleName) return this.currentSummary;
    const summary = this.summaries.get(moduleName);
    return isSummary(summary) ? summary : undefined;
  }

  /** What a qualified callee names in the project, or undefined when the project is not involved. */
  resolve(callee: string, hops = 0): Resolution | undefined {
    if (hops > MAX_ALIAS_HOPS) return undefined;
    const method = /^([^()]*)\(\)\.([A-Za-z_]\w*)$/.exec(callee);
    const path = method ? `${method[1]}.${method[2]}` : callee;
    if (!path.includes('(')) {
      const parts = path.split('.');
      for (let split = parts.length - 1; split >= 1; split--) {
        const moduleName = parts.slice(0, split).join('.');
        const module = this.module(moduleName);
        if (module) return this.member(module, moduleName, parts.slice(split), hops);
      }
    }
    return hops > 0 ? { library: callee } : undefined;
  }

  private member(module: CallGraphSummary, moduleName: string, names: string[], hops: number): Resolution | undefined {
    const name = names.join('.');
    // Calling a class runs its `__init__` (Python) or `constructor` (JavaScript).
    for (const candidate of [name, `${name}.__init__`, `${name}.constructor`]) {
      const summary = module.functions[candidate];
      if (summary) return { function: { moduleName, name: candidate, path: module.path, summary } };
    }
    const [head, ...rest] = names;
    // A method the class inherits: `UserRepo().all` defined on `BaseRepo`.
    for (const base of rest.length <= 1 ? (module.classes[head!] ?? []) : []) {
      const inherited = this.resolve([base, ...rest].join('.'), hops + 1);
      if (inherited && 'function' in inherited) return inherited;
    }
    const imported = module.imports[head!];
    if (imported) return this.resolve([imported, ...rest].join('.'), hops + 1);
    const instance = module.instances[head!];
    if (!instance || rest.length !== 1) return undefined;
    const resolution = this.resolve(`${instance.type}.${rest[0]}`, hops + 1);
    if (resolution && 'library' in resolution && !resolution.instance) {
      return { ...resolution, instance: { name: head!, type: instance.type, path: module.path, range: instance.range } };
    }
    return resolution;
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
        for (const call of fn.summary.calls) {
          const blocking = this.blockingEntry(call.callee, call.literalArguments);
          if (blocking && !(blocking.entry.inMemoryHarmless && call.inMemoryFile)) return { steps: [...steps, { caller: fn, call }], ...blocking };
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

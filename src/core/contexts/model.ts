import type { Range } from '../facts';
import { ProjectResolver } from '../project-resolver';
import type { EdgeKind } from './catalog';
import { Resolutions, type Found } from './resolutions';
import { CONTEXT_KINDS, SERVING_LOOP, type ContextKind, type EntryPoint, type FunctionContexts, type Witness, type WitnessStep } from './kinds';
import type { ContextCall, ContextFunction, ContextSummary } from './summary';

interface Node {
  module: ContextSummary;
  fn: ContextFunction;
}

/** Base classes followed for inherited validators. */
const MAX_BASES = 5;

/** Classes visited when looking for the overrides of a method. */
const MAX_SUBCLASSES = 200;

/** Where code stands with respect to the serving event loop, as far as the model can tell. */
export type LoopVerdict =
  /** Reached from an entry point whose code runs on the loop that serves requests. */
  | { on: 'loop'; witness: Witness }
  /** Every known way in runs it elsewhere (a thread, a CLI, once at first use), and nothing unresolved may call it. */
  | { on: 'elsewhere'; witnesses: Witness[] }
  /** No entry point is known to reach it, or an unresolved call may: the rules fall back to what the code says. */
  | { on: 'unknown' };

/**
 * The execution-context model of a project: for every function, the contexts it can run in, each
 * with the shortest chain of calls from an entry point. Built once from every module's
 * ContextSummary; linear in the number of functions and calls (each function is visited at most
 * twice per context kind: once through an override, once directly). A call of a base class's
 * method also reaches the overrides in the project's subclasses, with a witness marked
 * `dispatched`. Calls it cannot resolve add nothing: such a function is "unknown", never given a
 * wrong context.
 */
export class ContextModel {
  private readonly modules = new Map<string, ContextSummary>();
  private readonly byName = new Map<string, Map<string, ContextFunction>>();
  private readonly byId = new Map<string, Map<string, ContextFunction>>();
  private readonly children = new Map<ContextFunction, ContextFunction[]>();
  /** Nested functions by their own name, per enclosing function: what a local name hands over. */
  private readonly nestedByName = new Map<ContextFunction, Map<string, ContextFunction>>();
  private readonly witnesses = new Map<ContextFunction, Map<ContextKind, Witness>>();
  private readonly moduleWitnesses = new Map<string, Witness[]>();
  /** Last segments of calls no project function answered, made from code that may be served. */
  private readonly unresolvedNames = new Set<string>();
  /** Subclasses by their base (`module:Class`), built when an override is first asked for. */
  private subclasses: Map<string, { module: ContextSummary; name: string }[]> | undefined;
  /** Every callee is resolved once: the same names are called from many places. */
  private readonly resolved = new Map<string, Node | undefined>();
  /** Shared with the models of projects whose modules resolve names alike. */
  readonly resolutions: Resolutions;
  private readonly resolver = new ProjectResolver<ContextFunction>((moduleName) => {
    const module = this.modules.get(moduleName);
    return module && { moduleName, functions: this.byName.get(moduleName)!, imports: module.imports, starImports: module.starImports, instances: module.instances, classes: module.classes };
  });

  /** `previous`: the resolutions of another model, used when this project resolves names as its did. */
  constructor(summaries: Iterable<ContextSummary>, previous?: Resolutions) {
    for (const summary of summaries) this.modules.set(summary.moduleName, summary);
    this.resolutions = Resolutions.for(this.modules, previous);
    for (const summary of this.modules.values()) {
      const names = new Map<string, ContextFunction>();
      const ids = new Map<string, ContextFunction>();
      for (const fn of summary.functions) {
        ids.set(fn.id, fn);
        if (!names.has(fn.name)) names.set(fn.name, fn);
      }
      for (const fn of summary.functions) {
        const parent = fn.parent ? ids.get(fn.parent) : undefined;
        if (!parent) continue;
        let children = this.children.get(parent);
        if (!children) this.children.set(parent, (children = []));
        children.push(fn);
        let named = this.nestedByName.get(parent);
        if (!named) this.nestedByName.set(parent, (named = new Map()));
        const own = lastSegment(fn.name);
        if (!named.has(own)) named.set(own, fn);
      }
      this.byName.set(summary.moduleName, names);
      this.byId.set(summary.moduleName, ids);
    }
    this.propagate();
    this.collectUnresolvedNames();
  }

  /** The contexts of a function of a module, by the frontend's function id. */
  contextsOf(moduleName: string, functionId: string): FunctionContexts {
    const fn = this.byId.get(moduleName)?.get(functionId);
    const known = fn ? this.witnesses.get(fn) : undefined;
    if (!known) return { witnesses: [] };
    return { witnesses: CONTEXT_KINDS.flatMap((kind) => known.get(kind) ?? []) };
  }

  /** What a module told the model, by its name. */
  summaryOf(moduleName: string): ContextSummary | undefined {
    return this.modules.get(moduleName);
  }

  /** The contexts a module's top-level code runs in: at import, or only as a program. */
  moduleContextsOf(moduleName: string): Witness[] {
    return this.moduleWitnesses.get(moduleName) ?? [];
  }

  /** Whether a function's body can run on the loop that serves requests, and why. */
  loopVerdict(moduleName: string, functionId: string): LoopVerdict {
    const fn = this.byId.get(moduleName)?.get(functionId);
    const known = fn ? this.witnesses.get(fn) : undefined;
    if (!fn || !known || known.size === 0) return { on: 'unknown' };
    for (const kind of CONTEXT_KINDS) {
      const witness = known.get(kind);
      if (witness && SERVING_LOOP.has(kind)) return { on: 'loop', witness };
    }
    if (this.mayRunUnresolved(moduleName, functionId)) return { on: 'unknown' };
    return { on: 'elsewhere', witnesses: [...known.values()] };
  }

  /**
   * Whether a call the model could not resolve, in code that may be served, may run the function
   * (it calls that name) — never when the function's module is not served at all (a test, a
   * migration, a script): served code would have to import it, and that import would resolve.
   */
  mayRunUnresolved(moduleName: string, functionId: string): boolean {
    const fn = this.byId.get(moduleName)?.get(functionId);
    return fn !== undefined && this.unresolvedNames.has(lastSegment(fn.name)) && this.modules.get(moduleName)?.role?.kind !== 'not-served';
  }

  /** The project function a qualified callee runs (through re-exports, base classes and instances), if any. */
  functionCalled(callee: string): { moduleName: string; functionId: string } | undefined {
    const node = this.resolve(callee);
    return node && { moduleName: node.module.moduleName, functionId: node.fn.id };
  }

  /** True when every known way into the function is outside the server, and nothing unresolved may call it. */
  notServed(moduleName: string, functionId: string): boolean {
    const verdict = this.loopVerdict(moduleName, functionId);
    return verdict.on === 'elsewhere' && verdict.witnesses.every((witness) => witness.kind === 'not-served');
  }

  private propagate(): void {
    const queue: { node: Node; witness: Witness }[] = [];
    const visit = (node: Node, witness: Witness) => {
      let known = this.witnesses.get(node.fn);
      if (!known) this.witnesses.set(node.fn, (known = new Map()));
      // A witness that must run replaces one that only may (through an override), once.
      const had = known.get(witness.kind);
      if (had && !(had.dispatched && !witness.dispatched)) return;
      known.set(witness.kind, witness);
      queue.push({ node, witness });
    };
    for (const module of this.modules.values()) {
      for (const fn of module.functions) {
        for (const entry of fn.entries) {
          visit({ module, fn }, { kind: entry.kind, entry: { ...entry, path: module.path, range: fn.nameRange }, steps: [] });
        }
      }
      const top = { caller: `module \`${module.moduleName}\``, module };
      const importKind: ContextKind = module.role?.kind ?? 'import';
      const importEntry: EntryPoint = {
        kind: importKind,
        label: module.role?.label ?? `import of \`${module.moduleName}\``,
        path: module.path,
        range: firstRange(module.importCalls),
        ...(module.role?.contained && { contained: true }),
      };
      const mainEntry: EntryPoint = { kind: 'not-served', label: `\`__main__\` block of \`${module.moduleName}\``, path: module.path, range: firstRange(module.mainCalls) };
      this.moduleWitnesses.set(module.moduleName, [
        ...(module.importCalls.length > 0 || module.mainCalls.length === 0 ? [{ kind: importKind, entry: importEntry, steps: [] }] : []),
        ...(module.mainCalls.length > 0 ? [{ kind: 'not-served' as const, entry: mainEntry, steps: [] }] : []),
      ]);
      for (const [calls, entry] of [
        [module.importCalls, importEntry],
        [module.mainCalls, mainEntry],
      ] as const) {
        for (const call of calls) {
          const target = this.resolveCall(module, call);
          if (!target || (entry.contained && target.module !== module)) continue;
          if (call.edge === 'route') {
            if (entry.kind !== 'not-served') visit(target, routeWitness(call, module, target.fn));
            continue;
          }
          for (const runs of [target, ...this.overridesOf(target)]) {
            const kind = transform(entry.kind, call.edge, runs.fn);
            if (kind) visit(runs, { kind, entry, steps: [step(top.caller, call, module)], ...(runs !== target && { dispatched: true }) });
          }
        }
      }
    }
    for (const module of this.modules.values()) {
      for (const worker of module.workerScripts ?? []) {
        const script = this.scriptModule(module, worker.script);
        if (!script) continue;
        const entry: EntryPoint = { kind: 'worker-thread', label: `worker script of \`${worker.pool}\``, path: module.path, range: worker.range };
        // The pool calls what the script exports; each top-level function is a way in.
        for (const fn of script.functions) if (!fn.parent) visit({ module: script, fn }, { kind: 'worker-thread', entry, steps: [] });
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const { node, witness } = queue[head]!;
      const caller = node.fn.name;
      for (const call of node.fn.calls) {
        const phase = witness.kind === 'startup' || witness.kind === 'shutdown' ? witness.kind : undefined;
        if (node.fn.lifespan && phase && witness.steps.length === 0 && (phase === 'shutdown') !== (call.afterYield === true)) continue;
        if (call.edge === 'validates') {
          // Only a handler's own parameters are parsed from the request; a helper's are the caller's values.
          const parses = witness.steps.length === 0 && witness.entry.parsesRequest === true;
          for (const validator of parses ? this.validatorsOf(call.callee ?? '') : []) {
            const kind = transform(witness.kind, call.edge, validator.fn);
            if (kind) visit(validator, { kind, entry: witness.entry, steps: [...witness.steps, step(caller, call, node.module)] });
          }
          continue;
        }
        const target = this.resolveCall(node.module, call, node.fn);
        if (!target || (witness.entry.contained && target.module !== node.module)) continue;
        // A coroutine function called from sync code only makes a coroutine: nothing runs it here.
        if (call.edge === 'inline' && !node.fn.isAsync && target.fn.isAsync && node.module.language === 'python') continue;
        if (call.edge === 'route') {
          if (witness.kind !== 'not-served') visit(target, routeWitness(call, node.module, target.fn));
          continue;
        }
        for (const runs of [target, ...this.overridesOf(target)]) {
          const kind = transform(witness.kind, call.edge, runs.fn);
          const dispatched = witness.dispatched === true || runs !== target;
          if (kind) visit(runs, { kind, entry: witness.entry, steps: [...witness.steps, step(caller, call, node.module)], ...(dispatched && { dispatched: true }) });
        }
      }
      for (const child of this.children.get(node.fn) ?? []) {
        const kind = child.passedTo ? transform(witness.kind, child.passedTo, child) : witness.kind;
        if (kind) visit({ module: node.module, fn: child }, { kind, entry: witness.entry, steps: witness.steps, ...(witness.dispatched && { dispatched: true }) });
      }
    }
  }

  /**
   * The methods that override a method in the project's subclasses of its class, at any depth: a
   * call of the base's method (`funding_source.pay_invoice()` where `funding_source: Wallet`) may
   * run any of them.
   */
  private overridesOf(target: Node): Node[] {
    const dot = target.fn.name.lastIndexOf('.');
    const className = target.fn.name.slice(0, dot);
    if (dot <= 0 || target.fn.parent || !target.module.classes[className]) return [];
    const method = target.fn.name.slice(dot + 1);
    this.subclasses ??= this.indexSubclasses();
    const found: Node[] = [];
    const seen = new Set<string>();
    const pending = [`${target.module.moduleName}:${className}`];
    for (let key = pending.pop(); key !== undefined && seen.size < MAX_SUBCLASSES; key = pending.pop()) {
      if (seen.has(key)) continue;
      seen.add(key);
      for (const subclass of this.subclasses.get(key) ?? []) {
        const fn = this.byName.get(subclass.module.moduleName)?.get(`${subclass.name}.${method}`);
        if (fn) found.push({ module: subclass.module, fn });
        pending.push(`${subclass.module.moduleName}:${subclass.name}`);
      }
    }
    return found;
  }

  private indexSubclasses(): Map<string, { module: ContextSummary; name: string }[]> {
    const index = new Map<string, { module: ContextSummary; name: string }[]>();
    for (const module of this.modules.values()) {
      for (const [name, { bases }] of Object.entries(module.classes)) {
        for (const base of bases) {
          const found = this.resolveClass(base);
          if (!found) continue;
          const key = `${found.moduleName}:${found.name}`;
          const subclasses = index.get(key);
          if (subclasses) subclasses.push({ module, name });
          else index.set(key, [{ module, name }]);
        }
      }
    }
    return index;
  }

  /**
   * The project module a worker script's path names: the one whose path ends with the most of the
   * script's last segments (`build/workers/hash.js` → `src/workers/hash.ts`), the nearest to the
   * module that starts it when several do; none when that leaves a tie.
   */
  private scriptModule(from: ContextSummary, script: string): ContextSummary | undefined {
    const segments = script.replace(/\.[cm]?[jt]s$/, '').split('/').filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
    const paths = [...this.modules.values()].map((module) => ({ module, stem: module.path.replace(/\\/g, '/').replace(/\.[cm]?[jt]sx?$/, '') }));
    for (let length = Math.min(3, segments.length); length > 0; length--) {
      const tail = `/${segments.slice(-length).join('/')}`;
      const candidates = paths.filter(({ stem }) => stem.endsWith(tail)).map(({ module }) => module);
      if (candidates.length === 0) continue;
      const near = (module: ContextSummary) => sharedPrefix(module.path, from.path);
      const best = Math.max(...candidates.map(near));
      const nearest = candidates.filter((module) => near(module) === best);
      return nearest.length === 1 ? nearest[0] : undefined;
    }
    return undefined;
  }

  /** The validators of a project model class and of its bases: what building one of its models runs. */
  private validatorsOf(path: string, depth = 0): Node[] {
    const found = depth <= MAX_BASES ? this.resolveClass(path) : undefined;
    const module = found && this.modules.get(found.moduleName);
    if (!found || !module) return [];
    const own = module.functions.filter((fn) => fn.validator && fn.name.startsWith(`${found.name}.`)).map((fn) => ({ module, fn }));
    return [...own, ...(module.classes[found.name]?.bases ?? []).flatMap((base) => this.validatorsOf(base, depth + 1))];
  }

  /** Names of unresolved calls made by code the model does not place only outside the server. */
  private collectUnresolvedNames(): void {
    for (const module of this.modules.values()) {
      for (const fn of module.functions) {
        const known = this.witnesses.get(fn);
        if (known && known.size > 0 && [...known.keys()].every((kind) => kind === 'not-served')) continue;
        for (const call of fn.calls) if (call.edge !== 'validates' && !this.resolveCall(module, call, fn)) this.unresolvedNames.add(lastSegment(call.text));
      }
      if (module.role?.kind !== 'not-served') for (const call of module.importCalls) if (!this.resolveCall(module, call)) this.unresolvedNames.add(lastSegment(call.text));
    }
  }

  /** The project function a call (or a function reference) runs, if the model can tell. */
  private resolveCall(module: ContextSummary, call: ContextCall, caller?: ContextFunction): Node | undefined {
    if (call.callee) {
      const found = this.resolve(call.callee);
      if (found) return found;
    }
    // A nested function handed over by its local name: `def work(): …; await to_thread(work)`.
    const nested = caller && /^\w+$/.test(call.text) ? this.nestedByName.get(caller)?.get(call.text) : undefined;
    if (nested) return { module, fn: nested };
    return undefined;
  }

  private resolve(callee: string): Node | undefined {
    if (!this.resolved.has(callee)) {
      const found = remembered(this.resolutions.callees, callee, () => this.resolver.resolve(callee));
      this.resolved.set(callee, found && { module: this.modules.get(found.moduleName)!, fn: this.byName.get(found.moduleName)!.get(found.name)! });
    }
    return this.resolved.get(callee);
  }

  private resolveClass(path: string): Found | undefined {
    return remembered(this.resolutions.classes, path, () => this.resolver.resolveClass(path));
  }
}

/**
 * The context a callee runs in, given its caller's and how it is called; undefined when the call
 * does not run it (a coroutine created in sync code and not handed to anything).
 */
function transform(kind: ContextKind, edge: EdgeKind, callee: ContextFunction): ContextKind | undefined {
  if (kind === 'not-served') return 'not-served';
  switch (edge) {
    case 'inline':
      return callee.runsOnce ? 'once-per-worker' : kind;
    case 'memo':
      return 'once-per-worker';
    case 'offload':
      return kind === 'request-loop' || kind === 'request-threadpool' ? 'request-threadpool' : 'worker-thread';
    case 'after-response':
      return callee.isAsync ? 'background-loop' : 'request-threadpool';
    case 'task':
      return kind === 'worker-thread' ? 'worker-thread' : 'background-loop';
    case 'thread':
      return 'worker-thread';
    case 'own-loop':
      return kind === 'import' ? 'not-served' : 'worker-thread';
    case 'route':
      return callee.isAsync ? 'request-loop' : 'request-threadpool';
    case 'validates':
      // A handler's request models are built on the loop, before a handler in the threadpool runs.
      return kind === 'request-threadpool' ? 'request-loop' : kind;
  }
}

/** A function registered as a route by a call (`Route("/scrape", scrape)`): an entry point of its own, at the registration. */
function routeWitness(call: ContextCall, module: ContextSummary, fn: ContextFunction): Witness {
  const kind: ContextKind = fn.isAsync ? 'request-loop' : 'request-threadpool';
  const label = call.route ? `route ${call.route}` : `route registered by \`${call.text}\``;
  return { kind, entry: { kind, label, path: module.path, range: call.range, parsesRequest: true }, steps: [] };
}

function step(caller: string, call: ContextCall, module: ContextSummary): WitnessStep {
  return { caller, call: call.text, path: module.path, range: call.range };
}

function firstRange(calls: readonly ContextCall[]): Range {
  return calls[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** What `resolve` finds for a key, found once and kept in `found` (by module and name: another model's functions are other objects). */
function remembered(found: Map<string, Found | undefined>, key: string, resolve: () => Found | undefined): Found | undefined {
  if (found.has(key)) return found.get(key);
  const resolved = resolve();
  const kept = resolved && { moduleName: resolved.moduleName, name: resolved.name };
  found.set(key, kept);
  return kept;
}

/** How many leading characters two paths share. */
function sharedPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length++;
  return length;
}

function lastSegment(text: string): string {
  return text.slice(text.lastIndexOf('.') + 1);
}

import { contextModelOf, type ContextModel } from '../../core/contexts';
import { flowEvents } from '../../core/dataflow';
import type { CallEvent, FlowEvent, FunctionFacts, ModuleFacts, ReturnEvent } from '../../core/facts';
import { projectIndex } from '../../core/project-index';
import { isConstructor } from '../../core/request-reach';
import type { ProjectFacts } from '../../core/rule';
import { RELEASE_METHODS, RESOURCES, resourceCreatedBy, type ResourceKind } from '../catalog/resources';

/**
 * Functions of the project whose every call builds a new client, pool or connection: a function
 * that returns one (`def make_client(): return httpx.AsyncClient()`, a TypeScript builder whose
 * returned closures capture one), and a class whose constructor stores one on the instance
 * (`S3Service.__init__` making boto3 clients). Calling them is creating the resource, wherever the
 * call is: IL302 reports a per-request call of a builder of another module, IL301 a singleton
 * built from a wrapper class whose close method nobody calls.
 */

/** What one module says about the builders it defines: JSON, part of IL301's and IL302's summaries. */
export interface BuilderSummary {
  path: string;
  builders: BuilderEntry[];
  /** Constructors of classes with a method that releases an attribute: built around a client, they own it. */
  closers: string[];
}

export interface BuilderEntry {
  /** The function's id (the constructor's, for a class). */
  fn: string;
  /** As the user names it: `make_client`, `S3Service`. */
  name: string;
  how: 'returned' | 'instance';
  /** The call that makes what it hands out, as written, and its 0-based line. */
  text: string;
  line: number;
  /** The catalog kind's label, when the call creates a resource of the catalog itself. */
  kind?: string;
  /** Otherwise the qualified callee, which may be another builder of the project. */
  callee?: string;
  /** For `instance`: methods of the class that release what the constructor stored. */
  releasedBy?: string[];
}

/** A builder as the project resolves it: what it builds, through which builders, where it is made. */
export interface ResolvedBuilder {
  kind: ResourceKind;
  moduleName: string;
  path: string;
  entry: BuilderEntry;
  /** Where the resource itself is created: the catalog call at the end of the chain. */
  created: { path: string; line: number; text: string };
  /** The builders from this one down to the one that calls the catalog, by name. */
  chain: string[];
}

const BY_LABEL: ReadonlyMap<string, ResourceKind> = new Map(RESOURCES.map((kind) => [kind.label, kind]));

/** A module's nested functions by the id of the function they are defined in, indexed once per module. */
const nestedByModule = new WeakMap<ModuleFacts, ReadonlyMap<string, readonly FunctionFacts[]>>();

function nestedIn(module: ModuleFacts, fn: FunctionFacts): readonly FunctionFacts[] {
  let nested = nestedByModule.get(module);
  if (!nested) {
    const byParent = new Map<string, FunctionFacts[]>();
    for (const child of module.functions) if (child.parent !== undefined) byParent.set(child.parent, [...(byParent.get(child.parent) ?? []), child]);
    nestedByModule.set(module, (nested = byParent));
  }
  return nested.get(fn.id) ?? [];
}

/** A function's return events, once per function: every call of every function is asked whether it is returned. */
function returnsOf(fn: FunctionFacts): readonly ReturnEvent[] {
  let returns = returnsByFunction.get(fn);
  if (!returns) returnsByFunction.set(fn, (returns = flowEvents(fn.flow).filter((event): event is ReturnEvent => event.kind === 'return')));
  return returns;
}

const returnsByFunction = new WeakMap<FunctionFacts, readonly ReturnEvent[]>();

function methodOf(call: CallEvent): string {
  return call.text.slice(call.text.lastIndexOf('.') + 1);
}

/** The local names a call's result is bound to, followed through plain copies. */
export function localNamesOf(call: CallEvent, events: readonly FlowEvent[]): Set<string> {
  const names = new Set((call.boundTo ?? []).filter((holder) => holder.kind === 'local').map((holder) => holder.key));
  for (const event of events) {
    if (event.kind !== 'bind' || names.has(event.name)) continue;
    if (event.value.calls?.includes(call.id) || (!event.value.computed && event.value.locals.some((name) => names.has(name)))) names.add(event.name);
  }
  return names;
}

/**
 * Whether a function hands what a call makes to its caller: returns it (directly, through a
 * local, or inside closures that capture it), or, for a constructor, keeps it on the instance.
 */
export function handedOut(module: ModuleFacts, fn: FunctionFacts, call: CallEvent): 'returned' | 'instance' | undefined {
  if (isConstructor(fn) && instanceHolders(call).length > 0) return 'instance';
  if (call.usage === 'returned') return 'returned';
  const direct = call.usage === 'awaited' || call.usage === 'assigned';
  // Only a return of this call, or of locals alone, can hand its result out.
  const returns = returnsOf(fn).filter((event) => (direct && event.value.calls?.includes(call.id)) || ((event.value.calls ?? []).length === 0 && event.value.locals.length > 0));
  if (returns.length === 0) return undefined;
  const events = flowEvents(fn.flow);
  const locals = localNamesOf(call, events);
  // Kept in shared state as well (`_clients[key] = client; return client`): a cache, not a builder.
  if ((call.boundTo ?? []).some((holder) => holder.kind !== 'local') || events.some((event) => event.kind === 'write' && event.value.locals.some((name) => locals.has(name)))) {
    return undefined;
  }
  const capturing = new Set(
    nestedIn(module, fn)
      .filter((child) => flowEvents(child.flow).some((event) => event.kind === 'local-read' && locals.has(event.name)))
      .map((child) => child.name),
  );
  for (const event of returns) {
    // `return await create_pool()`; not `return sessionmaker(bind=engine or make_engine())`.
    if (direct && event.value.calls?.includes(call.id)) return 'returned';
    // `return client` or `return { uploadFile }`, not `return await client.get(url)`.
    if ((event.value.calls ?? []).length === 0 && event.value.locals.some((name) => locals.has(name) || capturing.has(name))) return 'returned';
  }
  return undefined;
}

/** Where a constructor keeps a call's result on the instance (`self.client`, `this.pool`; a singleton's instance state is keyed by its name). */
function instanceHolders(call: CallEvent): string[] {
  return (call.boundTo ?? []).filter((holder) => holder.kind !== 'local' && /^(self|this)\./.test(holder.text)).map((holder) => holder.key);
}

/** Methods of the constructor's class that release an attribute the constructor stored. */
function releasingMethods(module: ModuleFacts, constructor: FunctionFacts, call: CallEvent): string[] {
  const keys = new Set(instanceHolders(call));
  return module.functions
    .filter((fn) => fn.className === constructor.className && !fn.parent && fn !== constructor)
    .filter((fn) =>
      flowEvents(fn.flow).some(
        (event) => event.kind === 'call' && event.receiver !== undefined && keys.has(event.receiver.key) && RELEASE_METHODS.has(methodOf(event)),
      ),
    )
    .map((fn) => fn.name);
}

/** The builders a module defines, from its facts alone. */
export function summarizeBuilders(module: ModuleFacts): BuilderSummary {
  const builders: BuilderEntry[] = [];
  for (const fn of module.functions) {
    for (const event of flowEvents(fn.flow)) {
      if (event.kind !== 'call' || !event.callee) continue;
      const how = handedOut(module, fn, event);
      if (!how) continue;
      const kind = resourceCreatedBy(event.callee);
      const name = how === 'instance' && fn.className ? fn.className : fn.qualifiedName;
      builders.push({
        fn: fn.id,
        name,
        how,
        text: event.text,
        line: event.range.start.line,
        ...(kind ? { kind: kind.label } : { callee: event.callee }),
        ...(how === 'instance' && { releasedBy: releasingMethods(module, fn, event) }),
      });
    }
  }
  const closing = new Set(
    module.functions
      .filter((fn) => fn.className && !fn.parent && flowEvents(fn.flow).some((event) => event.kind === 'call' && /^(self|this)\./.test(event.receiver?.text ?? '') && RELEASE_METHODS.has(methodOf(event))))
      .map((fn) => fn.className!),
  );
  const closers = module.functions.filter((fn) => isConstructor(fn) && !fn.parent && closing.has(fn.className!)).map((fn) => fn.id);
  return { path: module.path, builders, closers };
}

export function isBuilderSummary(value: unknown): value is BuilderSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as BuilderSummary).builders);
}

function key(moduleName: string, functionId: string): string {
  return `${moduleName}#${functionId}`;
}

/**
 * Every builder of the project, resolved: those that call the catalog directly first, then those
 * that hand out what another builder makes, until nothing changes (each pass resolves a longer
 * chain, so the passes are bounded by the longest chain).
 */
function resolveBuilders(summaries: ReadonlyMap<string, BuilderSummary>, model: ContextModel): Map<string, ResolvedBuilder> {
  const resolved = new Map<string, ResolvedBuilder>();
  // Hands out what a project function makes: resolved once, then looked up on each pass.
  const pending: { at: string; target: string; moduleName: string; path: string; entry: BuilderEntry }[] = [];
  for (const [moduleName, summary] of summaries) {
    for (const entry of summary.builders) {
      const kind = entry.kind ? BY_LABEL.get(entry.kind) : undefined;
      const at = key(moduleName, entry.fn);
      if (kind) {
        if (!resolved.has(at)) resolved.set(at, { kind, moduleName, path: summary.path, entry, created: { path: summary.path, line: entry.line, text: entry.text }, chain: [entry.name] });
        continue;
      }
      const target = entry.callee ? model.functionCalled(entry.callee) : undefined;
      if (target) pending.push({ at, target: key(target.moduleName, target.functionId), moduleName, path: summary.path, entry });
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const { at, target, moduleName, path, entry } of pending) {
      const inner = resolved.has(at) ? undefined : resolved.get(target);
      if (!inner) continue;
      resolved.set(at, { kind: inner.kind, moduleName, path, entry, created: inner.created, chain: [entry.name, ...inner.chain] });
      changed = true;
    }
  }
  return resolved;
}

/** Looks up the builder a qualified callee runs, for a module being checked. */
export type BuilderLookup = (callee: string | undefined) => ResolvedBuilder | undefined;

/**
 * The project's builders as seen from one module. The summaries are the given rule's (IL301 and
 * IL302 both summarise builders); a module the project has no summary of is summarised here.
 */
export function buildersFor(project: ProjectFacts, module: ModuleFacts, code: string): BuilderLookup {
  const model = contextModelOf(project, module);
  const stored = project.summaries?.get(code);
  const own = (summaries: ReadonlyMap<string, unknown>) => {
    const builders = new Map<string, BuilderSummary>();
    for (const [name, summary] of summaries) {
      const part = typeof summary === 'object' && summary !== null ? (summary as { builders?: unknown }).builders : undefined;
      if (isBuilderSummary(part)) builders.set(name, part);
    }
    return builders;
  };
  const resolved = stored?.has(module.moduleName)
    ? projectIndex(project, `${code}:builders`, () => resolveBuilders(own(stored), model))
    : resolveBuilders(new Map([...own(stored ?? new Map()), [module.moduleName, summarizeBuilders(module)]]), model);
  return (callee) => {
    if (!callee) return undefined;
    const target = model.functionCalled(callee);
    return target && resolved.get(key(target.moduleName, target.functionId));
  };
}

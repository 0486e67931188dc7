import type { FunctionFacts, Language, ModuleFacts, Position, Range, StateDefinition } from '../facts';
import { positionWithin, sameRange } from '../positions';
import { sourceLines } from '../source-lines';
import type { WorkerSetting } from '../hazard';
import type { ProjectFacts } from '../rule';
import type { Witness } from './kinds';
import type { ContextModel } from './model';
import { MEMO_DECORATORS, type ContextFunction, type ContextSummary } from './summary';

/**
 * Which code the editor annotates with where it runs, besides module state that code mutates: the
 * entry points (route handlers, dependencies, lifespans, hooks, commands, memoised functions), or
 * every function.
 */
export type AnnotationScope = 'handlers' | 'all';

/** Where one function, piece of module state or module's top-level code runs, for the lens, hover and panel. */
export interface ContextAnnotation {
  kind: 'function' | 'state' | 'module';
  /** As a message names it, code in backticks: `` `dashboard` ``, `` `RequestCounter.count` ``, `the GET /dashboard handler`, `` module `app.main` ``. */
  subject: string;
  /** The line the lens sits above: the first decorator's, else the definition's. */
  anchor: Range;
  /** The name: where the hover answers. */
  range: Range;
  witnesses: Witness[];
  /** How a memoised function is memoised, as written: `@lru_cache`. */
  memo?: string;
}

/** Code the editor annotates, with the narrowest scope that annotates it: `handlers` for entry points and module state. */
export interface ScopedAnnotation extends ContextAnnotation {
  scope: AnnotationScope;
}

/** Containers a module-level name can hold that code then fills: application state unless proven otherwise. */
const MUTABLE_VALUES = /^(dict|list|set|collections\.(defaultdict|OrderedDict|deque|Counter)\(\)|Map\(\)|Set\(\)|Array|object)$/;

const START: Position = { line: 0, character: 0 };

/** The code of a module the editor annotates under a scope, in source order. */
export function contextAnnotations(module: ModuleFacts, model: ContextModel, scope: AnnotationScope): ScopedAnnotation[] {
  const summary = model.summaryOf(module.moduleName);
  const functions = new Map(summary?.functions.map((fn) => [fn.id, fn]));
  const annotations: ScopedAnnotation[] = [];
  for (const fn of module.functions) {
    const context = functions.get(fn.id);
    const entry = context && summary && startsContext(summary, context);
    if (scope === 'all' || entry) annotations.push({ ...functionAnnotation(module, model, fn, context), scope: entry ? 'handlers' : 'all' });
  }
  const written = writtenState(module);
  for (const state of moduleState(module)) {
    if (written(state) || MUTABLE_VALUES.test(state.valueKind ?? '')) annotations.push({ ...stateAnnotation(module, model, state), scope: 'handlers' });
  }
  return annotations.sort((a, b) => a.anchor.start.line - b.anchor.start.line || a.anchor.start.character - b.anchor.start.character);
}

/**
 * What runs at a position, whatever the scope: the innermost function around it, else the module
 * state defined there, else the module's top-level code.
 */
export function contextAnnotationAt(module: ModuleFacts, model: ContextModel, position: Position): ContextAnnotation {
  let innermost: FunctionFacts | undefined;
  for (const fn of module.functions) {
    if (!positionWithin(position, fn.range) && !fn.decoratorRanges.some((range) => positionWithin(position, range))) continue;
    if (!innermost || positionWithin(fn.range.start, innermost.range)) innermost = fn;
  }
  if (innermost) {
    const context = model.summaryOf(module.moduleName)?.functions.find((fn) => fn.id === innermost.id);
    return functionAnnotation(module, model, innermost, context);
  }
  const state = moduleState(module).find((definition) => positionWithin(position, definition.range));
  if (state) return stateAnnotation(module, model, state);
  const whole = { start: START, end: START };
  return { kind: 'module', subject: `module \`${module.moduleName}\``, anchor: whole, range: whole, witnesses: model.moduleContextsOf(module.moduleName) };
}

/** The worker count that speaks for a module's language, as the rules read it. */
export function workersFor(project: ProjectFacts, language: Language): WorkerSetting | undefined {
  return project.workersByLanguage ? project.workersByLanguage[language] : project.workers;
}

/** A value read from the environment or a settings loader: `os.environ["KEY"]`, `os.getenv(…)`, `Settings()`, `process.env.KEY`. */
const SETTINGS_READ = /\b(os\.environ|os\.getenv|getenv\(|environ\.get\(|process\.env\b|[Ss]ettings\(|get_settings\(|config\(|load_dotenv)/;

/**
 * What the lens adds to module state and a module's top-level code beyond where it runs: a server
 * started with `--reload` runs the import again on every change (the state starts over), and a
 * setting read once at import and written later changes only this worker's copy.
 */
export function moduleNotes(module: ModuleFacts, project: ProjectFacts, annotation: ContextAnnotation): string[] {
  if (annotation.kind === 'function') return [];
  const notes: string[] = [];
  const reload = reloadingServer(project);
  if (reload) notes.push(`re-run on every \`--reload\` · ${reload}`);
  if (annotation.kind === 'state') {
    const line = sourceLines(module)[annotation.range.start.line] ?? '';
    if (SETTINGS_READ.test(line.slice(line.indexOf('=') + 1)) && writtenState(module)({ root: annotation.subject.replace(/`/g, ''), scope: 'module', range: annotation.range })) {
      notes.push('read once at import, written later: each worker changes its own copy, and the environment is not read again');
    }
  }
  return notes;
}

/** The deployment line that starts a server with `--reload`, as `Dockerfile.dev:3`; undefined when none does. */
function reloadingServer(project: ProjectFacts): string | undefined {
  for (const file of project.deployment ?? []) {
    const command = file.facts.commands.find((candidate) => candidate.reload);
    if (command) return `${file.path.replace(/^.*[\\/]/, '')}:${command.line + 1}`;
  }
  return undefined;
}

/** A function the framework, a decorator or a base class starts (not merely one in a test or script file), or that runs once. */
function startsContext(summary: ContextSummary, fn: ContextFunction): boolean {
  const role = summary.role;
  return fn.runsOnce === true || fn.entries.some((entry) => !role || entry.kind !== role.kind || entry.label !== role.label);
}

function functionAnnotation(module: ModuleFacts, model: ContextModel, fn: FunctionFacts, context: ContextFunction | undefined): ContextAnnotation {
  const witnesses = model.contextsOf(module.moduleName, fn.id).witnesses;
  const memo = context?.runsOnce ? fn.decorators.find((decorator) => MEMO_DECORATORS.test(decorator)) : undefined;
  return {
    kind: 'function',
    subject: functionSubject(fn, witnesses),
    anchor: fn.decoratorRanges[0] ?? fn.nameRange,
    range: fn.nameRange,
    witnesses: memo ? bodyOnceServed(witnesses) : witnesses,
    ...(memo && { memo: `@${memo.slice(memo.lastIndexOf('.') + 1)}` }),
  };
}

/**
 * A memoised function's body runs once per worker however the server calls it (a dependency
 * FastAPI calls per request included): where served, the shortest way in says so once.
 */
function bodyOnceServed(witnesses: readonly Witness[]): Witness[] {
  const served = witnesses.filter((witness) => witness.kind !== 'not-served');
  const shortest = served.reduce<Witness | undefined>((best, witness) => (!best || witness.steps.length < best.steps.length ? witness : best), undefined);
  return [...(shortest ? [{ ...shortest, kind: 'once-per-worker' as const }] : []), ...witnesses.filter((witness) => witness.kind === 'not-served')];
}

/** `` `dashboard` ``; an anonymous route handler by what it serves: `the GET /dashboard handler`. */
function functionSubject(fn: FunctionFacts, witnesses: readonly Witness[]): string {
  if (fn.name !== '<anonymous>') return `\`${fn.qualifiedName}\``;
  const route = witnesses.find((witness) => witness.steps.length === 0 && sameRange(witness.entry.range, fn.nameRange) && !witness.entry.label.includes('`'));
  return route ? `the ${route.entry.label} handler` : `the function at line ${fn.range.start.line + 1}`;
}

function stateAnnotation(module: ModuleFacts, model: ContextModel, state: StateDefinition): ContextAnnotation {
  return { kind: 'state', subject: `\`${state.root}\``, anchor: state.range, range: state.range, witnesses: model.moduleContextsOf(module.moduleName) };
}

/** Module-level names, class attributes and singletons, each once, locks left out: they are meant to be shared. */
function moduleState(module: ModuleFacts): StateDefinition[] {
  const locks = new Set(module.locks.map((lock) => lock.name));
  const seen = new Set<string>();
  return module.state.filter((state) => {
    const key = `${state.root}@${state.range.start.line}:${state.range.start.character}`;
    if (state.scope === 'app-state' || locks.has(state.root) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether a function of the module writes to a piece of state (or to anything inside it). */
function writtenState(module: ModuleFacts): (state: StateDefinition) => boolean {
  const keys: string[] = [];
  for (const fn of module.functions) {
    for (const block of fn.flow.blocks) for (const event of block.events) if (event.kind === 'write' && event.state.scope !== 'app-state') keys.push(event.state.key);
  }
  return (state) => keys.some((key) => key === state.root || key.startsWith(`${state.root}.`) || key.startsWith(`${state.root}[`));
}

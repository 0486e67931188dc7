import type { CallEvent, FieldReadEvent, FieldWriteEvent, FlowEvent, FunctionFacts, ModuleFacts, Range } from '../../core/facts';
import { flowEvents } from '../../core/dataflow';
import { atOrBefore } from '../../core/positions';
import { callsOf } from '../../core/request-reach';
import { sourceLines } from '../../core/source-lines';
import { projectIndex } from '../../core/project-index';
import type { ProjectFacts } from '../../core/rule';
import { eventsById, originCalls, valueOrigins, type Origins } from '../../core/value-origins';
import { carriesValueThrough, locksRows, mapsRelationship, mapsVersionColumn, methodOf, ormFlavourOf, queriedModel, readsStore, takesOneRow, type OrmFlavour } from '../catalog/orm';

/**
 * How IL105 sees database rows: which values are rows loaded by an ORM query, whether the query
 * locked them, and which model classes map a version column, across the project's modules.
 */

/** A row an ORM query loaded. */
export interface RowLoad {
  flavour: OrmFlavour;
  /** The model class, qualified (`app.db.Product`), when the query names it. */
  model?: string;
  /** The model as the query writes it, for messages. */
  modelText?: string;
  /** The query asked the database to lock the row (`with_for_update`, `select_for_update`). */
  locked: boolean;
  /** The call that produced the row here: the ORM call, or a project function that returns a row. */
  site: CallEvent;
  /** For a row reached through another's collection (`for role in participant.roles`): the local holding that row. */
  parent?: string;
}

/** What other modules need to know about this one. */
export interface RowLoadSummary {
  /** Functions returning a row they load, by qualified name within the module: `get_account`, `Repo.get`. */
  loaders: Record<string, Omit<RowLoad, 'site'>>;
  /** Classes by name: their qualified bases, whether they map a version column themselves, and their relationships. */
  classes: Record<string, { bases: string[]; versioned: boolean; relationships?: string[] }>;
  /** A session dependency that commits after the request (`yield session` then `commit()`), by name and where it commits. */
  unitOfWork?: { name: string; path: string; range: Range };
}

function isSummary(value: unknown): value is RowLoadSummary {
  return typeof value === 'object' && value !== null && 'loaders' in value && 'classes' in value;
}

/** The qualified name a model written in this module refers to: through imports, or a class of its own. */
function qualifyModel(module: ModuleFacts, written: string): string {
  const [head, ...rest] = written.split('.');
  const imported = module.imports.find((fact) => fact.local === head)?.target;
  if (imported) return [imported, ...rest].join('.');
  return module.classes.some((info) => info.name === head) ? `${module.moduleName}.${written}` : written;
}

/** Finds the project function a qualified callee names, among the modules summarised. */
type LoaderLookup = (callee: string) => Omit<RowLoad, 'site'> | undefined;

/** Where the object of a field read came from, for rows reached through another row. */
type ObjectOrigins = (event: FieldReadEvent) => Origins | undefined;

/**
 * The row a value is, when its origins (stopping at field reads) include an ORM query for one row,
 * a project function returning one, a read through the application's repository layer, or, for a
 * loop variable, a collection of a loaded row (`for role in participant.roles`).
 */
export function rowLoadOf(
  origins: Origins,
  events: ReadonlyMap<number, FlowEvent>,
  module: ModuleFacts,
  loaders: LoaderLookup,
  objectOrigins?: ObjectOrigins,
  depth = 0,
): RowLoad | undefined {
  const calls = originCalls(origins, events);
  const query = calls.find((call) => ormFlavourOf(call) !== undefined);
  const flavour = query && ormFlavourOf(query);
  // One row taken from the query, or each row of it in turn (a loop variable).
  const iterated = [...origins.events.keys()].some((id) => events.get(id)?.kind === 'iterate');
  const site = flavour && (calls.find((call) => takesOneRow(call, flavour)) ?? (iterated ? query : undefined));
  if (flavour && site) {
    const modelText = calls.map(queriedModel).find((found) => found !== undefined);
    return {
      flavour,
      ...(modelText && { model: qualifyModel(module, modelText), modelText }),
      locked: calls.some(locksRows),
      site,
    };
  }
  for (const call of calls) {
    const loaded = call.callee ? loaders(call.callee) : undefined;
    if (loaded) return { ...loaded, ...(!loaded.model && modelOfClassCall(module, call)), site: call };
  }
  const stored = calls.find(readsStore);
  if (stored) return { flavour: 'store', locked: calls.some(locksRows), site: stored };
  if (!iterated || !objectOrigins || depth > 1) return undefined;
  for (const id of origins.events.keys()) {
    const event = events.get(id);
    const parent = event?.kind === 'field-read' ? objectOrigins(event) : undefined;
    const load = parent && rowLoadOf(parent, events, module, loaders, objectOrigins, depth + 1);
    if (load) return { flavour: load.flavour, locked: load.locked, site: load.site, parent: (event as FieldReadEvent).object };
  }
  return undefined;
}

/**
 * Whether the function binds the local to an object it builds (`checkout = Checkout(product=p)`,
 * `grant = Grant(...)` when none was found): a new object, whatever rows it is built from, is
 * inserted, not updated.
 */
export function bindsNewObject(fn: FunctionFacts, name: string, events: ReadonlyMap<number, FlowEvent>): boolean {
  return fn.flow.blocks.some((block) =>
    block.events.some((event) => event.kind === 'bind' && event.name === name && (event.value.calls ?? []).some((id) => constructs(events.get(id)))),
  );
}

/** A class instantiated: by the capitalised name it calls. */
function constructs(event: FlowEvent | undefined): boolean {
  if (event?.kind !== 'call' || event.argumentOf) return false;
  const name = event.text.slice(event.text.lastIndexOf('.') + 1);
  return /^[A-Z]/.test(name) && /[a-z]/.test(name);
}

/** `Group.read_async(…)`: a loader inherited by a model class loads a row of that class. */
function modelOfClassCall(module: ModuleFacts, call: CallEvent): Pick<RowLoad, 'model' | 'modelText'> {
  const owner = /^([A-Z]\w*)\.\w+$/.exec(call.text)?.[1];
  return owner ? { model: qualifyModel(module, owner), modelText: owner } : {};
}

/**
 * Whether a field write stores a value computed from the same field of the same object, by
 * operators, conversions or methods that combine it with something (`x.f + n`, `max(0, x.f - n)`,
 * `x.tags.union(t)`) — not through a function that only takes it as an input (a password rehash,
 * `verify(pw, x.hash)`) or a normalisation of it alone (`x.name.strip()`): two racing requests
 * then write the same value, and nothing is lost.
 */
export function derivesFromOwnField(
  write: FieldWriteEvent,
  origins: Origins,
  events: ReadonlyMap<number, FlowEvent>,
  originsOf: (event: FlowEvent) => Origins | undefined,
  writes: readonly FieldWriteEvent[] = [],
): boolean {
  if (write.op === 'augmented') return true;
  // A read after the function itself set the field (`c.net = c.amount - c.discount`, then
  // `c.net = c.net - tax`) sees the value it computed, not the row's stale one.
  const setEarlier = (read: FieldReadEvent) =>
    writes.some((other) => other !== write && other.object === write.object && other.field === write.field && atOrBefore(other.range.end, read.range.start));
  const opaque = [...origins.events.keys()].flatMap((id) => {
    const event = events.get(id);
    return event?.kind === 'call' && !carriesValueThrough(event, `${write.object}.${write.field}`) ? [event] : [];
  });
  for (const [id, computed] of origins.events) {
    const event = events.get(id);
    if (!computed || event?.kind !== 'field-read' || event.object !== write.object || event.field !== write.field || setEarlier(event)) continue;
    if (!opaque.some((call) => originsOf(call)?.events.has(id))) return true;
  }
  return false;
}

/** The module's own functions by the name other modules' summaries use: `get_account`, `Repo.get`. */
function summaryName(fn: FunctionFacts): string | undefined {
  if (fn.parent || fn.isLambda) return undefined;
  return fn.className ? `${fn.className}.${fn.name}` : fn.name;
}

/**
 * Functions returning a row they load, found in rounds so that a helper returning another
 * helper's row counts too.
 */
function moduleLoaders(module: ModuleFacts, external: LoaderLookup): Record<string, Omit<RowLoad, 'site'>> {
  const loaders: Record<string, Omit<RowLoad, 'site'>> = {};
  const own = (callee: string): Omit<RowLoad, 'site'> | undefined => {
    const prefix = `${module.moduleName}.`;
    if (!callee.startsWith(prefix)) return external(callee);
    const name = callee.slice(prefix.length).replace(/\(\)\./, '.');
    return loaders[name];
  };
  for (let round = 0; round < 3; round++) {
    let found = false;
    for (const fn of module.functions) {
      const name = summaryName(fn);
      if (!name || loaders[name] || !mayReturnRow(fn, own)) continue;
      const origins = valueOrigins(fn, 'stopAtFields');
      const events = eventsById(fn);
      for (const block of fn.flow.blocks) {
        for (const event of block.events) {
          // Returns in unreachable code have no origins.
          const returned = event.kind === 'return' && !loaders[name] ? origins.get(event)?.value : undefined;
          const load = returned && rowLoadOf(returned, events, module, own);
          if (load) {
            loaders[name] = { flavour: load.flavour, locked: load.locked, ...(load.model && { model: load.model, modelText: load.modelText }) };
            found = true;
          }
        }
      }
    }
    if (!found) break;
  }
  return loaders;
}

/**
 * Whether a function returns a value and makes a call a row can come from (an ORM query, a store
 * read, a loader): what a returned row derives from is one of its own calls. Most functions make
 * none, and tracing their values' origins would find nothing.
 */
function mayReturnRow(fn: FunctionFacts, loaders: LoaderLookup): boolean {
  const { returns, loadsRows, callees } = rowCallsOf(fn.flow);
  return returns && (loadsRows || callees.some((callee) => loaders(callee) !== undefined));
}

/** Of a flow graph: whether it returns, whether a call of its loads rows itself, and what its other calls name, to ask of the loaders found so far. */
interface RowCalls {
  returns: boolean;
  loadsRows: boolean;
  callees: string[];
}

/** Per flow graph, which never changes once built: the language server keeps unchanged functions' graphs keystroke after keystroke. */
const rowCallsByFlow = new WeakMap<FunctionFacts['flow'], RowCalls>();

function rowCallsOf(flow: FunctionFacts['flow']): RowCalls {
  let found = rowCallsByFlow.get(flow);
  if (!found) {
    const events = flowEvents(flow);
    found = {
      returns: events.some((event) => event.kind === 'return'),
      loadsRows: events.some((event) => event.kind === 'call' && (ormFlavourOf(event) !== undefined || readsStore(event))),
      callees: events.flatMap((event) => (event.kind === 'call' && event.callee !== undefined ? [event.callee] : [])),
    };
    rowCallsByFlow.set(flow, found);
  }
  return found;
}

/**
 * A generator that hands out a session and commits it once the request is done: `yield session`
 * followed by `session.commit()`. Every row its sessions load and change is committed then.
 */
function unitOfWork(module: ModuleFacts): RowLoadSummary['unitOfWork'] {
  const lines = sourceLines(module);
  for (const fn of module.functions) {
    let yieldLine = -1;
    for (let line = fn.range.start.line; line <= fn.range.end.line && yieldLine < 0; line++) if (/^\s*(\w+\s*=\s*)?yield\b/.test(lines[line] ?? '')) yieldLine = line;
    const commit = yieldLine < 0 ? undefined : callsOf(fn).find((call) => methodOf(call) === 'commit' && call.range.start.line > yieldLine);
    if (commit) return { name: fn.name, path: module.path, range: commit.range };
  }
  return undefined;
}

export function summarizeRowLoads(module: ModuleFacts, external: LoaderLookup = () => undefined): RowLoadSummary {
  const classes: RowLoadSummary['classes'] = {};
  for (const info of module.classes) {
    const relationships = (info.attributes ?? []).filter(mapsRelationship).map((attribute) => attribute.name);
    classes[info.name] = { bases: info.bases, versioned: (info.attributes ?? []).some(mapsVersionColumn), ...(relationships.length > 0 && { relationships }) };
  }
  const committing = unitOfWork(module);
  return { loaders: moduleLoaders(module, external), classes, ...(committing && { unitOfWork: committing }) };
}

/** Every module's row summary, in the project's order, with where each module stands in that order. */
interface RowSummaryIndex {
  modules: ReadonlyMap<string, RowLoadSummary>;
  positions: ReadonlyMap<string, number>;
  /** The modules with a unit of work, in the project's order. */
  unitsOfWork: readonly { moduleName: string; position: number; unitOfWork: NonNullable<RowLoadSummary['unitOfWork']> }[];
  /** Every relationship attribute's name, over the project's models. */
  relationships: ReadonlySet<string>;
}

function rowSummaryIndex(project: ProjectFacts, code: string): RowSummaryIndex {
  const modules = new Map<string, RowLoadSummary>();
  const positions = new Map<string, number>();
  const unitsOfWork: RowSummaryIndex['unitsOfWork'][number][] = [];
  const relationships = new Set<string>();
  for (const [moduleName, summary] of project.summaries?.get(code) ?? []) {
    if (!isSummary(summary)) continue;
    positions.set(moduleName, modules.size);
    modules.set(moduleName, summary);
    if (summary.unitOfWork) unitsOfWork.push({ moduleName, position: positions.get(moduleName)!, unitOfWork: summary.unitOfWork });
    for (const info of Object.values(summary.classes)) for (const name of info.relationships ?? []) relationships.add(name);
  }
  return { modules, positions, unitsOfWork, relationships };
}

/**
 * The project's modules as IL105 knows them: other modules' summaries, and this module summarised
 * afresh. The other modules' lookup is built once per project, not once per module checked.
 */
export class ProjectRows {
  private readonly index: RowSummaryIndex;
  /** This module's own summary; until it is made, the project's summary of it stands in. */
  private readonly own: RowLoadSummary;

  constructor(project: ProjectFacts, code: string, readonly module: ModuleFacts) {
    this.index = projectIndex(project, `${code}:row-summaries`, (facts) => rowSummaryIndex(facts, code));
    this.own = summarizeRowLoads(module, (callee) => this.loader(callee));
  }

  /** The row a project function returns, by the qualified callee that calls it; a method may be inherited. */
  loader(callee: string, depth = 0): Omit<RowLoad, 'site'> | undefined {
    const found = this.member(callee.replace(/\(\)\./, '.'));
    if (!found) return undefined;
    const own = found.summary.loaders[found.name];
    if (own || depth > 5) return own;
    const [className, method, ...rest] = found.name.split('.');
    if (!method || rest.length > 0) return undefined;
    for (const base of found.summary.classes[className!]?.bases ?? []) {
      const inherited = this.loader(`${base}.${method}`, depth + 1);
      if (inherited) return inherited;
    }
    return undefined;
  }

  /**
   * Whether a field is a relationship to other rows (`+=` on it re-parents rows, it computes no
   * value): on the model and its bases when the model is known, else on some model of the project.
   */
  relationship(model: string | undefined, field: string, depth = 0): boolean {
    if (model === undefined) return this.index.relationships.has(field) || Object.values(this.own.classes).some((info) => info.relationships?.includes(field));
    const found = this.member(model);
    const info = found?.summary.classes[found.name];
    if (!info || depth > 5) return false;
    return (info.relationships ?? []).includes(field) || info.bases.some((base) => this.relationship(base, field, depth + 1));
  }

  /** A session dependency of the project that commits after each request, if there is one. */
  unitOfWork(): RowLoadSummary['unitOfWork'] {
    const name = this.module.moduleName;
    const others = this.index.unitsOfWork.find((entry) => entry.moduleName !== name);
    const ownPosition = this.index.positions.get(name) ?? Infinity;
    if (this.own.unitOfWork && (!others || ownPosition < others.position)) return this.own.unitOfWork;
    return others?.unitOfWork;
  }

  /** Whether a model class, or a class it inherits from, maps a version column. */
  versioned(model: string, depth = 0): boolean {
    const found = this.member(model);
    const info = found?.summary.classes[found.name];
    if (!info || depth > 5) return false;
    return info.versioned || info.bases.some((base) => this.versioned(base, depth + 1));
  }

  /** Splits `app.crud.get_account` into a summarised module and the name inside it. */
  private member(qualified: string): { summary: RowLoadSummary; name: string } | undefined {
    const parts = qualified.split('.');
    for (let split = parts.length - 1; split >= 1; split--) {
      const moduleName = parts.slice(0, split).join('.');
      // `own` is unset while this module is being summarised.
      const summary = moduleName === this.module.moduleName ? (this.own ?? this.index.modules.get(moduleName)) : this.index.modules.get(moduleName);
      if (summary) return { summary, name: parts.slice(split).join('.') };
    }
    return undefined;
  }
}

import { replayForward, solveForward, type ForwardProblem } from './dataflow';
import type { CallEvent, FlowEvent, FunctionFacts, ValueSource } from './facts';

/**
 * What a value derives from, followed through locals: events (reads, field reads, calls, loops)
 * and free names (parameters, or locals no path to here has bound yet).
 */
export interface Origins {
  /** Event ids, each with whether the value is computed from it (`x + 1`) rather than a copy. */
  events: ReadonlyMap<number, boolean>;
  names: ReadonlySet<string>;
}

/** Origins at one event: of the value it carries, of the object of a field event, of the locals a call is given. */
export interface EventOrigins {
  value: Origins;
  object?: Origins;
  /** For calls: each local passed by name (as an argument or the receiver), by name. */
  passed?: ReadonlyMap<string, Origins>;
}

/** Per local name: origin key (`#12` for an event, `$name` for a free name) → computed. */
type OriginState = Map<string, ReadonlyMap<string, boolean>>;

/**
 * Methods that put their argument into the collection they are called on: after
 * `tasks.append(f(x))`, `tasks` holds what `f(x)` returned (Python and JavaScript spellings).
 */
const COLLECTING_METHODS = new Set(['append', 'extend', 'add', 'insert', 'appendleft', 'extendleft', 'update', 'push', 'unshift', 'set']);

const EMPTY_ORIGINS: Origins = { events: new Map(), names: new Set() };

function withComputed(origins: ReadonlyMap<string, boolean>, computed: boolean): Map<string, boolean> {
  const result = new Map<string, boolean>();
  for (const [key, wasComputed] of origins) result.set(key, wasComputed || computed);
  return result;
}

function union(into: Map<string, boolean>, from: ReadonlyMap<string, boolean>): void {
  for (const [key, computed] of from) into.set(key, (into.get(key) ?? false) || computed);
}

function collectingMethod(text: string): boolean {
  return COLLECTING_METHODS.has(text.slice(text.lastIndexOf('.') + 1));
}

class OriginProblem implements ForwardProblem<OriginState> {
  /** Each loop's collection, as last seen: what its loop variables take elements of. */
  readonly iterated = new Map<number, ReadonlyMap<string, boolean>>();

  /**
   * @param fieldObjects for origins that stop at field reads: the object of each field read by
   * id. `db.get(M, line.product_id)` then derives from the field read, not from how `line` was
   * loaded.
   */
  constructor(private readonly fieldObjects?: ReadonlyMap<number, string>) {}

  initial(): OriginState {
    return new Map();
  }

  copy(state: OriginState): OriginState {
    return new Map(state);
  }

  resolve(state: OriginState, value: ValueSource): Map<string, boolean> {
    const origins = new Map<string, boolean>();
    for (const id of value.reads) origins.set(`#${id}`, value.computed);
    for (const id of value.calls ?? []) origins.set(`#${id}`, true);
    const fieldObjects = this.fieldObjects && value.reads.flatMap((id) => this.fieldObjects!.get(id) ?? []);
    for (const local of value.locals) {
      if (fieldObjects?.includes(local)) continue;
      const bound = state.get(local);
      if (bound) union(origins, withComputed(bound, value.computed));
      else origins.set(`$${local}`, value.computed);
    }
    return origins;
  }

  local(state: OriginState, name: string): ReadonlyMap<string, boolean> {
    return state.get(name) ?? new Map([[`$${name}`, false]]);
  }

  event(state: OriginState, event: FlowEvent): OriginState {
    switch (event.kind) {
      case 'bind': {
        const origins = this.resolve(state, event.value);
        if (event.elementOf !== undefined) {
          origins.set(`#${event.elementOf}`, false);
          union(origins, this.iterated.get(event.elementOf) ?? new Map());
        }
        state.set(event.name, origins);
        return state;
      }
      case 'iterate': {
        const origins = this.resolve(state, event.value);
        union(origins, this.iterated.get(event.id) ?? new Map());
        this.iterated.set(event.id, origins);
        return state;
      }
      case 'call': {
        const collection = event.receiver?.kind === 'local' && !event.receiver.key.includes('.') ? event.receiver.key : undefined;
        if (!collection || !event.inputs || !collectingMethod(event.text)) return state;
        const origins = new Map(this.local(state, collection));
        union(origins, this.resolve(state, event.inputs));
        state.set(collection, origins);
        return state;
      }
      default:
        return state;
    }
  }

  edge(state: OriginState): OriginState {
    return state;
  }

  join(states: readonly OriginState[]): OriginState {
    if (states.length === 1) return states[0]!;
    const result = this.copy(states[0]!);
    for (const state of states.slice(1)) {
      for (const [name, origins] of state) {
        const mine = result.get(name);
        if (!mine) result.set(name, origins);
        else if (mine !== origins) {
          const merged = new Map(mine);
          union(merged, origins);
          result.set(name, merged);
        }
      }
    }
    return result;
  }

  equals(a: OriginState, b: OriginState): boolean {
    if (a.size !== b.size) return false;
    for (const [name, origins] of a) {
      const other = b.get(name);
      if (!other || other.size !== origins.size) return false;
      for (const [key, computed] of origins) if (other.get(key) !== computed) return false;
    }
    return true;
  }
}

function toOrigins(keys: ReadonlyMap<string, boolean>): Origins {
  const events = new Map<number, boolean>();
  const names = new Set<string>();
  for (const [key, computed] of keys) {
    if (key.startsWith('#')) events.set(Number(key.slice(1)), computed);
    else names.add(key.slice(1));
  }
  return { events, names };
}

/** The value an event carries, if it carries one. */
function carriedValue(event: FlowEvent): ValueSource | undefined {
  switch (event.kind) {
    case 'bind':
    case 'write':
    case 'field-write':
    case 'iterate':
    case 'branch':
    case 'return':
      return event.value;
    case 'call':
      return event.inputs;
    default:
      return undefined;
  }
}

const caches = { throughFields: new WeakMap<FunctionFacts, OriginIndex>(), stopAtFields: new WeakMap<FunctionFacts, OriginIndex>() };

type OriginIndex = ReadonlyMap<FlowEvent, EventOrigins>;

/**
 * For every event of a function that carries a value (binds, writes, field writes, loops,
 * branches, returns, and calls for their inputs), where the value comes from on the paths that
 * reach it, and for field reads and writes where the object comes from. With `stopAtFields`, a
 * field read is an origin of its own: what a value read from a row derives from does not include
 * how the row was loaded. Computed once per function and mode.
 */
export function valueOrigins(fn: FunctionFacts, mode: keyof typeof caches = 'throughFields'): OriginIndex {
  const cache = caches[mode];
  const cached = cache.get(fn);
  if (cached) return cached;
  const fieldObjects = new Map<number, string>();
  if (mode === 'stopAtFields') {
    for (const block of fn.flow.blocks) for (const event of block.events) if (event.kind === 'field-read') fieldObjects.set(event.id, event.object);
  }
  const problem = new OriginProblem(mode === 'stopAtFields' ? fieldObjects : undefined);
  const entries = solveForward(fn.flow, problem);
  const found = new Map<FlowEvent, EventOrigins>();
  replayForward(fn.flow, problem, entries, (event, state) => {
    const value = carriedValue(event);
    const object = event.kind === 'field-read' || event.kind === 'field-write' ? toOrigins(problem.local(state, event.object)) : undefined;
    if (!value && !object) return;
    const holders = event.kind === 'call' ? [...(event.arguments ?? []), ...(event.receiver ? [event.receiver] : [])] : [];
    const passed = new Map(holders.flatMap((holder) => (holder.kind === 'local' && !holder.key.includes('.') ? [[holder.key, toOrigins(problem.local(state, holder.key))] as const] : [])));
    found.set(event, {
      value: value ? toOrigins(problem.resolve(state, value)) : EMPTY_ORIGINS,
      ...(object && { object }),
      ...(passed.size > 0 && { passed }),
    });
  });
  cache.set(fn, found);
  return found;
}

/** The calls among a value's origins, in evaluation order. */
export function originCalls(origins: Origins, events: ReadonlyMap<number, FlowEvent>): CallEvent[] {
  const calls: CallEvent[] = [];
  for (const id of origins.events.keys()) {
    const event = events.get(id);
    if (event?.kind === 'call') calls.push(event);
  }
  return calls.sort((a, b) => a.id - b.id);
}

/** Every event of a function by id: what an origin's id refers to. */
export function eventsById(fn: FunctionFacts): ReadonlyMap<number, FlowEvent> {
  const events = new Map<number, FlowEvent>();
  for (const block of fn.flow.blocks) {
    for (const event of block.events) if ('id' in event && typeof event.id === 'number') events.set(event.id, event);
  }
  return events;
}

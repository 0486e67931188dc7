import { replayForward, solveForward, type ForwardProblem } from './dataflow';
import type {
  AwaitEvent,
  BranchEvent,
  FlowBlock,
  FlowEdge,
  FlowEvent,
  FunctionFacts,
  LockKind,
  ReadEvent,
  ValueSource,
  WriteEvent,
} from './facts';

/** A value read from shared state, followed through locals, and whether a suspension has passed since. */
interface Token {
  read: ReadEvent;
  /** The first await passed since the read, on this path. */
  crossed?: AwaitEvent;
  /** The value was computed from the read (`x + 1`), not just copied. */
  computed: boolean;
  /** Lock regions held when the read happened. */
  regions: readonly number[];
}

/** A branch taken on a value read from shared state: code after it relies on that value. */
interface Decision {
  branch: BranchEvent;
  taken: boolean;
  token: Token;
  /** The test only asked whether a key is present. */
  membership: boolean;
  /** The first await passed since the tested value was read. */
  crossed?: AwaitEvent;
}

interface RaceState {
  values: Map<string, Map<string, Token>>;
  held: Map<number, LockKind>;
  decisions: Map<string, Decision>;
}

export interface LostUpdate {
  read: ReadEvent;
  suspend: AwaitEvent;
  write: WriteEvent;
}

export interface StaleDecision {
  check: ReadEvent;
  branch: BranchEvent;
  suspend: AwaitEvent;
  write: WriteEvent;
}

export interface ThreadRace {
  read: ReadEvent;
  write: WriteEvent;
}

export interface RaceFindings {
  lostUpdates: LostUpdate[];
  staleDecisions: StaleDecision[];
  threadRaces: ThreadRace[];
}

const INSERTING_METHODS = new Set(['add', 'append', 'appendleft', 'setdefault', 'update', 'extend', 'insert', '__setitem__', 'set', 'push', 'unshift']);

/** `a` and `b` name the same state or one contains the other (`STATE` and `STATE[k]`). */
export function keysOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return long.startsWith(short) && (long[short.length] === '.' || long[short.length] === '[');
}

/** `k` for `STATE[k]`: the item a key names, if it names one. */
function itemOf(key: string): string | undefined {
  return /\[([^\]]*)\]$/.exec(key)?.[1];
}

/**
 * A write before any suspension acts on a decision atomically: the same state (`if not BUSY:
 * BUSY = True`), or, after a membership test, the same key reserved elsewhere (`if k in DONE:
 * return ...`, `IN_PROGRESS.add(k)`).
 */
function claims(write: WriteEvent, decision: Decision): boolean {
  if (keysOverlap(decision.token.read.state.key, write.state.key)) return true;
  const item = itemOf(decision.token.read.state.key);
  return decision.membership && item !== undefined && item === itemOf(write.state.key);
}

/**
 * Only safe methods memoise: a GET handler filling a dict is a cache, a POST handler doing the
 * same records what the request did (an idempotency key, a reservation), and losing that race
 * repeats the side effect.
 */
export function mayMemoise(fn: FunctionFacts): boolean {
  return !fn.httpMethods || fn.httpMethods.some((method) => method === 'GET' || method === 'HEAD');
}

function tokenKey(token: Token): string {
  return `${token.read.id}|${token.crossed?.id ?? 0}|${token.computed ? 1 : 0}|${token.regions.join(',')}`;
}

function decisionKey(decision: Decision): string {
  return `${decision.branch.id}|${decision.taken ? 1 : 0}|${decision.token.read.id}|${decision.crossed?.id ?? 0}`;
}

function heldRegions(state: RaceState): number[] {
  return [...state.held.keys()].sort((a, b) => a - b);
}

function isProtected(regions: readonly number[], state: RaceState, kind: LockKind): boolean {
  return regions.some((region) => state.held.get(region) === kind);
}

/** Tokens a value carries: from the reads it was computed from and the locals it used. */
function tokensOf(state: RaceState, value: ValueSource): Token[] {
  const tokens: Token[] = [];
  for (const read of value.reads) for (const token of state.values.get(`#${read}`)?.values() ?? []) tokens.push(token);
  for (const local of value.locals) for (const token of state.values.get(local)?.values() ?? []) tokens.push(token);
  if (!value.computed) return tokens;
  return tokens.map((token) => (token.computed ? token : { ...token, computed: true }));
}

function isMembershipTest(branch: BranchEvent, tokens: readonly Token[]): boolean {
  if (branch.test === 'membership') return true;
  // `if cached:` after `cached = CACHE.get(k)` asks whether the key is present.
  return branch.test === 'truthiness' && tokens.length > 0 && tokens.every((t) => !t.computed && t.read.state.key.includes('['));
}

/**
 * A membership test followed by an insertion is a memo cache filling itself (`if k not in C:
 * C[k] = await load(k)`); at worst two requests compute the same value. It is a hazard only when
 * the test rejected the request (a uniqueness check) or the write removes the key.
 */
function isMemoFill(decision: Decision, write: WriteEvent): boolean {
  if (!decision.membership) return false;
  const guard = decision.branch.guard;
  if (guard && !guard.returnsTestedState) return false;
  return write.op === 'assign' || (write.op === 'mutate' && INSERTING_METHODS.has(write.method ?? ''));
}

class RaceProblem implements ForwardProblem<RaceState> {
  constructor(private readonly branches: ReadonlyMap<number, BranchEvent>) {}

  initial(): RaceState {
    return { values: new Map(), held: new Map(), decisions: new Map() };
  }

  copy(state: RaceState): RaceState {
    return { values: new Map(state.values), held: new Map(state.held), decisions: new Map(state.decisions) };
  }

  event(state: RaceState, event: FlowEvent): RaceState {
    switch (event.kind) {
      case 'read': {
        const token: Token = { read: event, computed: false, regions: heldRegions(state) };
        state.values.set(`#${event.id}`, new Map([[tokenKey(token), token]]));
        return state;
      }
      case 'bind': {
        const tokens = tokensOf(state, event.value);
        state.values.set(event.name, new Map(tokens.map((token) => [tokenKey(token), token])));
        return state;
      }
      case 'await': {
        for (const [name, tokens] of state.values) {
          let changed: Map<string, Token> | undefined;
          for (const [key, token] of tokens) {
            if (token.crossed) continue;
            changed ??= new Map(tokens);
            changed.delete(key);
            const crossed = { ...token, crossed: event };
            changed.set(tokenKey(crossed), crossed);
          }
          if (changed) state.values.set(name, changed);
        }
        for (const [key, decision] of state.decisions) {
          if (decision.crossed) continue;
          state.decisions.delete(key);
          const crossed = { ...decision, crossed: event };
          state.decisions.set(decisionKey(crossed), crossed);
        }
        return state;
      }
      case 'lock-enter':
        if (!event.shared) state.held.set(event.region, event.lockKind);
        return state;
      case 'lock-exit':
        state.held.delete(event.region);
        return state;
      case 'write':
        // A claim before any suspension settles the decision; after one, the write acting on it
        // is the finding, and what follows (cleanup, further updates) is not reported again.
        for (const [key, decision] of state.decisions) {
          if (decision.crossed ? keysOverlap(decision.token.read.state.key, event.state.key) : claims(event, decision)) {
            state.decisions.delete(key);
          }
        }
        return state;
      default:
        return state;
    }
  }

  edge(state: RaceState, edge: FlowEdge, from: FlowBlock): RaceState {
    if (!edge.branch) return state;
    const branch = this.branches.get(edge.branch.id);
    if (!branch || from.events[from.events.length - 1] !== branch) return state;
    const tokens = tokensOf(state, branch.value);
    const membership = isMembershipTest(branch, tokens);
    for (const token of tokens) {
      // A fresh test supersedes older decisions on the same state.
      for (const [key, decision] of state.decisions) {
        if (decision.token.read.state.key === token.read.state.key && decision.branch.id !== branch.id) state.decisions.delete(key);
      }
      const decision: Decision = { branch, taken: edge.branch.taken, token, membership, crossed: token.crossed };
      state.decisions.set(decisionKey(decision), decision);
    }
    return state;
  }

  join(states: readonly RaceState[]): RaceState {
    if (states.length === 1) return states[0]!;
    const result = this.copy(states[0]!);
    for (const state of states.slice(1)) {
      for (const [name, tokens] of state.values) {
        const mine = result.values.get(name);
        if (!mine) result.values.set(name, tokens);
        else if (mine !== tokens) result.values.set(name, new Map([...mine, ...tokens]));
      }
      for (const region of [...result.held.keys()]) if (!state.held.has(region)) result.held.delete(region);
      for (const [key, decision] of state.decisions) result.decisions.set(key, decision);
    }
    // Both outcomes of a test meeting again: the code from here on no longer depends on it.
    const polarities = new Map<number, Set<boolean>>();
    for (const decision of result.decisions.values()) {
      let set = polarities.get(decision.branch.id);
      if (!set) polarities.set(decision.branch.id, (set = new Set()));
      set.add(decision.taken);
    }
    for (const [key, decision] of result.decisions) {
      if (polarities.get(decision.branch.id)!.size === 2) result.decisions.delete(key);
    }
    return result;
  }

  equals(a: RaceState, b: RaceState): boolean {
    if (a.values.size !== b.values.size || a.held.size !== b.held.size || a.decisions.size !== b.decisions.size) return false;
    for (const [name, tokens] of a.values) {
      const other = b.values.get(name);
      if (!other || other.size !== tokens.size) return false;
      for (const key of tokens.keys()) if (!other.has(key)) return false;
    }
    for (const region of a.held.keys()) if (!b.held.has(region)) return false;
    for (const key of a.decisions.keys()) if (!b.decisions.has(key)) return false;
    return true;
  }
}

const cache = new WeakMap<FunctionFacts, RaceFindings>();

/**
 * The races in one function, computed once and shared by the race rules. On the event loop: a
 * write computed from a read made before a suspension (lost update), else a write relying on a
 * test made before a suspension (stale decision). In the threadpool: any write computed from a
 * read of the same state without a common threading lock (thread race).
 */
export function analyzeRaces(fn: FunctionFacts): RaceFindings {
  const cached = cache.get(fn);
  if (cached) return cached;
  const findings: RaceFindings = { lostUpdates: [], staleDecisions: [], threadRaces: [] };
  cache.set(fn, findings);
  const events = fn.flow.blocks.flatMap((block) => block.events);
  if (!events.some((event) => event.kind === 'write')) return findings;
  const onLoop = fn.execution === 'event-loop';
  if (onLoop && !events.some((event) => event.kind === 'await')) return findings;
  if (!onLoop && fn.execution !== 'threadpool') return findings;

  const branches = new Map<number, BranchEvent>();
  for (const event of events) if (event.kind === 'branch') branches.set(event.id, event);
  const problem = new RaceProblem(branches);
  const memoising = mayMemoise(fn);
  const entries = solveForward(fn.flow, problem);
  const seen = new Set<string>();
  replayForward(fn.flow, problem, entries, (event, state) => {
    if (event.kind !== 'write') return;
    const where = `${event.range.start.line}:${event.range.start.character}`;
    if (seen.has(where)) return;
    const tokens = tokensOf(state, event.value).filter((token) => keysOverlap(token.read.state.key, event.state.key));
    if (!onLoop) {
      const racing = tokens.find((token) => (token.computed || event.value.computed) && !isProtected(token.regions, state, 'threading'));
      if (racing) {
        seen.add(where);
        findings.threadRaces.push({ read: racing.read, write: event });
      }
      return;
    }
    const stale = tokens.find(
      (token) => token.crossed && token.computed && !isProtected(token.regions, state, 'asyncio'),
    );
    if (stale) {
      seen.add(where);
      findings.lostUpdates.push({ read: stale.read, suspend: stale.crossed!, write: event });
      return;
    }
    for (const decision of state.decisions.values()) {
      if (!decision.crossed || !keysOverlap(decision.token.read.state.key, event.state.key)) continue;
      if (isProtected(decision.token.regions, state, 'asyncio')) continue;
      if (memoising && isMemoFill(decision, event)) continue;
      seen.add(where);
      findings.staleDecisions.push({ check: decision.token.read, branch: decision.branch, suspend: decision.crossed, write: event });
      return;
    }
  });
  return findings;
}

const sourcesCache = new WeakMap<FunctionFacts, Map<number, Set<number>>>();

/**
 * For each write in a function, the reads of shared state its value was computed or copied
 * from, along the paths that reach it (through locals, flow-sensitively).
 */
export function writeSources(fn: FunctionFacts): ReadonlyMap<number, ReadonlySet<number>> {
  const cached = sourcesCache.get(fn);
  if (cached) return cached;
  const sources = new Map<number, Set<number>>();
  sourcesCache.set(fn, sources);
  const branches = new Map<number, BranchEvent>();
  for (const block of fn.flow.blocks) for (const event of block.events) if (event.kind === 'branch') branches.set(event.id, event);
  const problem = new RaceProblem(branches);
  replayForward(fn.flow, problem, solveForward(fn.flow, problem), (event, state) => {
    if (event.kind !== 'write') return;
    let reads = sources.get(event.id);
    if (!reads) sources.set(event.id, (reads = new Set()));
    for (const token of tokensOf(state, event.value)) reads.add(token.read.id);
  });
  return sources;
}

import { flowEvents, replayForward, solveForward, type ForwardProblem } from './dataflow';
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
  /** Flags claimed on this path (`if (busy) return; busy = true`), by state key, with the region their claim holds. */
  flags: Map<string, number>;
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
  /**
   * The write fills in what the test found missing (`if key not in CACHE: CACHE[key] = await
   * load(key)`, `if not client: client = await connect()`) with a value not computed from the
   * state tested: racing requests each fill it, and only what the value is says whether that
   * matters (a memo of the same data, or a second client left open).
   */
  fill: boolean;
  /**
   * The write clears what the test found (`if client: await client.close(); client = None`), after
   * awaiting a call on it: a teardown, which racing requests at worst repeat.
   */
  teardown: boolean;
}

export interface ThreadRace {
  read: ReadEvent;
  write: WriteEvent;
}

/** On threads, a write relying on a test of the same state, with no lock over both: another thread can pass the test in between. */
export interface ThreadDecision {
  check: ReadEvent;
  branch: BranchEvent;
  write: WriteEvent;
  /** As for StaleDecision: the write fills in what the test found missing. */
  fill: boolean;
}

export interface RaceFindings {
  lostUpdates: LostUpdate[];
  staleDecisions: StaleDecision[];
  threadRaces: ThreadRace[];
  threadDecisions: ThreadDecision[];
}

const INSERTING_METHODS = new Set(['add', 'append', 'appendleft', 'setdefault', 'update', 'extend', 'insert', '__setitem__', 'set', 'push', 'unshift']);

/** `a` and `b` name the same state or one contains the other (`STATE` and `STATE[k]`). */
export function keysOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return long.startsWith(short) && (long[short.length] === '.' || long[short.length] === '[');
}

/** `a` holds `b` and is not `b`: `RESULTS` and `RESULTS[k].name`. */
function containsStrictly(a: string, b: string): boolean {
  return a.length < b.length && keysOverlap(a, b);
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
 * A presence test followed, on the branch that found nothing, by an insertion or assignment of a
 * value not computed from the tested state: the state is filled in (a memo, a lazy client). A test
 * that rejected the request (a uniqueness check raising) or a write that removes or overwrites
 * what was found acts on the decision itself, and is no fill.
 */
function isFill(decision: Decision, write: WriteEvent, valueTokens: readonly Token[]): boolean {
  const { branch } = decision;
  if (!decision.membership && branch.presentWhen === undefined) return false;
  if (branch.presentWhen !== undefined && decision.taken === branch.presentWhen) return false;
  if (branch.guard && !branch.guard.returnsTestedState) return false;
  if (valueTokens.some((token) => keysOverlap(token.read.state.key, decision.token.read.state.key))) return false;
  return write.op === 'assign' || (write.op === 'mutate' && INSERTING_METHODS.has(write.method ?? ''));
}

/**
 * On the branch that found the state there, a write that clears it (a delete, a literal such as
 * `None`) after the first await was a call on the tested value itself (`await client.close()`).
 */
function isTeardown(decision: Decision, write: WriteEvent, state: RaceState): boolean {
  const { branch } = decision;
  if (branch.presentWhen === undefined || decision.taken !== branch.presentWhen) return false;
  const { value } = write;
  const literal = write.op === 'assign' && value.reads.length === 0 && value.locals.length === 0 && (value.calls ?? []).length === 0 && !value.computed;
  if (write.op !== 'delete' && !literal) return false;
  const receiver = /^([\w$.]+)\.[\w$]+\(/.exec(decision.crossed?.text ?? '')?.[1];
  if (!receiver) return false;
  if (receiver === decision.token.read.state.text) return true;
  return [...(state.values.get(receiver)?.values() ?? [])].some((token) => token.read.id === decision.token.read.id);
}

/**
 * A decision that found a flag or key missing, acted on by setting it with no suspension between:
 * a single-flight claim (`if (running) return; running = true`, `if k in BUSY: return; BUSY.add(k)`).
 */
function setsMissingFlag(decision: Decision): boolean {
  const { branch } = decision;
  return branch.presentWhen !== undefined && decision.taken !== branch.presentWhen;
}

/**
 * A claimed flag serialises the code after it, as a lock would, until it is written again: every
 * request arriving meanwhile finds it set. What was read and decided since the last suspension
 * happened together with the claim, so it is covered too.
 */
function claimFlag(state: RaceState, write: WriteEvent): void {
  // Below the frontends' region numbers, which count up from zero.
  const region = -1 - write.id;
  state.held.set(region, 'asyncio');
  state.flags.set(write.state.key, region);
  const cover = (token: Token): Token => (token.crossed || token.regions.includes(region) ? token : { ...token, regions: [...token.regions, region] });
  for (const [name, tokens] of state.values) {
    if ([...tokens.values()].every((token) => token.crossed)) continue;
    state.values.set(name, new Map([...tokens.values()].map((token) => cover(token)).map((token) => [tokenKey(token), token])));
  }
  for (const [key, decision] of [...state.decisions]) {
    if (decision.crossed) continue;
    state.decisions.delete(key);
    const covered = { ...decision, token: cover(decision.token) };
    state.decisions.set(decisionKey(covered), covered);
  }
}

class RaceProblem implements ForwardProblem<RaceState> {
  constructor(private readonly branches: ReadonlyMap<number, BranchEvent>) {}

  initial(): RaceState {
    return { values: new Map(), held: new Map(), decisions: new Map(), flags: new Map() };
  }

  copy(state: RaceState): RaceState {
    return { values: new Map(state.values), held: new Map(state.held), decisions: new Map(state.decisions), flags: new Map(state.flags) };
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
        return this.write(state, event);
      default:
        return state;
    }
  }

  private write(state: RaceState, event: WriteEvent): RaceState {
    // Writing a claimed flag again (`busy = false`) ends what the claim serialised.
    for (const [key, region] of state.flags) {
      if (!keysOverlap(key, event.state.key)) continue;
      state.flags.delete(key);
      state.held.delete(region);
    }
    // A claim before any suspension settles the decision; after one, the write acting on it
    // is the finding, and what follows (cleanup, further updates) is not reported again.
    let claim = false;
    for (const [key, decision] of [...state.decisions]) {
      if (decision.crossed ? keysOverlap(decision.token.read.state.key, event.state.key) : claims(event, decision)) {
        claim ||= !decision.crossed && setsMissingFlag(decision);
        state.decisions.delete(key);
      }
    }
    if (claim) claimFlag(state, event);
    return state;
  }

  edge(state: RaceState, edge: FlowEdge, from: FlowBlock): RaceState {
    if (!edge.branch) return state;
    const branch = this.branches.get(edge.branch.id);
    if (!branch || from.events[from.events.length - 1] !== branch) return state;
    const tokens = tokensOf(state, branch.value);
    const membership = isMembershipTest(branch, tokens);
    // A fresh test supersedes older decisions on the same state, the same test's in an earlier
    // turn of a loop included.
    const tested = new Set(tokens.map((token) => token.read.state.key));
    for (const [key, decision] of state.decisions) if (tested.has(decision.token.read.state.key)) state.decisions.delete(key);
    for (const token of tokens) {
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
      for (const [key, region] of [...result.flags]) if (state.flags.get(key) !== region) result.flags.delete(key);
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
    if (a.values.size !== b.values.size || a.held.size !== b.held.size || a.decisions.size !== b.decisions.size || a.flags.size !== b.flags.size) return false;
    for (const [key, region] of a.flags) if (b.flags.get(key) !== region) return false;
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

const caches = { loop: new WeakMap<FunctionFacts, RaceFindings>(), threads: new WeakMap<FunctionFacts, RaceFindings>() };

/**
 * The races in one function, computed once per mode and shared by the race rules. On the event
 * loop: a write computed from a read made before a suspension (lost update), else a write relying
 * on a test made before a suspension (stale decision). On threads (a sync handler in the
 * threadpool, or what it calls): any write computed from a read of the same state without a
 * common threading lock (thread race).
 */
export function analyzeRaces(fn: FunctionFacts, mode: 'loop' | 'threads' = fn.execution === 'threadpool' ? 'threads' : 'loop'): RaceFindings {
  const cache = caches[mode];
  const cached = cache.get(fn);
  if (cached) return cached;
  const findings: RaceFindings = { lostUpdates: [], staleDecisions: [], threadRaces: [], threadDecisions: [] };
  cache.set(fn, findings);
  const events = flowEvents(fn.flow);
  if (!events.some((event) => event.kind === 'write')) return findings;
  const onLoop = mode === 'loop';
  if (onLoop && (fn.execution !== 'event-loop' || !events.some((event) => event.kind === 'await'))) return findings;
  if (!onLoop && fn.isAsync) return findings;

  const branches = new Map<number, BranchEvent>();
  for (const event of events) if (event.kind === 'branch') branches.set(event.id, event);
  const problem = new RaceProblem(branches);
  const entries = solveForward(fn.flow, problem);
  const seen = new Set<string>();
  replayForward(fn.flow, problem, entries, (event, state) => {
    if (event.kind !== 'write') return;
    const where = `${event.range.start.line}:${event.range.start.character}`;
    if (seen.has(where)) return;
    const tokens = tokensOf(state, event.value).filter((token) => keysOverlap(token.read.state.key, event.state.key));
    if (!onLoop) {
      // A container read whole and handed on (`store(RESULTS)`) says nothing of the item written into it.
      const racing = tokens.find(
        (token) => (token.computed || event.value.computed) && !isProtected(token.regions, state, 'threading') && !containsStrictly(token.read.state.key, event.state.key),
      );
      if (racing) {
        seen.add(where);
        findings.threadRaces.push({ read: racing.read, write: event });
        return;
      }
      const valueTokens = tokensOf(state, event.value);
      const decided = [...state.decisions.values()].filter(
        (decision) => keysOverlap(decision.token.read.state.key, event.state.key) && !isProtected(decision.token.regions, state, 'threading'),
      );
      const found = decided.map((decision) => ({ check: decision.token.read, branch: decision.branch, write: event, fill: isFill(decision, event, valueTokens) }));
      const chosen = found.find((decision) => !decision.fill) ?? found[0];
      if (chosen) {
        seen.add(where);
        findings.threadDecisions.push(chosen);
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
    const valueTokens = tokensOf(state, event.value);
    let benign: StaleDecision | undefined;
    for (const decision of state.decisions.values()) {
      if (!decision.crossed || !keysOverlap(decision.token.read.state.key, event.state.key)) continue;
      if (isProtected(decision.token.regions, state, 'asyncio')) continue;
      const found: StaleDecision = {
        check: decision.token.read,
        branch: decision.branch,
        suspend: decision.crossed,
        write: event,
        fill: isFill(decision, event, valueTokens),
        teardown: isTeardown(decision, event, state),
      };
      if (found.fill || found.teardown) {
        benign ??= found;
        continue;
      }
      seen.add(where);
      findings.staleDecisions.push(found);
      return;
    }
    if (benign) {
      seen.add(where);
      findings.staleDecisions.push(benign);
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

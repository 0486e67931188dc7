import { reachedFrom } from '../core/contexts/describe';
import { solveForward, type ForwardProblem } from '../core/dataflow';
import type { AwaitEvent, CallEvent, FlowBlock, FlowEdge, FlowEvent, FunctionFacts, LockEnterEvent, Range } from '../core/facts';
import { lineOf, type Rule, type RuleContext } from '../core/rule';
import { callCatalogs } from './blocking/call-catalogs';
import { describeFunction, loopPlacement, loopSeverity, matchGroups, phaseAt, type LoopPlacement } from './blocking/loop-calls';
import { storyStep } from './story-steps';

export const syncPrimitiveInAsync: Rule = {
  meta: {
    code: 'IL204',
    name: 'sync-primitive-in-async',
    family: 'blocking',
    defaultSeverity: 'warning',
    summary: 'A threading lock, event, condition, queue or future is waited on in async code, or a threading lock is held across an await.',
    languages: ['python'],
    fix: 'none',
    docs: {
      whatItDoes: `
Checks coroutines for waits on thread synchronisation: \`threading.Lock/RLock/Semaphore.acquire()\`,
\`Event.wait()\`, \`Condition.wait()\`, \`Barrier.wait()\`, \`queue.Queue.get()/put()/join()\`,
\`Thread.join()\`, \`Future.result()\`, \`concurrent.futures.wait\` and their \`multiprocessing\`
counterparts, and \`filelock\` locks shared with other processes (\`lock.acquire()\`,
\`with FileLock(path):\`) — and for a threading lock (\`with lock:\` or \`lock.acquire()\`) that is
still held when the coroutine reaches an \`await\`, \`async with\` or \`async for\`.

Calls that cannot wait are left alone (\`acquire(blocking=False)\`, \`FileLock(path, blocking=False)\`,
\`get(block=False)\`, \`get_nowait()\`, \`wait(0)\`), and so is a \`get()\` that every path reaches
right after a test found the same queue non-empty (\`if not q.empty():\`, \`while q.qsize() > 0:\`,
\`if q.empty(): continue\`) with no await in between, and a short \`with lock:\` that never awaits —
that is how state shared with threadpool handlers should be guarded.`,
      whyIsThisBad: `
These primitives block the calling thread until another thread acts. On the event loop that thread
is the one running every request, so nothing else progresses while it waits — often including the
coroutine that was going to release it.

A threading lock held across an \`await\` is worse: while the holder is suspended, the next request
to reach \`with lock:\` blocks the loop's only thread waiting for it, and the holder can never resume
to release it. The worker deadlocks.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import threading

from fastapi import FastAPI

app = FastAPI()
warmed_up = threading.Event()


@app.get("/ready")
async def ready():
    warmed_up.wait()
    return {"ready": True}
`,
          good: `
import asyncio

from fastapi import FastAPI

app = FastAPI()
warmed_up = asyncio.Event()


@app.get("/ready")
async def ready():
    await warmed_up.wait()
    return {"ready": True}
`,
        },
        {
          language: 'python',
          framework: 'asyncio',
          bad: `
import threading

cache_lock = threading.Lock()
cache = {}


async def refresh(key, fetch):
    with cache_lock:
        cache[key] = await fetch(key)
`,
          good: `
import threading

cache_lock = threading.Lock()
cache = {}


async def refresh(key, fetch):
    value = await fetch(key)
    with cache_lock:
        cache[key] = value
`,
        },
      ],
      fixSafety: `
There is no automatic fix: replacing a threading primitive with its \`asyncio\` counterpart is only
right when no thread uses it, and Interleave cannot see every thread. Use \`asyncio.Lock\`,
\`asyncio.Event\`, \`asyncio.Queue\` (or \`janus\` for a queue shared with threads),
\`await asyncio.wrap_future(future)\` for futures, and never hold a threading lock across an await.`,
      whenNotToUse: `
When the primitive is never contended while the loop runs (set once before startup), suppress the
finding with a reason: \`# interleave: ignore[sync-primitive-in-async] -- set before serving\`.`,
    },
  },
  check(context) {
    const { syncPrimitives } = callCatalogs(context.config);
    for (const fn of context.module.functions) {
      const placement = loopPlacement(context, fn);
      if (!placement) continue;
      const heldAcross = locksHeldAcrossAwait(fn);
      for (const { lock, suspension } of heldAcross) reportHeldLock(context, fn, placement, lock, suspension);
      for (const { first } of matchGroups(fn, syncPrimitives)) {
        const { call, entry } = first;
        if (heldAcross.some(({ lock }) => sameStart(lock, call)) || foundNonEmpty(fn, context.module.source, call)) continue;
        context.report({
          message: `\`${call.text}()\` in ${describeFunction(fn)}${reachedFrom(placement.witness)} ${entry.does}: every other request on this worker waits with it. Instead, ${entry.suggestion}.`,
          range: call.range,
          severity: loopSeverity(phaseAt(fn, placement, call.range)),
          story: { kind: 'blocking-call', call: storyStep(context.module, call.range, call.statement), chain: [], does: entry.does },
        });
      }
    }
  },
};

function sameStart(a: { range: Range }, b: { range: Range }): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

function reportHeldLock(context: RuleContext, fn: FunctionFacts, placement: LoopPlacement, lock: LockEnterEvent, suspension: AwaitEvent): void {
  const awaited = suspension.form === 'await' ? `await ${suspension.text}` : suspension.text;
  const consequence = lock.shared
    ? `the coroutine keeps its permit while suspended; once suspended coroutines hold them all, the next request that reaches \`${lock.lock}\` blocks the event loop's thread, and none of the holders can resume to release theirs — the worker deadlocks`
    : `while this coroutine is suspended, the next request that reaches \`${lock.lock}\` blocks the event loop's thread waiting for it, and the holder can never resume to release it — the worker deadlocks`;
  context.report({
    message: `\`${lock.lock}\` (a threading ${lock.shared ? 'semaphore' : 'lock'}) is still held at \`${awaited}\` on line ${lineOf(suspension.range)} in ${describeFunction(fn)}: ${consequence}. Await before taking it, or use the \`asyncio\` equivalent (\`async with\`).`,
    range: lock.range,
    severity: loopSeverity(phaseAt(fn, placement, lock.range)),
    related: [{ path: context.module.path, range: suspension.range, message: 'suspends here while it is held' }],
  });
}

/** Threading locks held on every path to a suspension point, with the first such point per lock. */
type HeldAcrossAwait = { lock: LockEnterEvent; suspension: AwaitEvent }[];

/** Computed once per function: the language server reuses unchanged functions' facts keystroke after keystroke. */
const heldAcrossAwait = new WeakMap<FunctionFacts, HeldAcrossAwait>();

function locksHeldAcrossAwait(fn: FunctionFacts): HeldAcrossAwait {
  let held = heldAcrossAwait.get(fn);
  if (!held) heldAcrossAwait.set(fn, (held = solveLocksHeldAcrossAwait(fn)));
  return held;
}

function solveLocksHeldAcrossAwait(fn: FunctionFacts): HeldAcrossAwait {
  type Held = Map<number, LockEnterEvent>;
  const problem: ForwardProblem<Held> = {
    initial: () => new Map(),
    event(held, event) {
      if (event.kind === 'lock-enter' && event.lockKind === 'threading') held.set(event.region, event);
      else if (event.kind === 'lock-exit') held.delete(event.region);
      return held;
    },
    edge: (held) => held,
    // Held only when held on every incoming path: a `continue` out of a `with` block must not
    // make the lock look held at the top of the next iteration.
    join(states) {
      const [first, ...rest] = states;
      const result = new Map(first);
      for (const region of result.keys()) if (rest.some((state) => !state.has(region))) result.delete(region);
      return result;
    },
    equals: (a, b) => a.size === b.size && [...a.keys()].every((region) => b.has(region)),
    copy: (held) => new Map(held),
  };
  const entries = solveForward(fn.flow, problem);
  const found = new Map<number, { lock: LockEnterEvent; suspension: AwaitEvent }>();
  for (const block of fn.flow.blocks) {
    const entry = entries.get(block.id);
    if (!entry) continue;
    let held = problem.copy(entry);
    for (const event of block.events) {
      if (event.kind === 'await') {
        for (const [region, lock] of held) {
          const known = found.get(region);
          if (!known || event.range.start.line < known.suspension.range.start.line) found.set(region, { lock, suspension: event });
        }
      }
      held = problem.event(held, event);
    }
  }
  return [...found.values()];
}

/** A queue method that takes an item: once the queue is known to hold one, it returns at once. */
const TAKES_AN_ITEM = /\.(get|get_nowait)$/;

/**
 * Whether every way to a queue's `get()` passes a test that found the same queue non-empty —
 * `if not q.empty():`, `if q.qsize():`, or `if q.empty(): continue` before it — with no await in
 * between, so no other coroutine on this loop can have taken the item: the `get()` returns at once.
 */
function foundNonEmpty(fn: FunctionFacts, source: string, call: CallEvent): boolean {
  const receiver = call.receiver?.text;
  if (!receiver || !call.callee || !TAKES_AN_ITEM.test(call.callee)) return false;
  const tests = new Map<number, boolean>();
  for (const block of fn.flow.blocks) {
    for (const event of block.events) {
      const nonEmptyWhen = event.kind === 'branch' ? nonEmptyArm(textOf(source, event.range), receiver) : undefined;
      if (event.kind === 'branch' && nonEmptyWhen !== undefined) tests.set(event.id, nonEmptyWhen);
    }
  }
  if (tests.size === 0) return false;
  const predecessors = new Map<number, { from: FlowBlock; edge: FlowEdge }[]>();
  for (const block of fn.flow.blocks) for (const edge of block.next) predecessors.set(edge.to, [...(predecessors.get(edge.to) ?? []), { from: block, edge }]);
  const start = fn.flow.blocks.find((block) => block.events.includes(call));
  if (!start) return false;
  const suspends = (events: readonly FlowEvent[]) => events.some((event) => event.kind === 'await');
  if (suspends(start.events.slice(0, start.events.indexOf(call)))) return false;
  // Walk back from the call: every path from the entry must meet the test's non-empty arm before an
  // await. Blocks nothing leads to (after a `continue`) are not paths.
  const seen = new Set<number>([start.id]);
  const pending = [start.id];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (id === fn.flow.entry) return false;
    for (const { from, edge } of predecessors.get(id) ?? []) {
      if (edge.branch && tests.has(edge.branch.id)) {
        if (tests.get(edge.branch.id) === edge.branch.taken) continue;
        return false;
      }
      if (seen.has(from.id)) continue;
      if (suspends(from.events)) return false;
      seen.add(from.id);
      pending.push(from.id);
    }
  }
  return true;
}

/** For a test of whether `queue` is empty, the arm (taken or not) on which it holds an item. */
function nonEmptyArm(test: string, queue: string): boolean | undefined {
  const compact = test.replace(/\s+/g, ' ').trim();
  const escaped = queue.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`^not ${escaped}\\.empty\\(\\)$`).test(compact)) return true;
  if (new RegExp(`^${escaped}\\.empty\\(\\)$`).test(compact)) return false;
  if (new RegExp(`^${escaped}\\.qsize\\(\\)( ?(>|!=) ?0)?$`).test(compact)) return true;
  if (new RegExp(`^(not ${escaped}\\.qsize\\(\\)|${escaped}\\.qsize\\(\\) ?== ?0)$`).test(compact)) return false;
  return undefined;
}

function textOf(source: string, range: Range): string {
  const lines = source.split(/\r?\n/).slice(range.start.line, range.end.line + 1);
  if (lines.length === 0) return '';
  lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, range.end.character);
  lines[0] = lines[0]!.slice(range.start.character);
  return lines.join(' ');
}

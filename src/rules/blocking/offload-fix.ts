import type { CallEvent, FunctionFacts, ModuleFacts } from '../../core/facts';
import type { Fix, TextEdit } from '../../core/hazard';
import type { FixBuilder, RuleContext } from '../../core/rule';
import { callCatalogs } from './call-catalogs';
import type { CatalogMatch, MatchGroup } from './loop-calls';

/**
 * The function that runs a call in a worker thread: in FastAPI and Starlette code the threadpool
 * the framework itself runs sync handlers in, elsewhere `asyncio.to_thread`.
 */
function threadWrapper(module: ModuleFacts): { module: string; name: string } {
  if (module.frameworks.includes('fastapi')) return { module: 'fastapi.concurrency', name: 'run_in_threadpool' };
  if (module.frameworks.includes('starlette')) return { module: 'starlette.concurrency', name: 'run_in_threadpool' };
  return { module: 'asyncio', name: 'to_thread' };
}

/** Where `await wrapper(f, …)` can stand in for `f(…)` without parentheses of its own. */
const OFFLOADABLE_USAGES = new Set<CallEvent['usage']>(['statement', 'assigned', 'returned', 'argument']);

/** How code names the thread wrapper: `run_in_threadpool`, `asyncio.to_thread`. */
function wrapperName(module: ModuleFacts): string {
  const wrapper = threadWrapper(module);
  return `${wrapper.module.includes('.') ? '' : `${wrapper.module}.`}${wrapper.name}`;
}

/** Wraps the call as `await run_in_threadpool(f, *args)` / `await asyncio.to_thread(f, *args)`. */
export function offloadFix(module: ModuleFacts, fixes: FixBuilder, call: CallEvent): Fix | undefined {
  if (!OFFLOADABLE_USAGES.has(call.usage)) return undefined;
  const edits = fixes.offloadCall(call, threadWrapper(module));
  if (!edits) return undefined;
  return { applicability: 'unsafe', message: `Run \`${call.text}\` in a worker thread with \`await ${wrapperName(module)}(${call.text}, …)\``, edits };
}

/**
 * A call written inside an offload wrapper — `asyncio.to_thread(requests.get(url))` — runs on the
 * loop before the wrapper is called. The advice for the message, and the fix that passes the
 * function and its arguments instead; undefined when the call is not such an argument.
 */
export function misplacedOffload(context: RuleContext, call: CallEvent): { advice: string; fix?: Fix } | undefined {
  const wrapper = call.argumentOf;
  if (!wrapper?.callee || !callCatalogs(context.config).offloadWrappers.match(wrapper.callee)) return undefined;
  const edits = context.fixes.passAsReference(call);
  return {
    advice: `It runs before \`${wrapper.text}\` is even called, which then receives only its result: pass the function and its arguments instead, \`${wrapper.text}(${call.text}, …)\`.`,
    fix: edits && { applicability: 'unsafe', message: `Pass \`${call.text}\` and its arguments to \`${wrapper.text}\``, edits },
  };
}

/** Names whose use needs a running event loop in the calling thread. */
const LOOP_LIBRARIES = /^(asyncio|anyio|trio)\./;

/**
 * Whether a function needs to stay a coroutine: it yields to the event loop somewhere, uses the
 * running loop (`asyncio.create_task`), or creates coroutines of this module without awaiting them.
 */
function needsTheLoop(module: ModuleFacts, fn: FunctionFacts): boolean {
  const coroutines = coroutinesOf(module);
  return fn.flow.blocks.some((block) =>
    block.events.some((event) => event.kind === 'await' || (event.kind === 'call' && !!event.callee && (LOOP_LIBRARIES.test(event.callee) || coroutines.has(event.callee)))),
  );
}

/** A module's coroutine functions by the names its calls give them, asked of each finding's function: made once per module. */
function coroutinesOf(module: ModuleFacts): ReadonlySet<string> {
  let coroutines = coroutinesByModule.get(module);
  if (!coroutines) {
    coroutines = new Set(module.functions.filter((other) => other.isAsync && !other.parent).map((other) => `${module.moduleName}.${other.qualifiedName}`));
    coroutinesByModule.set(module, coroutines);
  }
  return coroutines;
}

const coroutinesByModule = new WeakMap<ModuleFacts, ReadonlySet<string>>();

/** What the functions of a module call, by callee: made once per module, not once per finding. */
function calleesOf(module: ModuleFacts): ReadonlySet<string> {
  let callees = calleesByModule.get(module);
  if (!callees) {
    const called = new Set<string>();
    for (const other of module.functions) for (const block of other.flow.blocks) for (const event of block.events) if (event.kind === 'call' && event.callee) called.add(event.callee);
    calleesByModule.set(module, (callees = called));
  }
  return callees;
}

const calleesByModule = new WeakMap<ModuleFacts, ReadonlySet<string>>();

/**
 * An `async def` endpoint, dependency or background task that never awaits gains nothing from
 * being a coroutine: as a plain `def`, FastAPI and Starlette run it in their threadpool, where
 * blocking is fine. Not offered when the module calls the function itself (callers await it) or
 * when its body needs the loop.
 */
export function makeSyncFix(module: ModuleFacts, fixes: FixBuilder, fn: FunctionFacts): Fix | undefined {
  const framework = fn.framework === 'fastapi' || fn.framework === 'starlette';
  const kind = fn.kind === 'route' || fn.kind === 'dependency' || fn.kind === 'background';
  if (!fn.isAsync || !framework || !kind || fn.className || fn.parent || needsTheLoop(module, fn)) return undefined;
  if (calleesOf(module).has(`${module.moduleName}.${fn.name}`)) return undefined;
  const edits = fixes.makeSync(fn);
  if (!edits) return undefined;
  return { applicability: 'unsafe', message: `Make \`${fn.name}\` a plain \`def\`: ${frameworkName(fn)} runs it in its threadpool`, edits };
}

/** The framework that runs a plain `def` endpoint in its threadpool, as messages name it. */
function frameworkName(fn: FunctionFacts): string {
  return fn.framework === 'fastapi' ? 'FastAPI' : 'Starlette';
}

/** A fix for the calls of one finding, and the sentence that tells the user what to do — the same thing. */
export interface Remedy {
  fix?: Fix;
  advice: string;
}

/** What to do about work in a plain `def` the loop runs, such as a Pydantic validator: it cannot await, so nothing can be wrapped in place. */
function cannotAwait(fn: FunctionFacts, alternatives: string): string {
  return `\`${fn.name}\` is a plain \`def\` and cannot await: move the work out of it, into the handler, where it can run in a worker thread; or ${alternatives}.`;
}

/**
 * What to do about the catalog calls that stall the loop in one function, as a fix and as advice
 * that agree: awaiting each call's coroutine twin (`await asyncio.sleep`, `await readFile`) when
 * every call has one; otherwise making an endpoint that never awaits a plain `def`; otherwise, for
 * a single call, running it in a worker thread. The advice names the catalog's alternatives and,
 * when there is a fix, says what the fix does.
 */
export function remedyFor(context: RuleContext, fn: FunctionFacts, groups: readonly MatchGroup[]): Remedy {
  const { module, fixes } = context;
  const matches = groups.map((group) => group.first);
  const single = groups.length === 1 && groups[0]!.followers.length === 0 ? groups[0]!.first : undefined;
  const alternatives = alternativesOf(matches);
  if (!fn.isAsync && module.language === 'python') return { advice: cannotAwait(fn, alternatives) };
  const awaitable = groups.every((group) => group.followers.length === 0) ? awaitableFix(module, fixes, matches) : undefined;
  if (awaitable) return { fix: awaitable, advice: `Instead, ${alternatives}.` };
  const makeSync = makeSyncFix(module, fixes, fn);
  if (makeSync) return { fix: makeSync, advice: `Instead, ${alternatives}; or make \`${fn.name}\` a plain \`def\`, which ${frameworkName(fn)} runs in its threadpool — the quick fix does that.` };
  const offload = single && offloadFix(module, fixes, single.call);
  if (offload) {
    const wrapped = `\`await ${wrapperName(module)}(${single.call.text}, …)\``;
    // The catalog's advice may be the thread alone, end with it as the fallback, or not name it.
    const advice = /^move (it|the work|the call) to a worker thread$/.test(alternatives)
      ? `Instead, ${alternatives}, as the quick fix does: ${wrapped}.`
      : alternatives.includes('worker thread')
        ? `Instead, ${alternatives}; the quick fix does the latter: ${wrapped}.`
        : `Instead, ${alternatives}, or move it to a worker thread as the quick fix does: ${wrapped}.`;
    return { fix: offload, advice };
  }
  if (!single && module.language === 'python') {
    return { advice: `Instead, ${alternatives}; or move the blocking part into a plain function and run it once in a worker thread: \`await ${wrapperName(module)}(part, …)\`.` };
  }
  return { advice: `Instead, ${alternatives}.` };
}

/** The catalog's suggestions for the calls, each once; named by call when they differ. */
function alternativesOf(matches: readonly CatalogMatch[]): string {
  const bySuggestion = new Map<string, string>();
  for (const { call, entry } of matches) if (!bySuggestion.has(entry.suggestion)) bySuggestion.set(entry.suggestion, call.text);
  if (bySuggestion.size === 1) return [...bySuggestion.keys()][0]!;
  const shown = [...bySuggestion].slice(0, MAX_ALTERNATIVES).map(([suggestion, text]) => `for \`${text}()\`, ${suggestion}`);
  return `${shown.join('; ')}${bySuggestion.size > MAX_ALTERNATIVES ? '; and likewise for the others' : ''}`;
}

const MAX_ALTERNATIVES = 3;

/** Where `await f(…)` can stand in for a call without parentheses of its own. */
const AWAITABLE_USAGES = new Set<CallEvent['usage']>(['statement', 'assigned', 'returned', 'argument']);

/** Every call replaced by awaiting its coroutine twin — `time.sleep(x)` → `await asyncio.sleep(x)` — or nothing. */
function awaitableFix(module: ModuleFacts, fixes: FixBuilder, matches: readonly CatalogMatch[]): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const { call, entry } of matches) {
    if (!entry.awaitableEquivalent || !AWAITABLE_USAGES.has(call.usage)) return undefined;
    const own = fixes.awaitInstead(call, entry.awaitableEquivalent);
    if (!own) return undefined;
    // Each call's edits import the twin if the module lacks it: one import is enough.
    for (const edit of own) if (!edits.some((other) => sameEdit(other, edit))) edits.push(edit);
  }
  const twins = [...new Set(matches.map(({ entry }) => entry.awaitableEquivalent!).map(({ module: from, name }) => (module.language === 'python' ? `\`await ${from}.${name}(…)\`` : `\`await ${name}(…)\` from \`${from}\``)))];
  return { applicability: 'safe', message: `Replace with ${twins.join(' and ')}`, edits };
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.newText === b.newText && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
}

/**
 * What to do about a call into code that stalls the loop (a sync helper, a client imported from
 * another module), as a fix and advice that agree: make the endpoint a plain `def`, or run the call
 * in a worker thread — or, with no fix, either of those or the asynchronous alternative.
 */
export function helperRemedy(context: RuleContext, fn: FunctionFacts, call: CallEvent, alternative: string): Remedy {
  const { module, fixes } = context;
  if (!fn.isAsync && module.language === 'python') return { advice: cannotAwait(fn, alternative) };
  const makeSync = makeSyncFix(module, fixes, fn);
  if (makeSync) return { fix: makeSync, advice: `Make \`${fn.name}\` a plain \`def\`, which ${frameworkName(fn)} runs in its threadpool, as the quick fix does; or make the chain async: ${alternative}.` };
  const offload = offloadFix(module, fixes, call);
  if (offload) return { fix: offload, advice: `Run it in a worker thread, as the quick fix does (\`await ${wrapperName(module)}(${call.text}, …)\`); or make the chain async: ${alternative}.` };
  return { advice: `Run \`${call.text}\` in a worker thread, or make the chain async: ${alternative}.` };
}

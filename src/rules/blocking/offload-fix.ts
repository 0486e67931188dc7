import type { CallEvent, FunctionFacts, ModuleFacts } from '../../core/facts';
import type { Fix } from '../../core/hazard';
import type { FixBuilder, RuleContext } from '../../core/rule';
import { callCatalogs } from './call-catalogs';

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

/** Wraps the call as `await run_in_threadpool(f, *args)` / `await asyncio.to_thread(f, *args)`. */
export function offloadFix(module: ModuleFacts, fixes: FixBuilder, call: CallEvent): Fix | undefined {
  if (!OFFLOADABLE_USAGES.has(call.usage)) return undefined;
  const wrapper = threadWrapper(module);
  const edits = fixes.offloadCall(call, wrapper);
  if (!edits) return undefined;
  return {
    applicability: 'unsafe',
    message: `Run \`${call.text}\` in a worker thread with \`await ${wrapper.module.includes('.') ? '' : `${wrapper.module}.`}${wrapper.name}(${call.text}, …)\``,
    edits,
  };
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
  const coroutines = new Set(module.functions.filter((other) => other.isAsync && !other.parent).map((other) => `${module.moduleName}.${other.qualifiedName}`));
  return fn.flow.blocks.some((block) =>
    block.events.some((event) => event.kind === 'await' || (event.kind === 'call' && !!event.callee && (LOOP_LIBRARIES.test(event.callee) || coroutines.has(event.callee)))),
  );
}

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
  const ownName = `${module.moduleName}.${fn.name}`;
  const calledHere = module.functions.some((other) =>
    other.flow.blocks.some((block) => block.events.some((event) => event.kind === 'call' && event.callee === ownName)),
  );
  if (calledHere) return undefined;
  const edits = fixes.makeSync(fn);
  if (!edits) return undefined;
  return {
    applicability: 'unsafe',
    message: `Make \`${fn.name}\` a plain \`def\`: ${fn.framework === 'fastapi' ? 'FastAPI' : 'Starlette'} runs it in its threadpool`,
    edits,
  };
}

import type { BindEvent, CallEvent, FlowEvent, FunctionFacts, IterateEvent, ModuleFacts, Range } from '../../core/facts';
import { callsOf } from '../../core/request-reach';
import { sourceLines } from '../../core/source-lines';
import { eventsById, originCalls, type Origins } from '../../core/value-origins';
import { GATHERERS, MAPPING_METHODS, startsTask, takesFunctionReference } from '../catalog/tasks';
import { atOrBefore, rangeWithin, sameRange } from '../../core/positions';

/**
 * The coroutine or promise started per element: a call (`fetch(url)`), a function handed over by
 * name (`start_soon(f, x)`, `xs.map(fetchPrice)`), or a callback written in place
 * (`xs.map((x) => fetch(x))`), with the call that hands it over.
 */
export type Work = { call: CallEvent } | { reference: string; call: CallEvent } | { callback: FunctionFacts; call: CallEvent };

/** One fan-out: the call that starts or awaits them all, the work started per element, and the collection. */
export interface FanOut {
  site: CallEvent;
  work: Work;
  /** The function whose body holds the work: the handler, or a `forEach` callback that pushes each promise. */
  host: FunctionFacts;
  /** The loop over the collection, when the work runs in one (`for`, a comprehension). */
  loop?: IterateEvent;
  collection: Range;
  /** Where the collection comes from, in the function that holds the gather. */
  elements?: Origins;
}

type OriginIndex = ReadonlyMap<FlowEvent, { value: Origins }>;

/** Methods that put their argument into the collection they are called on: `tasks.append(f(x))`, `promises.push(f(x))`. */
const COLLECTING_METHODS = /\.(append|add|insert|appendleft|push|unshift)$/;

function outermost(calls: readonly CallEvent[]): CallEvent[] {
  return calls.filter((call) => !calls.some((other) => other !== call && rangeWithin(call.range, other.range)));
}

/** The work a spawn starts: `f(x)` of `create_task(f(x))`, or `f` of `start_soon(f, x)`. */
export function spawnedWork(spawn: CallEvent, loopCalls: readonly CallEvent[]): Work | undefined {
  if (takesFunctionReference(spawn.callee)) {
    const reference = spawn.positional?.[0];
    return reference ? { reference, call: spawn } : undefined;
  }
  const inner = outermost(loopCalls.filter((call) => call !== spawn && rangeWithin(call.range, spawn.range)));
  return inner[0] && { call: inner[0] };
}

/** The callback written in place as an argument of a call: `(x) => fetch(x)` of `xs.map((x) => fetch(x))`. */
export function callbackOf(module: ModuleFacts, fn: FunctionFacts, call: CallEvent): FunctionFacts | undefined {
  return module.functions.find((candidate) => candidate.parent === fn.id && candidate.passedTo !== undefined && sameRange(candidate.passedTo.range, call.range));
}

/** Where the object of a method call is written: `req.body.ids` of `req.body.ids.map(…)`. */
export function receiverRange(module: ModuleFacts, call: CallEvent): Range {
  const { start, end } = call.calleeRange;
  const text = sourceLines(module)[end.line] ?? '';
  let character = end.character - (call.text.length - call.text.lastIndexOf('.') - 1);
  while (character > 0 && /[.?\s]/.test(text[character - 1]!)) character--;
  return { start, end: { line: end.line, character: Math.max(character, end.line === start.line ? start.character : 0) } };
}

/** The iterate events a call runs inside, innermost first. */
function loopsAround(call: CallEvent, events: ReadonlyMap<number, FlowEvent>): number[] {
  const loops: number[] = [];
  for (let id = call.loop; id !== undefined; ) {
    loops.push(id);
    const loop = events.get(id);
    id = loop?.kind === 'iterate' ? loop.parent : undefined;
  }
  return loops;
}

/** A function and the functions it is nested in, innermost first: where its closures' names are bound. */
export function scopesAround(module: ModuleFacts, fn: FunctionFacts): FunctionFacts[] {
  const scopes: FunctionFacts[] = [];
  for (let scope: FunctionFacts | undefined = fn; scope; scope = module.functions.find((candidate) => candidate.id === scope!.parent)) scopes.push(scope);
  return scopes;
}

/** The binds of the locals that feed a value, following binds backwards (flow-insensitively). */
export function feedingBinds(fn: FunctionFacts, names: readonly string[]): BindEvent[] {
  const binds = fn.flow.blocks.flatMap((block) => block.events.filter((event): event is BindEvent => event.kind === 'bind'));
  const seen = new Set<string>();
  const queue = [...names];
  const found: BindEvent[] = [];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const bind of binds) {
      if (bind.name !== name) continue;
      found.push(bind);
      queue.push(...bind.value.locals);
    }
  }
  return found;
}

/**
 * `Promise.all(xs.map(f))`: the mapping calls among what a gather is given, with their callback or
 * function, the last evaluated first (`ids.map(…)` that built a query's filter comes before the
 * `rows.map(…)` gathered).
 */
function mappedFanOuts(module: ModuleFacts, fn: FunctionFacts, gather: CallEvent, calls: readonly CallEvent[], origins: OriginIndex): FanOut[] {
  const fanOuts: FanOut[] = [];
  for (const mapping of [...calls].reverse()) {
    if (!MAPPING_METHODS.test(mapping.text) || !mapping.positional?.length) continue;
    const callback = callbackOf(module, fn, mapping);
    const reference = mapping.positional[0]!;
    const work: Work | undefined = callback ? { callback, call: mapping } : /^[\w$.]+$/.test(reference) ? { reference, call: mapping } : undefined;
    const elements = origins.get(mapping)?.value;
    if (work) fanOuts.push({ site: gather, work, host: fn, collection: receiverRange(module, mapping), ...(elements && { elements }) });
  }
  return fanOuts;
}

/** `xs.forEach((x) => promises.push(f(x)))` and then a gather of `promises`: the push's call runs once per element. */
function pushedFanOut(module: ModuleFacts, fn: FunctionFacts, gather: CallEvent, origins: OriginIndex): FanOut | undefined {
  const gathered = new Set(gather.inputs?.locals ?? []);
  if (gathered.size === 0) return undefined;
  for (const each of callsOf(fn)) {
    if (!each.text.endsWith('.forEach')) continue;
    const callback = callbackOf(module, fn, each);
    if (!callback) continue;
    const events = eventsById(callback);
    for (const push of callsOf(callback)) {
      if (!COLLECTING_METHODS.test(push.text) || !push.receiver || !gathered.has(push.receiver.key)) continue;
      const pushed = (push.inputs?.calls ?? []).map((id) => events.get(id)).find((event): event is CallEvent => event?.kind === 'call');
      const elements = origins.get(each)?.value;
      if (pushed) return { site: gather, work: { call: pushed }, host: callback, collection: receiverRange(module, each), ...(elements && { elements }) };
    }
  }
  return undefined;
}

/** Where the loop variable of a comprehension is bound: its element expression is written before it. */
function loopVariableStart(fn: FunctionFacts, loop: number): Range['start'] | undefined {
  for (const block of fn.flow.blocks) {
    for (const event of block.events) if (event.kind === 'bind' && event.elementOf === loop) return event.range.start;
  }
  return undefined;
}

/**
 * The loops whose elements make up what a gather is given, each with the calls that produce one
 * element: a comprehension written in the gather or bound to a local it is given (the calls of
 * its element expression, not of its condition), or a loop that appends to such a local (the
 * appended call, a call bound to the appended local, or a task started in it).
 */
function elementLoops(fn: FunctionFacts, gather: CallEvent, calls: readonly CallEvent[], events: ReadonlyMap<number, FlowEvent>): Map<number, CallEvent[]> {
  const gathered = new Set(gather.inputs?.locals ?? []);
  const binds = fn.flow.blocks.flatMap((block) => block.events.filter((event): event is BindEvent => event.kind === 'bind' && gathered.has(event.name)));
  const enclosing = new Set(loopsAround(gather, events));
  const loops = new Map<number, CallEvent[]>();
  const add = (loop: number, call: CallEvent) => loops.set(loop, [...(loops.get(loop) ?? []), call]);
  for (const call of calls) {
    if (call.loop === undefined || enclosing.has(call.loop)) continue;
    const loop = events.get(call.loop);
    if (loop?.kind !== 'iterate') continue;
    if (loop.form === 'comprehension') {
      const variable = loopVariableStart(fn, loop.id);
      const element = variable !== undefined && atOrBefore(call.range.end, variable);
      const fed = rangeWithin(call.range, gather.range) || binds.some((bind) => bind.value.calls?.includes(call.id));
      if (element && fed) add(loop.id, call);
      continue;
    }
    if (startsTask(call.callee, call.text)) add(loop.id, call);
  }
  for (const collect of callsOf(fn)) {
    if (collect.loop === undefined || !COLLECTING_METHODS.test(collect.text) || !collect.receiver || !gathered.has(collect.receiver.key)) continue;
    const appended = collect.positional?.[0];
    for (const call of calls) {
      if (call.loop !== collect.loop || call === collect) continue;
      if (rangeWithin(call.range, collect.range) || (call.boundTo ?? []).some((holder) => holder.text === appended)) add(collect.loop, call);
    }
  }
  return loops;
}

/**
 * What a gather is given that runs once per element of a loop, `map(f, xs)`, `xs.map(f)`, or
 * `xs.forEach` pushing promises: the candidates, most likely first.
 */
export function gatheredFanOuts(module: ModuleFacts, fn: FunctionFacts, gather: CallEvent, value: Origins, origins: OriginIndex, events: ReadonlyMap<number, FlowEvent>): FanOut[] {
  const calls = originCalls(value, events);
  const mapped = calls.find((call) => call.callee === 'builtins.map' && call.positional?.length === 2);
  if (mapped) {
    const elements = origins.get(mapped)?.value;
    return [{ site: gather, work: { reference: mapped.positional![0]!, call: mapped }, host: fn, collection: mapped.range, ...(elements && { elements }) }];
  }
  // Mappings an earlier gather already awaited are that gather's fan-out, not this one's:
  // `files = await Promise.all(keys.map(fetch))` then `Promise.all(files.map(limited))`.
  const earlier = new Set(
    calls
      .filter((call) => call !== gather && GATHERERS.has(call.callee ?? ''))
      .flatMap((inner) => {
        const fed = origins.get(inner)?.value;
        return fed ? originCalls(fed, events) : [];
      }),
  );
  const fanOuts = module.language === 'typescript' ? mappedFanOuts(module, fn, gather, calls.filter((call) => !earlier.has(call)), origins) : [];
  const loopCalls = calls.filter((call) => call.loop !== undefined);
  for (const [id, produced] of elementLoops(fn, gather, loopCalls, events)) {
    const loop = events.get(id);
    const element = outermost(produced)[0];
    if (loop?.kind !== 'iterate' || !element) continue;
    const work = startsTask(element.callee, element.text) ? spawnedWork(element, loopCalls) : { call: element };
    const elements = origins.get(loop)?.value;
    if (work) fanOuts.push({ site: gather, work, host: fn, loop, collection: loop.range, ...(elements && { elements }) });
  }
  const pushed = module.language === 'typescript' ? pushedFanOut(module, fn, gather, origins) : undefined;
  return pushed ? [...fanOuts, pushed] : fanOuts;
}

import type { CallEvent, FunctionFacts, FunctionKind, ModuleFacts } from './facts';

/** The kinds of function a framework runs once per request (or per message, per connection). */
export const PER_REQUEST_KINDS: ReadonlySet<FunctionKind> = new Set(['route', 'websocket', 'dependency', 'background']);

/** Every call event of a function's flow, in block order. */
export function callsOf(fn: { flow: FunctionFacts['flow'] }): CallEvent[] {
  const calls: CallEvent[] = [];
  for (const block of fn.flow.blocks) for (const event of block.events) if (event.kind === 'call') calls.push(event);
  return calls;
}

/** Python's `__init__` and JavaScript's `constructor`: they run when an object is built, not per request. */
export function isConstructor(fn: Pick<FunctionFacts, 'name' | 'className'>): boolean {
  return fn.name === '__init__' || (fn.className !== undefined && fn.name === 'constructor');
}

/** The names a module's own functions and methods are called by: `app.main.helper`, `app.main.Service().run`. */
export function calleeNamesOf(module: ModuleFacts, fn: FunctionFacts): string[] {
  if (fn.isLambda || fn.parent) return [];
  if (!fn.className) return [`${module.moduleName}.${fn.name}`];
  return [`${module.moduleName}.${fn.className}().${fn.name}`, `${module.moduleName}.${fn.className}.${fn.name}`];
}

/**
 * The functions of a module that run per request: handlers of the given kinds, the functions
 * and methods of this module they call (transitively), and functions nested in either. Each maps
 * to the handler it is first reached from. `runsOnce` drops functions whose body does not run per
 * call (a cached dependency).
 */
export function requestReach(
  module: ModuleFacts,
  runsOnce: (fn: FunctionFacts) => boolean = () => false,
  kinds: ReadonlySet<FunctionKind> = PER_REQUEST_KINDS,
): Map<FunctionFacts, FunctionFacts> {
  const byCallee = new Map<string, FunctionFacts[]>();
  const nestedIn = new Map<string, FunctionFacts[]>();
  const append = <K>(map: Map<K, FunctionFacts[]>, key: K, fn: FunctionFacts) => {
    const list = map.get(key);
    if (list) list.push(fn);
    else map.set(key, [fn]);
  };
  for (const fn of module.functions) {
    for (const name of calleeNamesOf(module, fn)) append(byCallee, name, fn);
    if (fn.parent !== undefined) append(nestedIn, fn.parent, fn);
  }
  const reached = new Map<FunctionFacts, FunctionFacts>();
  const queue = module.functions.filter((fn) => kinds.has(fn.kind) && !runsOnce(fn)).map((fn) => ({ fn, entry: fn }));
  for (let head = 0; head < queue.length; head++) {
    const { fn, entry } = queue[head]!;
    if (reached.has(fn) || runsOnce(fn)) continue;
    reached.set(fn, entry);
    for (const call of callsOf(fn)) {
      if (!call.callee) continue;
      for (const callee of byCallee.get(call.callee) ?? []) if (!isConstructor(callee)) queue.push({ fn: callee, entry });
    }
    for (const nested of nestedIn.get(fn.id) ?? []) queue.push({ fn: nested, entry });
  }
  return reached;
}

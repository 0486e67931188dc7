import { spendBudget } from './budget';
import type { FunctionFacts } from './facts';

/**
 * The module's own functions by the qualified callee names calls to them carry:
 * `app.main.helper` for a function, `app.main.Manager().add` / `app.main.Manager.add` for a
 * method. Nested functions and lambdas are left out: they are reached through their parent.
 */
export function calleeIndex(module: { moduleName: string; functions: readonly FunctionFacts[] }): Map<string, FunctionFacts[]> {
  const index = new Map<string, FunctionFacts[]>();
  for (const fn of module.functions) {
    if (fn.isLambda || fn.parent) continue;
    const keys = fn.className
      ? [`${module.moduleName}.${fn.className}().${fn.name}`, `${module.moduleName}.${fn.className}.${fn.name}`]
      : [`${module.moduleName}.${fn.name}`];
    for (const key of keys) index.set(key, [...(index.get(key) ?? []), fn]);
  }
  return index;
}

/** The functions `fn` calls that `index` knows. */
export function calledFunctions(fn: FunctionFacts, index: ReadonlyMap<string, readonly FunctionFacts[]>): FunctionFacts[] {
  const called: FunctionFacts[] = [];
  for (const block of fn.flow.blocks) {
    for (const event of block.events) {
      if (event.kind === 'call' && event.callee) called.push(...(index.get(event.callee) ?? []));
    }
  }
  return called;
}

/** Every function reachable from `roots` through calls (and `follow`'s filter), roots included. */
export function reachableFunctions(
  roots: readonly FunctionFacts[],
  index: ReadonlyMap<string, readonly FunctionFacts[]>,
  follow: (callee: FunctionFacts) => boolean = () => true,
): Set<FunctionFacts> {
  const reached = new Set<FunctionFacts>();
  const queue = [...roots];
  while (queue.length > 0) {
    spendBudget();
    const fn = queue.pop()!;
    if (reached.has(fn)) continue;
    reached.add(fn);
    for (const callee of calledFunctions(fn, index)) if (!reached.has(callee) && follow(callee)) queue.push(callee);
  }
  return reached;
}

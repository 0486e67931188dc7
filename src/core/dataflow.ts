import type { FlowBlock, FlowEdge, FlowEvent, FlowGraph } from './facts';

/** A forward dataflow problem over a flow graph. States are treated as immutable between calls. */
export interface ForwardProblem<S> {
  initial(): S;
  /** Returns the state after `event`; may mutate and return `state`, which is a private copy. */
  event(state: S, event: FlowEvent): S;
  /** The state carried along an edge (e.g. a branch's outcome); may mutate its private copy. */
  edge(state: S, edge: FlowEdge, from: FlowBlock): S;
  join(states: readonly S[]): S;
  equals(a: S, b: S): boolean;
  copy(state: S): S;
}

/**
 * Solves the problem to a fixpoint and returns each reachable block's entry state. Unreachable
 * blocks (code after `return`) have none. The iteration count is capped so that a non-monotone
 * corner can never hang the analysis; the result is then an under-approximation.
 */
export function solveForward<S>(graph: FlowGraph, problem: ForwardProblem<S>): Map<number, S> {
  const predecessors = new Map<number, { from: FlowBlock; edge: FlowEdge }[]>();
  for (const block of graph.blocks) {
    for (const edge of block.next) {
      let list = predecessors.get(edge.to);
      if (!list) predecessors.set(edge.to, (list = []));
      list.push({ from: block, edge });
    }
  }
  const entry = new Map<number, S>();
  const exit = new Map<number, S>();
  entry.set(graph.entry, problem.initial());
  const queue: number[] = [graph.entry];
  const queued = new Set(queue);
  let budget = graph.blocks.length * 50 + 100;
  while (queue.length > 0 && budget-- > 0) {
    const id = queue.shift()!;
    queued.delete(id);
    const block = graph.blocks[id]!;
    if (id !== graph.entry) {
      const incoming: S[] = [];
      for (const { from, edge } of predecessors.get(id) ?? []) {
        const out = exit.get(from.id);
        if (out !== undefined) incoming.push(problem.edge(problem.copy(out), edge, from));
      }
      if (incoming.length === 0) continue;
      entry.set(id, problem.join(incoming));
    }
    let state = problem.copy(entry.get(id)!);
    for (const event of block.events) state = problem.event(state, event);
    const previous = exit.get(id);
    if (previous !== undefined && problem.equals(previous, state)) continue;
    exit.set(id, state);
    for (const edge of block.next) {
      if (!queued.has(edge.to)) {
        queued.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return entry;
}

/** Visits every event of every reachable block with the state just before it. */
export function replayForward<S>(
  graph: FlowGraph,
  problem: ForwardProblem<S>,
  entries: ReadonlyMap<number, S>,
  visit: (event: FlowEvent, before: S) => void,
): void {
  for (const block of graph.blocks) {
    const entry = entries.get(block.id);
    if (entry === undefined) continue;
    let state = problem.copy(entry);
    for (const event of block.events) {
      visit(event, state);
      state = problem.event(state, event);
    }
  }
}

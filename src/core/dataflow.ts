import { spendBudget } from './budget';
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
  // Blocks are taken in reverse postorder: a block's predecessors outside loops come first, so a
  // join is computed once all of them are known, and a long `elif` chain costs linear time
  // rather than one re-join of the merge point per branch.
  const order = reversePostorder(graph);
  const queue = new BlockQueue(order);
  queue.push(graph.entry);
  let budget = graph.blocks.length * 50 + 100;
  while (!queue.empty && budget-- > 0) {
    spendBudget();
    const id = queue.pop();
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
    for (const edge of block.next) queue.push(edge.to);
  }
  return entry;
}

/** Each block's position in a reverse postorder from the entry (iterative: graphs can be deep); unreached blocks last. */
function reversePostorder(graph: FlowGraph): Int32Array {
  const position = new Int32Array(graph.blocks.length).fill(graph.blocks.length);
  const visited = new Uint8Array(graph.blocks.length);
  const postorder: number[] = [];
  const stack: { id: number; next: number }[] = [{ id: graph.entry, next: 0 }];
  visited[graph.entry] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const edges = graph.blocks[top.id]!.next;
    if (top.next < edges.length) {
      const to = edges[top.next++]!.to;
      if (!visited[to]) {
        visited[to] = 1;
        stack.push({ id: to, next: 0 });
      }
    } else {
      postorder.push(top.id);
      stack.pop();
    }
  }
  for (let index = 0; index < postorder.length; index++) position[postorder[postorder.length - 1 - index]!] = index;
  return position;
}

/** A worklist of block ids that hands out the earliest in reverse postorder first, each id queued once. */
class BlockQueue {
  private readonly heap: number[] = [];
  private readonly queued: Uint8Array;

  constructor(private readonly position: Int32Array) {
    this.queued = new Uint8Array(position.length);
  }

  get empty(): boolean {
    return this.heap.length === 0;
  }

  push(id: number): void {
    if (this.queued[id]) return;
    this.queued[id] = 1;
    const heap = this.heap;
    heap.push(id);
    for (let child = heap.length - 1; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (this.position[heap[parent]!]! <= this.position[heap[child]!]!) break;
      [heap[parent], heap[child]] = [heap[child]!, heap[parent]!];
      child = parent;
    }
  }

  pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let parent = 0; ; ) {
        const left = parent * 2 + 1;
        const right = left + 1;
        let smallest = parent;
        if (left < heap.length && this.position[heap[left]!]! < this.position[heap[smallest]!]!) smallest = left;
        if (right < heap.length && this.position[heap[right]!]! < this.position[heap[smallest]!]!) smallest = right;
        if (smallest === parent) break;
        [heap[parent], heap[smallest]] = [heap[smallest]!, heap[parent]!];
        parent = smallest;
      }
    }
    this.queued[top] = 0;
    return top;
  }
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
    spendBudget();
    for (const event of block.events) {
      visit(event, state);
      state = problem.event(state, event);
    }
  }
}

/** A flow graph's events in block order, listed once per graph: many rules and summaries ask, and a graph never changes once built. */
const eventsByFlow = new WeakMap<FlowGraph, readonly FlowEvent[]>();

export function flowEvents(flow: FlowGraph): readonly FlowEvent[] {
  let events = eventsByFlow.get(flow);
  if (!events) eventsByFlow.set(flow, (events = flow.blocks.flatMap((block) => block.events)));
  return events;
}

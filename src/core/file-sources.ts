import type { CallEvent, FunctionFacts } from './facts';

/**
 * The calls of one function by id and by the locals they are bound to: where the file a call reads
 * or writes came from (`fh.read()` where `with open(path) as fh`, `json.load(open(path))`).
 * Built once per function and shared by the questions asked about its files.
 */
export class FileSources {
  readonly calls = new Map<number, CallEvent>();
  private readonly bindings = new Map<string, CallEvent[]>();

  static of(fn: FunctionFacts): FileSources {
    let sources = byFunction.get(fn);
    if (!sources) byFunction.set(fn, (sources = new FileSources(fn)));
    return sources;
  }

  private constructor(fn: FunctionFacts) {
    for (const block of fn.flow.blocks) {
      for (const event of block.events) {
        if (event.kind !== 'call') continue;
        this.calls.set(event.id, event);
        for (const holder of event.boundTo ?? []) if (holder.kind === 'local') this.bindings.set(holder.key, [...(this.bindings.get(holder.key) ?? []), event]);
      }
    }
  }

  /** The calls whose results flow into this one: directly, or through the locals it is given or called on. */
  sourcesOf(event: CallEvent): CallEvent[] {
    return [
      ...(event.inputs?.calls ?? []).flatMap((id) => this.calls.get(id) ?? []),
      ...(event.inputs?.locals ?? []).flatMap((name) => this.bindings.get(name) ?? []),
    ];
  }
}

/** Facts never change once built. */
const byFunction = new WeakMap<FunctionFacts, FileSources>();

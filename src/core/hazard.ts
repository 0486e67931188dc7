import type { Range } from './facts';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface RelatedLocation {
  path: string;
  range: Range;
  message: string;
}

/** An edit in the hazard's own file. Ranges refer to the text the hazard was computed from. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export type FixApplicability = 'safe' | 'unsafe';

export interface Fix {
  applicability: FixApplicability;
  /** Imperative title, e.g. "Hold `counter_lock` from the read to the write". */
  message: string;
  edits: TextEdit[];
}

/** A source location named in a hazard's story, with the line's text for the explainer. */
export interface StoryStep {
  range: Range;
  /** The code at that step, trimmed, e.g. `current = Metrics.requests`. */
  code: string;
  /** The file, when it is not the hazard's own (a step of a call chain in another module). */
  path?: string;
}

/**
 * The structured story behind a finding: what the explainer panel animates and the hover retells.
 * Each rule family adds its own shape here.
 */
export type HazardStory =
  | {
      kind: 'lost-update';
      state: string;
      read: StoryStep;
      suspend: StoryStep;
      write: StoryStep;
    }
  | {
      kind: 'check-then-act';
      state: string;
      check: StoryStep;
      suspend: StoryStep;
      write: StoryStep;
    }
  | {
      kind: 'thread-race';
      state: string;
      read: StoryStep;
      write: StoryStep;
    }
  | {
      /** A call that holds the event loop: directly, or at the end of `chain` (IL202). */
      kind: 'blocking-call';
      call: StoryStep;
      /** The calls from the coroutine's callee down to the blocking one, in order. */
      chain: StoryStep[];
      /** What the blocking call does, e.g. `waits for the network`. */
      does: string;
    }
  | {
      /** A resource opened at startup or import and never closed. */
      kind: 'missing-cleanup';
      opened: StoryStep;
      /** The call that would release it, e.g. `await app.state.redis.aclose()`. */
      close: string;
    }
  | {
      kind: 'per-process';
      state: string;
      definition: StoryStep;
      mutations: StoryStep[];
      workers?: WorkerSetting;
    };

/** A worker/process count and where the deployment sets it. */
export interface WorkerSetting {
  count: number;
  /**
   * How the deployment states the count when it is not a plain number of workers, for messages:
   * `2 × CPUs + 1 workers`, `3 replicas`. `count` is then a lower bound (≥ 2).
   */
  description?: string;
  /** Undefined when the count comes from the user's settings rather than a file. */
  source?: { path: string; range: Range; text: string };
}

export interface Hazard {
  code: string;
  name: string;
  severity: Severity;
  /** One line: what is wrong, in the user's names and lines. */
  message: string;
  /**
   * Why it breaks and what to do instead, in the user's names (Markdown): shown under the message
   * where there is room (hover, explainer, text output, JSON, SARIF). Without it, surfaces fall
   * back to the rule's docs.
   */
  explanation?: string;
  path: string;
  range: Range;
  related: RelatedLocation[];
  fix?: Fix;
  story?: HazardStory;
}

export function compareHazards(a: Hazard, b: Hazard): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

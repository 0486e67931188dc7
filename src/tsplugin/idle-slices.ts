/**
 * Work the plugin does between tsserver's requests. tsserver reads its next request only when
 * the plugin returns, so the work runs in short slices from timers, each started only once no
 * request has come for a while: TypeScript's own answers wait at most one slice, and none while
 * the user is typing.
 */

/** How long tsserver must have been without a request before a slice starts. */
export const IDLE_MS = 300;
/** How long a slice may run; one file's summary may overrun it. */
export const SLICE_MS = 20;

/** What tsserver's host offers for timers (`ts.server.ServerHost`). */
export interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
}

export class IdleSlices {
  private lastRequestAt = -Infinity;
  private scheduled = false;

  constructor(
    private readonly host: TimerHost,
    /** Works until the deadline (a `performance.now()` time); true while work is left. */
    private readonly slice: (deadline: number) => boolean,
  ) {}

  /** A request arrived: slices wait until tsserver has been idle again for IDLE_MS. */
  noteRequest(): void {
    this.lastRequestAt = performance.now();
    this.schedule(IDLE_MS);
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.host.setTimeout(() => this.run(), delayMs);
  }

  private run(): void {
    this.scheduled = false;
    const quiet = performance.now() - this.lastRequestAt;
    if (quiet < IDLE_MS) {
      this.schedule(IDLE_MS - quiet);
      return;
    }
    if (this.slice(performance.now() + SLICE_MS)) this.schedule(0);
  }
}

import type { BatchProgress } from '../workspace/batch-analysis';
import type { OutputStream } from './cli-io';

/** Redraws at most this often, so progress costs nothing measurable on fast runs. */
const REDRAW_INTERVAL_MS = 100;

const VERB: Record<BatchProgress['phase'], string> = { index: 'Indexing', check: 'Checking' };

/** A one-line `Checking 120/1000 files` counter on a terminal's stderr, erased when done. */
export class ProgressLine {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: OutputStream) {}

  update({ phase, done, total }: BatchProgress): void {
    const now = Date.now();
    if (done < total && now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(`\r\x1b[2K${VERB[phase]} ${done}/${total} files`);
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

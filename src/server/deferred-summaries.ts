/**
 * What the documents being typed in show other files (their summaries), handed to their folder's
 * project facts once typing pauses. Changing those facts makes every document of the folder be
 * checked against new ones, and sends them whole to the analysis thread: work for other files,
 * which reaches them after the pause instead of waiting in each keystroke's path. The document
 * itself is checked against its current summary all along: the analysis thread lays it over the
 * folder's facts (src/server/document-worker.ts).
 */
import type { ModuleSummaries } from '../core/engine';
import type { ProjectContext } from './project-context';

interface PendingSummary {
  context: ProjectContext;
  path: string;
  /** As JSON, as the analysis thread sends it: read only when handed over. */
  summary: string | undefined;
  timer: NodeJS.Timeout;
}

export class DeferredSummaries {
  private readonly pending = new Map<string, PendingSummary>();

  constructor(
    private readonly pauseMs: number,
    /** Called when a document's summary changed its folder's project facts. */
    private readonly changed: (context: ProjectContext, uri: string) => void,
  ) {}

  /** A document's latest summary, handed over when no newer one comes within the pause. */
  offer(uri: string, context: ProjectContext, path: string, summary: string | undefined): void {
    this.drop(uri);
    this.pending.set(uri, { context, path, summary, timer: setTimeout(() => this.handOver(uri), this.pauseMs) });
  }

  /** Forgets a document's pending summary (it closed: the file on disk stands again). */
  drop(uri: string): void {
    clearTimeout(this.pending.get(uri)?.timer);
    this.pending.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.drop(uri);
  }

  private handOver(uri: string): void {
    const pending = this.pending.get(uri);
    if (!pending) return;
    this.pending.delete(uri);
    const summary = pending.summary === undefined ? undefined : (JSON.parse(pending.summary) as ModuleSummaries);
    if (pending.context.setSummary(pending.path, summary)) this.changed(pending.context, uri);
  }
}

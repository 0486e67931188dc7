/**
 * The language server's messages to and from its analysis thread (src/server/analysis-worker.ts),
 * which parses and checks documents so that the thread answering the editor never waits on one.
 */
import type { FileSuppressions } from '../core/bulk-suppressions';
import type { ResolvedConfig } from '../core/config';
import type { Comment, Language } from '../core/facts';
import type { Hazard } from '../core/hazard';
import type { ProjectFacts } from '../core/rule';
import type { FileOutcome } from '../workspace/file-analysis';
import type { LensedCode } from './context-lens';
import type { PendingEdits } from './open-document';
import type { CodeContexts, CodePosition } from './protocol';

/** Project facts by key: sent once, then named by their key while they stay the same. */
export interface ProjectReference {
  key: number;
  facts?: ProjectFacts;
}

/** What every analysis needs besides its file. */
export interface AnalysisSettings {
  config: ResolvedConfig;
  project: ProjectReference;
  budgetMs: number;
}

export type AnalysisRequest = { id: number } & (
  | ({ kind: 'document'; uri: string; path: string; moduleName: string; text: string; edits: PendingEdits; summarize: boolean; root: string; suppressions?: FileSuppressions } & AnalysisSettings)
  | ({ kind: 'fix-all'; path: string; moduleName: string; text: string } & AnalysisSettings)
  | ({ kind: 'file'; path: string; moduleName: string; maxFileSize: number; suppressions?: FileSuppressions } & AnalysisSettings)
  /** Where the code at a position of an open document runs, from the document's last analysis. */
  | ({ kind: 'contexts-at'; budgetMs: number } & CodePosition)
  /** Where the code at a position of a file that is not open runs, the file read from disk. */
  | ({ kind: 'file-contexts-at'; path: string; moduleName: string; maxFileSize: number; project: ProjectReference; budgetMs: number } & CodePosition)
  | { kind: 'close'; uri: string }
);

export interface DocumentResult {
  hazards: Hazard[];
  comments: Comment[];
  language: Language;
  /** The document's summaries as JSON, when asked for: a string crosses threads in one copy, and the server reads it only once typing pauses. */
  summary: string | undefined;
  /** Where the code any `contextLens` setting covers runs, in source order: the lens and its hover. */
  lensed: LensedCode[];
  problems: string[];
  parseMs: number;
  checkMs: number;
}

export type AnalysisReply = { id: number } & (
  | { kind: 'document'; result: DocumentResult }
  | { kind: 'fix-all'; text: string }
  | { kind: 'file'; outcome: FileOutcome }
  | { kind: 'contexts-at'; contexts: CodeContexts }
  | { kind: 'not-analysed'; reason: string }
  | { kind: 'failed'; error: string }
);

/**
 * What the language server and the VS Code client say to each other beyond standard LSP. Types
 * only: both sides import this module, and nothing here may pull in the engine.
 */
import type { FixApplicability, HazardStory, Severity, WorkerSetting } from '../core/hazard';
import type { RuleExample, RuleFamily } from '../core/rule';

/** Identifies one published diagnostic: the document, its range and its rule code. */
export interface HazardReference {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
}

/**
 * `initializationOptions` of the `initialize` request. A client that runs the tsserver plugin
 * (the VS Code extension, when VS Code's TypeScript support loads plugins) says so, and the server
 * then leaves TypeScript and JavaScript files to it — never both. Other clients send nothing and
 * get the server's findings for every language.
 */
export interface InitializationOptions {
  /** Who reports on TypeScript and JavaScript files: this server (the default), or the tsserver plugin. */
  typescript?: 'server' | 'plugin';
}

/** Request `interleave/explain`: everything the explainer panel draws for one finding. */
export const EXPLAIN_REQUEST = 'interleave/explain';

export interface ExplainResult {
  code: string;
  name: string;
  family: RuleFamily;
  severity: Severity;
  /** The finding's message, in the user's names and lines. */
  message: string;
  /** Why it breaks and what to do instead, in the user's names (Markdown), when the finding says. */
  explanation?: string;
  /** The rule's documentation page. */
  url: string;
  story?: HazardStory;
  /** How many worker processes the project runs, when known (the per-process story draws them). */
  workers?: WorkerSetting;
  docs: {
    summary: string;
    whatItDoes: string;
    whyIsThisBad: string;
    fixSafety: string;
    whenNotToUse: string;
    examples: RuleExample[];
  };
  /**
   * The user's code around the finding (1-based `startLine`) and, when the finding has a fix, the
   * same lines with the fix applied, for a side-by-side view.
   */
  excerpt: { startLine: number; before: string; after?: string };
  fix?: { applicability: FixApplicability; message: string };
}

/** Request `interleave/analyzeWorkspace`: analyse every file of every workspace folder now. */
export const ANALYZE_WORKSPACE_REQUEST = 'interleave/analyzeWorkspace';

export interface AnalyzeWorkspaceResult {
  files: number;
  hazards: number;
}

/** Notification `interleave/status`, server → client, after every analysis. */
export const STATUS_NOTIFICATION = 'interleave/status';

export interface StatusParams {
  /** Hazards currently published across all documents. */
  hazards: number;
  /** ISO time of the last completed analysis. */
  lastAnalysis?: string;
  analyzing: boolean;
}

/** Client command that opens the explainer panel; its single argument is a HazardReference. */
export const EXPLAIN_COMMAND = 'interleave.explain';

/**
 * The client's `interleave` settings section, as `workspace/configuration` returns it for a
 * workspace folder (or a document's URI). The server asks for it rather than being pushed it, and
 * registers for `workspace/didChangeConfiguration` to hear when to ask again. Rule lists take
 * codes, code prefixes or names, as in `[tool.interleave]`; they override the project's files.
 */
export const SETTINGS_SECTION = 'interleave';

export interface ClientSettings {
  /** False turns analysis off for the folder: nothing is published for its documents. */
  enable: boolean;
  select: string[];
  ignore: string[];
  /** Per-rule severity by code or name. */
  severity: Record<string, Severity>;
  /** Analyse open documents as they are edited, or only when saved. */
  run: 'onType' | 'onSave';
  /** Findings recorded in interleave-suppressions.json: left out, or shown as hints. */
  suppressedFindings: 'hide' | 'hint';
  /** Worker process count; null leaves it to deployment detection. */
  workers: number | null;
  /** Globs of paths never analysed, added to the project's own `exclude`. */
  exclude: string[];
}

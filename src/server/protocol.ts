/**
 * What the language server and the VS Code client say to each other beyond standard LSP. Types
 * only: both sides import this module, and nothing here may pull in the engine.
 */
import type { ContextKind } from '../core/contexts/kinds';
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
 * Request `interleave/whereDoesThisRun` (params: a CodePosition): where the code at a position
 * runs — the innermost function around it, else the module state defined there, else the module's
 * top-level code. The command of the same purpose shows the answer in the explainer panel.
 */
export const WHERE_DOES_THIS_RUN_REQUEST = 'interleave/whereDoesThisRun';

/** Client command that shows where code runs in the explainer panel; its optional argument is a CodePosition. */
export const WHERE_DOES_THIS_RUN_COMMAND = 'interleave.whereDoesThisRun';

/** A range of a document: 0-based lines and UTF-16 columns, as LSP has them. */
export interface TextRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface CodePosition {
  uri: string;
  position: { line: number; character: number };
}

/** One link of a chain from an entry point: the entry point itself, or a call on the way. */
export interface ChainLink {
  /** The entry point as the user names it (`POST /chat`, `lifespan \`lifespan\``), or the call (`summarize()`). */
  label: string;
  /** For a call: the function that makes it. */
  caller?: string;
  uri: string;
  range: TextRange;
}

/** One context code runs in, and why: the entry point and the calls from it that reach the code. */
export interface RunContext {
  kind: ContextKind;
  /** As the lens says it: `per request · event loop · GET /dashboard`. */
  line: string;
  chain: ChainLink[];
}

/** Where one function, piece of module state or module's top-level code runs: the lens, its hover and the panel. */
export interface CodeContexts {
  kind: 'function' | 'state' | 'module';
  /** As a message names it, code in backticks: `` `dashboard` ``, `` `RequestCounter.count` ``, `the GET /dashboard handler`. */
  subject: string;
  uri: string;
  /** The line the lens sits above. */
  anchor: TextRange;
  /** The name, where the hover answers. */
  range: TextRange;
  /** The lens's lines: one per context (startup and shutdown of one lifespan share one), or one saying none is known. */
  lines: string[];
  /** Empty when no known entry point reaches the code. */
  contexts: RunContext[];
  /** The project's worker processes, when known: each has its own copy of what runs once per worker. */
  workers?: { count: number; description?: string; source?: { uri: string; range: TextRange } };
}

/** A lens as LSP has it: over the code, a command that shows where it runs in the explainer. */
export interface ContextLens {
  range: TextRange;
  command: { title: string; command: string; tooltip: string; arguments: [CodePosition] };
}

/** Which code gets a lens (and a hover) saying where it runs; `handlers` also covers dependencies, lifespans and mutated module state. */
export type ContextLensSetting = 'off' | 'handlers' | 'all';

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
  contextLens: ContextLensSetting;
}

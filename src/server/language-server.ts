/**
 * The Interleave language server: diagnostics as you type, code actions, hover, the explainer's
 * request and a workspace-wide analysis, over any LSP connection. The analysis is the CLI's:
 * this module keeps documents, trees, configuration and the cross-file index current and
 * converts results, nothing more.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type DidChangeWatchedFilesParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type WorkDoneProgressReporter,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { DEFAULT_FILE_BUDGET_MS } from '../core/budget';
import { SUPPRESSIONS_FILE_NAME } from '../core/bulk-suppressions';
import type { Comment, Language } from '../core/facts';
import type { Hazard } from '../core/hazard';
import { positionWithin, sameRange } from '../core/positions';
import type { RuleMeta } from '../core/rule';
import { RULES } from '../rules';
import { languageOf, loadFrontends } from '../workspace/analyze';
import { discoverSourceFiles } from '../workspace/discovery';
import type { FileOutcome } from '../workspace/file-analysis';
import { DEFAULT_MAX_FILE_SIZE, formatByteSize } from '../workspace/source-file';
import { DEFAULT_EDITOR_SETTINGS, parseEditorSettings, type EditorSettings } from './editor-settings';
import { replacementEdit } from '../core/fix-all';
import {
  disableForFileAction,
  disableForLineAction,
  explainAction,
  FIX_ALL_KIND,
  fixAction,
  fixAllAction,
  kindRequested,
  type EditTarget,
} from './code-actions';
import { ContextLensProvider, type LensAnalysis, type LensedCode } from './context-lens';
import { DIAGNOSTIC_SOURCE, hazardDataOf, hazardToDiagnostic } from './diagnostics';
import { pathToUri, uriToPath } from './document-uri';
import { explainResult } from './explain';
import type { AnalysisReply } from './analysis-protocol';
import { AnalysisThread, AnalysisThreadRestarted } from './analysis-thread';
import { indexOnThread, type IndexReply } from './index-thread';
import { hoverMarkdown } from './hover';
import { DeferredSummaries } from './deferred-summaries';
import { OpenDocument } from './open-document';
import { ProjectContext, summarizeFile } from './project-context';
import {
  ANALYZE_WORKSPACE_REQUEST,
  EXPLAIN_REQUEST,
  SETTINGS_SECTION,
  STATUS_NOTIFICATION,
  WHERE_DOES_THIS_RUN_REQUEST,
  type AnalyzeWorkspaceResult,
  type CodeContexts,
  type CodePosition,
  type ContextLens,
  type ExplainResult,
  type HazardReference,
  type InitializationOptions,
  type StatusParams,
} from './protocol';
import { isCodePosition, isHazardReference } from './request-params';
import { ServerLog } from './server-log';

/**
 * A document whose last analysis took at most this long is analysed on every keystroke, at once:
 * the analysis thread finishes it before a fast typist's next keystroke (100–150 ms apart), so no
 * analysis waits behind another and findings follow the text with no added wait. A slower one
 * waits for typing to pause: analyses started on every keystroke would queue on that thread.
 */
const FAST_ANALYSIS_MS = 100;
/**
 * How long typing must pause before a slower document is analysed (and before other open
 * documents are re-checked against an edited one): an analysis started mid-word would be
 * superseded before it finished.
 */
const TYPING_PAUSE_MS = 150;
/** How long an indexing or workspace run works before letting requests and edits through. */
/** How often indexing reports its progress. */
const PROGRESS_INTERVAL_MS = 100;
const TIME_SLICE_MS = 15;
/** How far into a document a NUL character marks it as binary (what the CLI reads from disk). */
const BINARY_SNIFF_LENGTH = 8 * 1024;

/** The file extension an unsaved document of a language is analysed as. */
const UNSAVED_EXTENSIONS: Readonly<Record<string, string>> = {
  python: '.py',
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

const RULE_METAS: ReadonlyMap<string, RuleMeta> = new Map(RULES.map((rule) => [rule.meta.code, rule.meta]));
/** Files whose change reloads the configuration (interleave-suppressions.json is read with it). */
const CONFIG_FILE_NAMES = new Set(['pyproject.toml', 'interleave.toml', 'package.json', SUPPRESSIONS_FILE_NAME]);

/** What the last analysis of an open document found, for its version. */
interface DocumentAnalysis {
  version: number;
  text: string;
  hazards: Hazard[];
  language: Language;
  comments: readonly Comment[];
  /** Where the code any lens setting covers runs, worked out with the findings; undefined when nothing was analysed. */
  lensed?: LensedCode[];
}

/** Where a document's findings come from: its path (real, or made up for unsaved documents) and project. */
interface DocumentTarget {
  path: string;
  context: ProjectContext;
  /** False for untitled documents and notebook cells: they have no file to index. */
  onDisk: boolean;
}

interface ClientFeatures {
  versionedEdits: boolean;
  pullConfiguration: boolean;
  registerConfiguration: boolean;
  registerWatchers: boolean;
  workspaceFolders: boolean;
  refreshLenses: boolean;
}

function clientFeatures(capabilities: ClientCapabilities): ClientFeatures {
  return {
    versionedEdits: capabilities.workspace?.workspaceEdit?.documentChanges === true,
    pullConfiguration: capabilities.workspace?.configuration === true,
    registerConfiguration: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    registerWatchers: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: capabilities.workspace?.workspaceFolders === true,
    refreshLenses: capabilities.workspace?.codeLens?.refreshSupport === true,
  };
}

/** The length of a line of a file, for a diagnostic that underlines all of it; 0 when it cannot be read. */
function lineLength(path: string, line: number): number {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n|\r/)[line]?.length ?? 0;
  } catch {
    return 0;
  }
}

/** Why an open document's text is not analysed, or undefined when it is. */
function skipReason(text: string): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > DEFAULT_MAX_FILE_SIZE) return `larger than the ${formatByteSize(DEFAULT_MAX_FILE_SIZE)} limit (${formatByteSize(bytes)})`;
  if (text.slice(0, BINARY_SNIFF_LENGTH).includes('\0')) return 'binary content (NUL character in the first 8 KiB)';
  return undefined;
}

/** A request the client cancelled while it was waiting on an analysis is answered as cancelled (-32800), not with stale work. */
function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
}

class InterleaveLanguageServer {
  private initializeReceived = false;
  private readonly log: ServerLog;
  private features: ClientFeatures = clientFeatures({});
  private readonly documents = new Map<string, OpenDocument>();
  private readonly analyses = new Map<string, DocumentAnalysis>();
  private readonly inFlight = new Map<string, { version: number; done: Promise<DocumentAnalysis | undefined> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** How long each open document's last complete analysis took, in milliseconds. */
  private readonly analysisTimes = new Map<string, number>();
  /** Hazard counts of every document with published findings, for the status. */
  private readonly published = new Map<string, number>();
  /** Closed files whose findings a workspace analysis published; kept current when they change on disk. */
  private readonly workspaceFindings = new Set<string>();
  /** Open documents the analysis could not finish, and why: in the status item, logged once per reason. */
  private readonly notAnalysed = new Map<string, string>();
  private readonly analysisThread = new AnalysisThread((reason) => {
    this.log.error(`${reason}.`);
    for (const document of this.documents.values()) document.forgetEdits();
  });
  /** Documents whose skip reason was logged, with the version, so a skip is logged once per edit burst. */
  private readonly skipLogged = new Map<string, string>();
  /** Configuration files with an error, by the context that read them, and those shown as diagnostics. */
  private readonly configErrorUris = new Map<ProjectContext, string>();
  private publishedConfigErrors = new Set<string>();
  private readonly shownConfigProblems = new Map<string, string>();
  private folders: ProjectContext[] = [];
  /** Contexts for files opened outside every workspace folder, by directory. */
  private readonly looseContexts = new Map<string, ProjectContext>();
  private globalSettings: EditorSettings = DEFAULT_EDITOR_SETTINGS;
  private readonly configured: Promise<void>;
  private markConfigured: () => void = () => undefined;
  private busy = 0;
  /** The latest indexing run of each folder, which a workspace analysis waits for. */
  private readonly indexRuns = new Map<ProjectContext, Promise<void>>();
  private lastAnalysis?: string;
  /** False when the client's tsserver plugin reports on TypeScript and JavaScript files instead. */
  private coversTypeScript = true;
  /** What other files see of an edited document changes once typing pauses; then they are re-checked. */
  private readonly summaries = new DeferredSummaries(TYPING_PAUSE_MS, (context, uri) => {
    for (const other of this.openDocumentsIn(context)) if (other.uri !== uri) this.schedule(other, 0);
  });
  private readonly lens = new ContextLensProvider(() => {
    if (this.features.refreshLenses) this.connection.sendRequest(CodeLensRefreshRequest.type).catch((error: unknown) => this.log.verbose(`codeLens/refresh failed: ${String(error)}`));
  });

  constructor(private readonly connection: Connection) {
    this.log = new ServerLog(connection.console);
    this.configured = new Promise((resolve) => (this.markConfigured = resolve));
  }

  listen(): void {
    const { connection } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.guard('initialized', () => this.initialized()));
    connection.onDidOpenTextDocument(({ textDocument }) =>
      this.guard('didOpen', () => this.open(new OpenDocument(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text))),
    );
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) =>
      this.guard('didChange', () => this.change(textDocument.uri, textDocument.version, contentChanges)),
    );
    connection.onDidSaveTextDocument(({ textDocument }) => this.guard('didSave', () => this.save(textDocument.uri)));
    connection.onDidCloseTextDocument(({ textDocument }) => this.guard('didClose', () => this.close(textDocument.uri)));
    connection.onDidChangeConfiguration((params) => this.guard('didChangeConfiguration', () => this.reloadConfiguration(params.settings)));
    connection.onDidChangeWatchedFiles((params) => this.guard('didChangeWatchedFiles', () => this.watchedFilesChanged(params)));
    connection.onCodeAction((params, token) => this.afterInitialize(() => this.codeActions(params, token)));
    connection.onHover((params, token) => this.afterInitialize(() => this.hover(params, token)));
    connection.onCodeLens(({ textDocument }, token) => this.afterInitialize(() => this.codeLenses(textDocument.uri, token)));
    connection.onRequest(WHERE_DOES_THIS_RUN_REQUEST, (params: unknown, token: CancellationToken) => this.afterInitialize(() => this.whereDoesThisRun(params, token)));
    connection.onRequest(EXPLAIN_REQUEST, (params: unknown, token: CancellationToken) => this.afterInitialize(() => this.explain(params, token)));
    // Sent without params, vscode-jsonrpc passes the cancellation token first.
    connection.onRequest(ANALYZE_WORKSPACE_REQUEST, (first: unknown, second?: unknown) =>
      this.afterInitialize(() =>
        CancellationToken.is(first) ? this.analyzeWorkspace(undefined, first) : this.analyzeWorkspace(first, CancellationToken.is(second) ? second : CancellationToken.None),
      ),
    );
    // Requests no handler takes: before `initialize` the protocol's answer is -32002, after it "no such method".
    connection.onRequest((method: string) =>
      this.afterInitialize(() => {
        throw new ResponseError(ErrorCodes.MethodNotFound, `Interleave does not handle ${method}`);
      }),
    );
    connection.onShutdown(() => this.shutdown());
    connection.listen();
  }

  /** Answers a request once `initialize` has been received; before that, with -32002 as the protocol requires. */
  private afterInitialize<T>(handler: () => T): T {
    if (!this.initializeReceived) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'the server has not been initialized');
    return handler();
  }

  /**
   * Runs a notification handler; a failure is logged, never thrown at the connection (or the
   * process). Before `initialize`, notifications are dropped, as the protocol requires.
   */
  private guard(name: string, handler: () => void | Promise<unknown>): void {
    if (!this.initializeReceived) return;
    const report = (error: unknown) => this.log.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    try {
      const result = handler();
      if (result) result.catch(report);
    } catch (error) {
      report(error);
    }
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.initializeReceived = true;
    this.features = clientFeatures(params.capabilities);
    const options = params.initializationOptions as InitializationOptions | undefined;
    this.coversTypeScript = options?.typescript !== 'plugin';
    await loadFrontends();
    const folders: WorkspaceFolder[] =
      params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: basename(uriToPath(params.rootUri) ?? params.rootUri) }] : []);
    this.folders = folders.flatMap((folder) => {
      const root = uriToPath(folder.uri);
      return root ? [new ProjectContext(folder.uri, root, folder.name, true, DEFAULT_EDITOR_SETTINGS)] : [];
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'interleave' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.features.registerConfiguration) {
      await this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (this.features.registerWatchers) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.py' },
          { globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' },
          { globPattern: '**/{pyproject,interleave}.toml' },
          { globPattern: '**/package.json' },
          { globPattern: `**/${SUPPRESSIONS_FILE_NAME}` },
          // Deployment files: where the worker count comes from.
          { globPattern: '**/{Dockerfile,Dockerfile.*,*.Dockerfile,Containerfile,Procfile,Procfile.*,*.sh}' },
          { globPattern: '**/*.{yml,yaml}' },
        ],
      });
    }
    if (this.features.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((event) =>
        this.guard('didChangeWorkspaceFolders', () => this.foldersChanged(event.added, event.removed)),
      );
    }
    try {
      await this.loadConfiguration(this.folders);
    } finally {
      this.markConfigured();
    }
    for (const context of this.folders) await this.index(context);
  }

  // --- documents ----------------------------------------------------------------------------

  private open(document: OpenDocument): void {
    this.documents.set(document.uri, document);
    this.schedule(document, 0);
  }

  private change(uri: string, version: number, changes: Parameters<OpenDocument['applyChanges']>[0]): void {
    const document = this.documents.get(uri);
    if (!document) {
      this.log.warn(`didChange for ${uri}, which is not open; ignored`);
      return;
    }
    document.applyChanges(changes, version);
    const target = this.targetOf(document);
    if (target?.context.client.run !== 'onSave') this.schedule(document, this.analysisDelay(document.uri));
  }

  private save(uri: string): void {
    const document = this.documents.get(uri);
    if (document && this.targetOf(document)?.context.client.run === 'onSave') this.schedule(document, 0);
  }

  private close(uri: string): void {
    const document = this.documents.get(uri);
    this.cancel(uri);
    this.documents.delete(uri);
    this.analyses.delete(uri);
    this.analysisTimes.delete(uri);
    this.skipLogged.delete(uri);
    this.notAnalysed.delete(uri);
    this.lens.forget(uri);
    this.summaries.drop(uri);
    this.analysisThread.close(uri);
    const target = document && this.targetOf(document);
    // The file on disk is what other files see again, and what a workspace analysis reported.
    if (target?.onDisk && target.context.indexed) {
      this.updateSummaryFromDisk(target.context, target.path);
      if (this.workspaceFindings.has(uri)) {
        this.guard('publishClosedFile', () => this.publishClosedFile(target.context, target.path));
        return;
      }
    }
    this.publish(uri, []);
  }

  /** The path and project an open document is analysed in; undefined for documents Interleave does not read. */
  private targetOf(document: OpenDocument): DocumentTarget | undefined {
    const path = uriToPath(document.uri);
    if (path) {
      if (!this.reportsOn(path)) return undefined;
      return { path, context: this.contextFor(path), onDisk: true };
    }
    const extension = UNSAVED_EXTENSIONS[document.languageId];
    if (!extension || !this.reportsOn(`untitled${extension}`)) return undefined;
    // Untitled documents and notebook cells: analysed on their own, with the first folder's settings.
    const context = this.folders[0] ?? this.looseContext(process.cwd());
    return { path: `${document.uri}${extension}`, context, onDisk: false };
  }

  /** Whether this server analyses and reports on a file: any file a frontend reads, unless the tsserver plugin has TypeScript's. */
  private reportsOn(path: string): boolean {
    const language = languageOf(path);
    return language === 'python' || (language === 'typescript' && this.coversTypeScript);
  }

  private contextFor(path: string): ProjectContext {
    let best: ProjectContext | undefined;
    for (const context of this.folders) {
      if (context.contains(path) && (!best || context.root.length > best.root.length)) best = context;
    }
    return best ?? this.looseContext(dirname(path));
  }

  private looseContext(directory: string): ProjectContext {
    let context = this.looseContexts.get(directory);
    if (!context) {
      context = new ProjectContext(pathToUri(directory), directory, basename(directory), false, this.globalSettings);
      this.looseContexts.set(directory, context);
      this.applyConfig(context, this.globalSettings);
    }
    return context;
  }

  private openDocumentsIn(context: ProjectContext): OpenDocument[] {
    return [...this.documents.values()].filter((document) => this.targetOf(document)?.context === context);
  }

  private openUriOf(path: string): string | undefined {
    for (const document of this.documents.values()) if (uriToPath(document.uri) === path) return document.uri;
    return undefined;
  }

  // --- analysis -----------------------------------------------------------------------------

  private schedule(document: OpenDocument, delay: number): void {
    this.cancel(document.uri);
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        this.guard('analysis', async () => {
          await this.analyse(document);
        });
      }, delay),
    );
  }

  /** How long to wait after an edit before analysing: none for a document that analyses fast. */
  private analysisDelay(uri: string): number {
    return (this.analysisTimes.get(uri) ?? 0) <= FAST_ANALYSIS_MS ? 0 : TYPING_PAUSE_MS;
  }

  private cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  /** The analysis of the document's current version: the cached one, the one under way, or a new one. */
  private async currentAnalysis(document: OpenDocument): Promise<DocumentAnalysis | undefined> {
    const cached = this.analyses.get(document.uri);
    if (cached?.version === document.version) return cached;
    this.cancel(document.uri);
    return this.analyse(document);
  }

  private analyse(document: OpenDocument): Promise<DocumentAnalysis | undefined> {
    const running = this.inFlight.get(document.uri);
    if (running?.version === document.version) return running.done;
    const done = this.runAnalysis(document).finally(() => {
      if (this.inFlight.get(document.uri)?.done === done) this.inFlight.delete(document.uri);
    });
    this.inFlight.set(document.uri, { version: document.version, done });
    return done;
  }

  /** False once a newer edit or a close has made this analysis pointless. */
  private isCurrent(document: OpenDocument, version: number): boolean {
    return this.documents.get(document.uri) === document && document.version === version;
  }

  /**
   * Parses (incrementally), summarises and checks a document, yielding between the steps so a
   * newer edit cancels it; findings are published only for the version they were computed from.
   */
  private async runAnalysis(document: OpenDocument): Promise<DocumentAnalysis | undefined> {
    const version = document.version;
    await this.configured;
    const target = this.targetOf(document);
    if (!target || !this.isCurrent(document, version)) return undefined;
    const { context, path } = target;
    const text = document.text;
    const empty: DocumentAnalysis = { version, text, hazards: [], language: languageOf(path) ?? 'python', comments: [] };
    if (!context.client.enable || context.isExcluded(path)) return this.record(document.uri, empty);
    const skipped = skipReason(text);
    if (skipped) {
      document.forgetEdits();
      this.analysisThread.close(document.uri);
      if (this.skipLogged.get(document.uri) !== skipped) this.log.warn(`Not analysing ${document.uri}: ${skipped}.`);
      this.skipLogged.set(document.uri, skipped);
      return this.record(document.uri, empty);
    }
    this.skipLogged.delete(document.uri);

    // Parsed and checked on the analysis thread: this one keeps answering the editor meanwhile.
    let reply: AnalysisReply;
    try {
      reply = await this.analysisThread.request({
        kind: 'document',
        uri: document.uri,
        path,
        moduleName: target.onDisk ? context.moduleName(path) : '__main__',
        text,
        edits: document.takeEdits(),
        summarize: target.onDisk && context.indexed,
        root: context.root,
        ...(target.onDisk ? { suppressions: context.suppressionsFor(path) } : {}),
        config: context.config,
        project: this.analysisThread.project(context.projectFacts()),
        budgetMs: DEFAULT_FILE_BUDGET_MS,
      });
    } catch (error) {
      if (error instanceof AnalysisThreadRestarted) return undefined;
      throw error;
    }
    if (reply.kind === 'not-analysed') return this.recordNotAnalysed(document, { ...empty, language: languageOf(path) ?? 'python' }, reply.reason);
    if (reply.kind !== 'document') throw new Error(reply.kind === 'failed' ? reply.error : `unexpected ${reply.kind} reply`);
    const { result } = reply;
    this.notAnalysed.delete(document.uri);
    if (target.onDisk && context.indexed) this.summaries.offer(document.uri, context, path, result.summary);
    if (!this.isCurrent(document, version)) return undefined;
    for (const problem of result.problems) this.log.error(problem);
    const { hazards, language, comments, lensed } = result;
    const analysis = this.record(document.uri, { version, text, hazards, language, comments, lensed }, path);
    this.analysisTimes.set(document.uri, result.parseMs + result.checkMs);
    this.log.verbose(
      `Analysed ${basename(path)} v${version}: ${result.hazards.length} hazards; parse ${result.parseMs.toFixed(1)} ms, check ${result.checkMs.toFixed(1)} ms`,
    );
    return analysis;
  }

  /** A document the analysis could not finish: logged once per reason, shown in the status, published with no findings. */
  private recordNotAnalysed(document: OpenDocument, empty: DocumentAnalysis, reason: string): DocumentAnalysis {
    document.forgetEdits();
    if (this.notAnalysed.get(document.uri) !== reason) this.log.warn(`Not analysed: ${document.uri}: ${reason}.`);
    this.notAnalysed.set(document.uri, reason);
    return this.record(document.uri, empty);
  }

  private record(uri: string, analysis: DocumentAnalysis, path?: string): DocumentAnalysis {
    this.analyses.set(uri, analysis);
    this.publish(uri, analysis.hazards, analysis.version, path);
    this.lastAnalysis = new Date().toISOString();
    this.sendStatus();
    const document = this.documents.get(uri);
    if (document) this.lens.analysed(uri, this.lensAnalysis(document, analysis));
    return analysis;
  }

  /** Publishes findings; `path` is the one the findings name for this document (made up for unsaved ones). */
  private publish(uri: string, hazards: readonly Hazard[], version?: number, path?: string): void {
    const uriOf = (named: string) => (named === path ? uri : pathToUri(named));
    const diagnostics = hazards.map((hazard) => hazardToDiagnostic(hazard, { version, uriOf }));
    if (hazards.length > 0) this.published.set(uri, hazards.length);
    else this.published.delete(uri);
    this.sendDiagnostics({ uri, version, diagnostics });
  }

  private sendDiagnostics(params: PublishDiagnosticsParams): void {
    this.connection.sendDiagnostics(params).catch((error: unknown) => this.log.error(`publishing diagnostics failed: ${String(error)}`));
  }

  private sendStatus(): void {
    const hazards = [...this.published.values()].reduce((sum, count) => sum + count, 0);
    const status: StatusParams = { hazards, lastAnalysis: this.lastAnalysis, analyzing: this.busy > 0 };
    void this.connection.sendNotification(STATUS_NOTIFICATION, status).catch(() => undefined);
  }

  private async busyWith<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    this.sendStatus();
    try {
      return await work();
    } finally {
      this.busy--;
      this.sendStatus();
    }
  }

  // --- the cross-file index -----------------------------------------------------------------

  /**
   * Summarises every Python file of the folder on a worker thread (open documents summarise their
   * editor text instead), so edits and requests are served meanwhile and the reading leaves nothing
   * but summaries in this thread's heap, then re-checks the open documents against the complete
   * index.
   */
  private index(context: ProjectContext): Promise<void> {
    const run = this.runIndex(context);
    this.indexRuns.set(context, run);
    return run;
  }

  private async runIndex(context: ProjectContext): Promise<void> {
    const generation = ++context.indexGeneration;
    await this.busyWith(async () => {
      const progress = await this.connection.window.createWorkDoneProgress();
      progress.begin(`Interleave: indexing ${context.name}`, 0, undefined, false);
      const started = performance.now();
      try {
        const { files } = discoverSourceFiles([context.root], { exclude: context.config.exclude, excludeBase: context.configDirectory });
        const tasks = files.map((path) => ({ path, moduleName: context.moduleName(path), root: context.root }));
        let reportedAt = performance.now();
        let done = 0;
        const { unanswered, failure } = await indexOnThread(tasks, (reply) => {
          if (context.indexGeneration !== generation) return false;
          if (!this.openUriOf(reply.path)) this.applySummary(context, reply);
          done++;
          if (performance.now() - reportedAt > PROGRESS_INTERVAL_MS) {
            progress.report(Math.round((100 * done) / files.length), `${done}/${files.length} files`);
            reportedAt = performance.now();
          }
          return true;
        });
        if (failure !== undefined) this.log.error(`The indexing thread stopped (${failure}); indexing the rest here.`);
        // What a thread that died left, summarised here in time slices so edits and requests still get through.
        let sliceStarted = performance.now();
        for (const { path } of unanswered) {
          if (context.indexGeneration !== generation) return;
          if (!this.openUriOf(path)) this.updateSummaryFromDisk(context, path);
          if (performance.now() - sliceStarted > TIME_SLICE_MS) {
            await yieldToEventLoop();
            sliceStarted = performance.now();
          }
        }
        if (context.indexGeneration !== generation) return;
        context.retainSummaries(new Set(files));
        this.log.info(`Indexed ${files.length} files of ${context.name} in ${Math.round(performance.now() - started)} ms.`);
      } finally {
        progress.done();
      }
    });
    if (context.indexGeneration === generation) this.recheckOpenDocuments(context);
  }

  /** Records a summary the indexing thread read, as `updateSummaryFromDisk` would have. */
  private applySummary(context: ProjectContext, reply: IndexReply): void {
    if (reply.error !== undefined) {
      this.log.verbose(`Could not summarise ${reply.path}: ${reply.error}`);
      context.setSummary(reply.path, undefined);
    } else {
      context.setSummary(reply.path, reply.summary);
    }
  }

  private updateSummaryFromDisk(context: ProjectContext, path: string): boolean {
    try {
      return context.setSummary(path, summarizeFile(path, context.moduleName(path), context.root));
    } catch (error) {
      this.log.verbose(`Could not summarise ${path}: ${(error as Error).message}`);
      return context.setSummary(path, undefined);
    }
  }

  private recheckOpenDocuments(context: ProjectContext): void {
    for (const document of this.openDocumentsIn(context)) this.schedule(document, 0);
  }

  private watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    let configChanged = false;
    const deploymentChanged = new Set<ProjectContext>();
    const reindex = new Set<ProjectContext>();
    const recheck = new Set<ProjectContext>();
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (!path) continue;
      if (CONFIG_FILE_NAMES.has(basename(path))) {
        configChanged = true;
        continue;
      }
      const context = this.contextFor(path);
      deploymentChanged.add(context);
      if (languageOf(path) === undefined || !context.indexed || this.openUriOf(path)) continue;
      if (basename(path) === '__init__.py' && change.type !== FileChangeType.Changed) {
        // Module names under that directory change with it.
        context.resetModuleNames();
        reindex.add(context);
        continue;
      }
      const uri = pathToUri(path);
      if (change.type === FileChangeType.Deleted) {
        if (context.setSummary(path, undefined)) recheck.add(context);
        if (this.workspaceFindings.delete(uri)) this.publish(uri, []);
        continue;
      }
      if (this.updateSummaryFromDisk(context, path)) recheck.add(context);
      if (this.workspaceFindings.has(uri)) this.guard('publishClosedFile', () => this.publishClosedFile(context, path));
    }
    for (const context of deploymentChanged) if (context.detectWorkers()) recheck.add(context);
    if (configChanged) {
      this.guard('reloadConfiguration', () => this.reloadConfiguration());
      return;
    }
    for (const context of reindex) this.guard('index', () => this.index(context));
    for (const context of recheck) if (!reindex.has(context)) this.recheckOpenDocuments(context);
  }

  private foldersChanged(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): Promise<void> {
    const removedUris = new Set(removed.map((folder) => folder.uri));
    for (const context of this.folders) {
      if (!removedUris.has(context.uri)) continue;
      context.indexGeneration++;
      this.indexRuns.delete(context);
    }
    this.folders = this.folders.filter((context) => !removedUris.has(context.uri));
    const contexts = added.flatMap((folder) => {
      const root = uriToPath(folder.uri);
      return root ? [new ProjectContext(folder.uri, root, folder.name, true, DEFAULT_EDITOR_SETTINGS)] : [];
    });
    this.folders.push(...contexts);
    return (async () => {
      await this.loadConfiguration(contexts);
      for (const context of contexts) await this.index(context);
    })();
  }

  // --- configuration ------------------------------------------------------------------------

  /** The editor's settings for each context (one request for all), or the last pushed ones when the client cannot be asked. */
  private async clientSettingsFor(contexts: readonly ProjectContext[], pushed?: unknown): Promise<EditorSettings[]> {
    const metas = [...RULE_METAS.values()];
    let raw: unknown[];
    if (this.features.pullConfiguration) {
      const items = [{ section: SETTINGS_SECTION }, ...contexts.map((context) => ({ scopeUri: context.uri, section: SETTINGS_SECTION }))];
      raw = (await this.connection.workspace.getConfiguration(items)) as unknown[];
    } else {
      const section = typeof pushed === 'object' && pushed !== null ? (pushed as { interleave?: unknown }).interleave : undefined;
      raw = [section, ...contexts.map(() => section)];
    }
    const parsed = raw.map((value) => parseEditorSettings(value, metas));
    const [global, ...scoped] = parsed;
    this.globalSettings = global!.settings;
    this.log.level = this.globalSettings.trace;
    const problems = [...new Set(parsed.flatMap((result) => result.problems))];
    this.showOnce('settings', problems.length > 0 ? `Interleave settings: ${problems.join('; ')}.` : undefined);
    return scoped.map((result) => result.settings);
  }

  private async loadConfiguration(contexts: readonly ProjectContext[], pushed?: unknown): Promise<void> {
    let settings: EditorSettings[];
    try {
      settings = await this.clientSettingsFor(contexts, pushed);
    } catch (error) {
      this.log.error(`Could not read the editor's settings: ${(error as Error).message}`);
      settings = contexts.map((context) => context.client);
    }
    contexts.forEach((context, index) => this.applyConfig(context, settings[index]!));
  }

  /** Loads a context's configuration; a broken file is shown, and the previous configuration stays in force. */
  private applyConfig(context: ProjectContext, settings: EditorSettings): void {
    const error = context.reloadConfig(settings);
    this.showOnce(`config:${context.root}`, error && `Interleave: ${error.describe()} — the previous configuration stays in force.`);
    const suppressionsProblem = context.reloadSuppressions();
    this.showOnce(`suppressions:${context.root}`, suppressionsProblem && `Interleave: ${suppressionsProblem}. Findings it records are shown.`);
    if (error?.file) {
      const uri = pathToUri(error.file);
      const line = Math.max(0, (error.line ?? 1) - 1);
      this.configErrorUris.set(context, uri);
      this.sendDiagnostics({
        uri,
        diagnostics: [
          {
            range: { start: { line, character: 0 }, end: { line, character: lineLength(error.file, line) } },
            severity: DiagnosticSeverity.Error,
            source: DIAGNOSTIC_SOURCE,
            message: error.message,
          },
        ],
      });
    } else {
      this.configErrorUris.delete(context);
    }
    const failing = new Set(this.configErrorUris.values());
    for (const uri of this.publishedConfigErrors) {
      if (!failing.has(uri)) this.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.publishedConfigErrors = failing;
    this.log.info(
      `${context.name}: ${context.configFile ? `configuration from ${context.configFile}` : 'default configuration'}; ${context.config.enabled.size} rules enabled.`,
    );
  }

  /** Shows a warning unless the same one is already showing for this key. */
  private showOnce(key: string, message: string | undefined): void {
    if (message === undefined) {
      this.shownConfigProblems.delete(key);
      return;
    }
    if (this.shownConfigProblems.get(key) === message) return;
    this.shownConfigProblems.set(key, message);
    this.log.warn(message);
    // A notification: a warning needs no answer, and not every client answers `window/showMessageRequest`.
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }

  private async reloadConfiguration(pushed?: unknown): Promise<void> {
    const contexts = [...this.folders, ...this.looseContexts.values()];
    const excludes = new Map(contexts.map((context) => [context, JSON.stringify(context.config.exclude)]));
    await this.loadConfiguration(this.folders, pushed);
    for (const context of this.looseContexts.values()) this.applyConfig(context, this.globalSettings);
    for (const context of contexts) {
      if (context.indexed && excludes.get(context) !== JSON.stringify(context.config.exclude)) this.guard('index', () => this.index(context));
      else this.recheckOpenDocuments(context);
    }
    for (const uri of this.workspaceFindings) {
      const path = uriToPath(uri);
      if (path) await this.publishClosedFile(this.contextFor(path), path);
    }
  }

  // --- code actions and hover ---------------------------------------------------------------

  private async codeActions(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return [];
    const analysis = this.analyses.get(document.uri);
    const target: EditTarget = { uri: document.uri, version: document.version, versionedEdits: this.features.versionedEdits };
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (kindRequested(only, CodeActionKind.QuickFix) && analysis?.version === document.version) {
      const fileActionsFor = new Set<string>();
      for (const diagnostic of params.context.diagnostics) {
        const data = hazardDataOf(diagnostic);
        // Findings computed for older text would edit the wrong lines; the next diagnostics bring fresh ones.
        if (!data || data.version !== document.version || typeof diagnostic.code !== 'string') continue;
        if (data.fix) actions.push(fixAction(diagnostic, data.fix, target));
        actions.push(explainAction(diagnostic, document.uri), disableForLineAction(diagnostic, analysis, target));
        if (!fileActionsFor.has(diagnostic.code)) actions.push(disableForFileAction(diagnostic, analysis, target));
        fileActionsFor.add(diagnostic.code);
      }
    }
    if (only !== undefined && kindRequested(only, FIX_ALL_KIND)) {
      const fixAll = await this.fixAll(document, target);
      throwIfCancelled(token);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  /** Every safe fix applied, computed on the analysis thread (it re-analyses after each round). */
  private async fixAll(document: OpenDocument, target: EditTarget): Promise<CodeAction | undefined> {
    const documentTarget = this.targetOf(document);
    if (!documentTarget) return undefined;
    const { context, path } = documentTarget;
    if (!context.client.enable || context.isExcluded(path) || skipReason(document.text)) return undefined;
    const before = document.text;
    const reply = await this.analysisThread.request({
      kind: 'fix-all',
      path,
      moduleName: documentTarget.onDisk ? context.moduleName(path) : '__main__',
      text: before,
      config: context.config,
      project: this.analysisThread.project(context.projectFacts()),
      budgetMs: DEFAULT_FILE_BUDGET_MS,
    });
    if (reply.kind !== 'fix-all') return undefined;
    const edit = replacementEdit(before, reply.text);
    return edit && fixAllAction(target, edit);
  }

  /** The analysis of the document's current version for a hover or lens: waited for when analysing on type, none else. */
  private async analysisForRequest(document: OpenDocument, token: CancellationToken): Promise<DocumentAnalysis | undefined> {
    const cached = this.analyses.get(document.uri);
    const onType = this.targetOf(document)?.context.client.run !== 'onSave';
    const analysis = cached?.version === document.version ? cached : onType ? await this.currentAnalysis(document) : undefined;
    throwIfCancelled(token);
    return analysis?.version === document.version ? analysis : undefined;
  }

  private async hover(params: HoverParams, token: CancellationToken): Promise<Hover | null> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return null;
    const analysis = await this.analysisForRequest(document, token);
    if (!analysis) return null;
    const hazards = analysis.hazards.filter((hazard) => positionWithin(params.position, hazard.range));
    const contexts = this.lens.hover(this.lensAnalysis(document, analysis), params.position);
    if (hazards.length === 0 && !contexts) return null;
    const value = [
      ...hazards.map((hazard) => hoverMarkdown(hazard, RULE_METAS.get(hazard.code)!, { uri: document.uri, range: hazard.range, code: hazard.code })),
      ...(contexts ? [contexts.markdown] : []),
    ].join('\n\n---\n\n');
    return { contents: { kind: 'markdown', value }, range: hazards[0]?.range ?? contexts!.range };
  }

  // --- where code runs ----------------------------------------------------------------------

  private async codeLenses(uri: string, token: CancellationToken): Promise<ContextLens[]> {
    const document = this.documents.get(uri);
    const analysis = document && (await this.analysisForRequest(document, token));
    return document && analysis ? this.lens.codeLenses(uri, this.lensAnalysis(document, analysis)) : [];
  }

  /** An analysis as the lens reads it, under the document's folder's `contextLens` setting as it is now. */
  private lensAnalysis(document: OpenDocument, { version, lensed }: DocumentAnalysis): LensAnalysis {
    const setting = this.targetOf(document)?.context.client.contextLens ?? 'off';
    return { version, setting, ...(lensed && { lensed }) };
  }

  private async whereDoesThisRun(params: unknown, token: CancellationToken): Promise<CodeContexts> {
    if (!isCodePosition(params)) throw new ResponseError(ErrorCodes.InvalidParams, 'interleave/whereDoesThisRun expects a CodePosition: {uri, position}');
    const answer = await this.contextsAt(params);
    throwIfCancelled(token);
    if (typeof answer === 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, `Interleave does not analyse ${params.uri}: ${answer}`);
    return answer;
  }

  /**
   * Where the code at a position runs, worked out on the analysis thread: in an open document,
   * from its analysis of the current version; in a file this server does not analyse as it is
   * typed (closed, or a TypeScript file the tsserver plugin reads), from its text on disk. A
   * string says why there is no answer.
   */
  private async contextsAt({ uri, position }: CodePosition): Promise<CodeContexts | string> {
    const document = this.documents.get(uri);
    const analysis = document && (await this.currentAnalysis(document));
    let reply: AnalysisReply;
    if (analysis) {
      if (!analysis.lensed) return this.notAnalysed.get(uri) ?? this.skipLogged.get(uri) ?? 'it is excluded, or Interleave is turned off for it';
      reply = await this.analysisThread.request({ kind: 'contexts-at', uri, position, budgetMs: DEFAULT_FILE_BUDGET_MS });
    } else {
      const path = uriToPath(uri);
      if (!path || languageOf(path) === undefined) return 'not a file type Interleave analyses';
      const context = this.contextFor(path);
      reply = await this.analysisThread.request({
        kind: 'file-contexts-at',
        uri,
        position,
        path,
        moduleName: context.moduleName(path),
        maxFileSize: DEFAULT_MAX_FILE_SIZE,
        project: this.analysisThread.project(context.projectFacts()),
        budgetMs: DEFAULT_FILE_BUDGET_MS,
      });
    }
    if (reply.kind === 'contexts-at') return reply.contexts;
    if (reply.kind === 'not-analysed') return reply.reason;
    throw new Error(reply.kind === 'failed' ? reply.error : `unexpected ${reply.kind} reply`);
  }

  // --- Interleave's own requests ------------------------------------------------------------

  private async explain(params: unknown, token: CancellationToken): Promise<ExplainResult> {
    if (!isHazardReference(params)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'interleave/explain expects a HazardReference: {uri, range, code}');
    }
    const found = await this.findHazard(params);
    throwIfCancelled(token);
    const meta = found && RULE_METAS.get(found.hazard.code);
    if (!found || !meta) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, `no ${params.code} finding at ${params.uri}:${params.range.start.line + 1}`);
    }
    return explainResult(found.hazard, meta, found.text, found.context.workers);
  }

  /** The finding a reference names: exactly its range, else the same rule's finding that contains its start. */
  private async findHazard(reference: HazardReference): Promise<{ hazard: Hazard; text: string; context: ProjectContext } | undefined> {
    let hazards: readonly Hazard[];
    let text: string;
    let context: ProjectContext;
    const document = this.documents.get(reference.uri);
    if (document) {
      const analysis = await this.currentAnalysis(document);
      const target = this.targetOf(document);
      if (!analysis || !target) return undefined;
      ({ hazards, text } = analysis);
      context = target.context;
    } else {
      const path = uriToPath(reference.uri);
      // A closed file, or a TypeScript file whose findings come from the tsserver plugin: read from disk.
      if (!path || languageOf(path) === undefined) return undefined;
      context = this.contextFor(path);
      const outcome = await this.checkClosedFile(context, path);
      if (outcome.source === undefined) return undefined;
      hazards = outcome.hazards;
      text = outcome.source;
    }
    const sameRule = hazards.filter((hazard) => hazard.code === reference.code);
    const hazard =
      sameRule.find((candidate) => sameRange(candidate.range, reference.range)) ??
      sameRule.find((candidate) => positionWithin(reference.range.start, candidate.range));
    return hazard && { hazard, text, context };
  }

  /** A closed file checked from disk on the analysis thread, as the CLI checks it, with interleave-suppressions.json applied. */
  private async checkClosedFile(context: ProjectContext, path: string): Promise<FileOutcome> {
    const reply = await this.analysisThread.request({
      kind: 'file',
      path,
      moduleName: context.moduleName(path),
      maxFileSize: DEFAULT_MAX_FILE_SIZE,
      suppressions: context.suppressionsFor(path),
      config: context.config,
      project: this.analysisThread.project(context.projectFacts()),
      budgetMs: DEFAULT_FILE_BUDGET_MS,
    });
    if (reply.kind === 'file') return reply.outcome;
    const outcome: FileOutcome = { path, lines: 0, hazards: [], problems: [], syntaxErrors: [] };
    return reply.kind === 'not-analysed' ? { ...outcome, notAnalysed: reply.reason } : { ...outcome, problems: [reply.kind === 'failed' ? reply.error : reply.kind] };
  }

  /** Re-checks a closed file a workspace analysis reported on, and publishes what it finds now. */
  private async publishClosedFile(context: ProjectContext, path: string): Promise<number> {
    const uri = pathToUri(path);
    if (!context.client.enable || context.isExcluded(path)) {
      this.workspaceFindings.delete(uri);
      this.publish(uri, []);
      return 0;
    }
    const outcome = await this.checkClosedFile(context, path);
    if (outcome.skipped) this.log.info(`Skipped ${path}: ${outcome.skipped}.`);
    if (outcome.notAnalysed) this.log.warn(`Not analysed: ${path}: ${outcome.notAnalysed}.`);
    for (const problem of outcome.problems) this.log.error(problem);
    this.workspaceFindings.add(uri);
    this.publish(uri, outcome.hazards);
    return outcome.hazards.length;
  }

  /**
   * Analyses every file of every folder, as `interleave check` would, and publishes findings for
   * closed files too. Open documents are analysed from their editor text.
   */
  private analyzeWorkspace(params: unknown, token: CancellationToken): Promise<AnalyzeWorkspaceResult> {
    const workDoneToken = typeof params === 'object' && params !== null ? (params as { workDoneToken?: string | number }).workDoneToken : undefined;
    return this.busyWith(async () => {
      await this.configured;
      // Cross-file findings need every summary; a failed index run was logged already.
      await Promise.all([...this.indexRuns.values()].map((run) => run.catch(() => undefined)));
      const progress: WorkDoneProgressReporter =
        workDoneToken !== undefined ? this.connection.window.attachWorkDoneProgress(workDoneToken) : await this.connection.window.createWorkDoneProgress();
      progress.begin('Interleave: analysing the workspace', 0, undefined, false);
      const result: AnalyzeWorkspaceResult = { files: 0, hazards: 0 };
      try {
        const work = this.folders
          .filter((context) => context.client.enable)
          .flatMap((context) =>
            discoverSourceFiles([context.root], { exclude: context.config.exclude, excludeBase: context.configDirectory })
              .files.filter((path) => this.coversTypeScript || languageOf(path) !== 'typescript')
              .map((path) => ({ context, path })),
          );
        let sliceStarted = performance.now();
        for (const [position, { context, path }] of work.entries()) {
          if (token.isCancellationRequested) break;
          const openUri = this.openUriOf(path);
          const document = openUri ? this.documents.get(openUri) : undefined;
          result.hazards += document ? ((await this.currentAnalysis(document))?.hazards.length ?? 0) : await this.publishClosedFile(context, path);
          result.files++;
          if (performance.now() - sliceStarted > TIME_SLICE_MS) {
            progress.report(Math.round((100 * position) / work.length), `${position}/${work.length} files`);
            await yieldToEventLoop();
            sliceStarted = performance.now();
          }
        }
      } finally {
        progress.done();
      }
      this.lastAnalysis = new Date().toISOString();
      this.log.info(`Analysed ${result.files} files: ${result.hazards} hazards.`);
      return result;
    });
  }

  private shutdown(): void {
    for (const uri of [...this.timers.keys()]) this.cancel(uri);
    for (const context of [...this.folders, ...this.looseContexts.values()]) context.indexGeneration++;
    this.lens.dispose();
    this.summaries.dispose();
    void this.analysisThread.dispose();
  }
}

/** Starts the server on a connection; analysis runs in this process, never in the editor's. */
export function startLanguageServer(connection: Connection): void {
  new InterleaveLanguageServer(connection).listen();
}

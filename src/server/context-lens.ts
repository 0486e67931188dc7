/**
 * Where code runs, in the editor: the lens over each handler, dependency, lifespan and piece of
 * mutated module state, its hover with the chain from the entry point (each link opens the place),
 * and the answer the explainer panel draws. Built from the execution-context model the rules
 * already consulted for the same analysis, so showing it builds no model of its own.
 */
import { contextModelOf } from '../core/contexts';
import { contextAnnotationAt, contextAnnotations, workersFor, type ContextAnnotation } from '../core/contexts/annotations';
import { chainLinks, contextLine, contextLines } from '../core/contexts/describe';
import type { ModuleFacts, Position } from '../core/facts';
import type { ProjectFacts } from '../core/rule';
import { pathToUri } from './document-uri';
import { escapeMessage } from './hover';
import { WHERE_DOES_THIS_RUN_COMMAND, type ChainLink, type CodeContexts, type CodePosition, type ContextLens, type ContextLensSetting, type TextRange } from './protocol';

/** A module as last analysed, with the project facts it was checked against (whose model the rules built). */
export interface AnalysedModule {
  module: ModuleFacts;
  project: ProjectFacts;
  /** The document's URI, which the module's own path (made up for an unsaved document) stands for. */
  uri: string;
}

/** The lenses of one analysis, by setting: hovers and lens requests between two analyses reuse them. */
const lensCache = new WeakMap<ModuleFacts, { project: ProjectFacts; setting: ContextLensSetting; contexts: CodeContexts[] }>();

/** Where each piece of code the setting covers runs, in source order; nothing when the lens is off. */
export function lensContexts(analysed: AnalysedModule, setting: ContextLensSetting): CodeContexts[] {
  if (setting === 'off') return [];
  const cached = lensCache.get(analysed.module);
  if (cached?.project === analysed.project && cached.setting === setting) return cached.contexts;
  const model = contextModelOf(analysed.project, analysed.module);
  const contexts = contextAnnotations(analysed.module, model, setting).map((annotation) => codeContextsOf(annotation, analysed));
  lensCache.set(analysed.module, { project: analysed.project, setting, contexts });
  return contexts;
}

/** Where the code at a position runs, whatever the setting: what the command shows. */
export function contextsAt(analysed: AnalysedModule, position: Position): CodeContexts {
  return codeContextsOf(contextAnnotationAt(analysed.module, contextModelOf(analysed.project, analysed.module), position), analysed);
}

function codeContextsOf(annotation: ContextAnnotation, { module, project, uri }: AnalysedModule): CodeContexts {
  const uriOf = (path: string) => (path === module.path ? uri : pathToUri(path));
  const workers = workersFor(project, module.language);
  const options = { workers, memo: annotation.memo };
  return {
    kind: annotation.kind,
    subject: annotation.subject,
    uri,
    anchor: annotation.anchor,
    range: annotation.range,
    lines: contextLines(annotation.witnesses, options),
    contexts: annotation.witnesses.map((witness) => ({
      kind: witness.kind,
      line: contextLine(witness, options),
      chain: chainLinks(witness).map(({ path, ...link }) => ({ ...link, uri: uriOf(path) })),
    })),
    ...(workers && {
      workers: {
        count: workers.count,
        ...(workers.description && { description: workers.description }),
        ...(workers.source && { source: { uri: uriOf(workers.source.path), range: workers.source.range } }),
      },
    }),
  };
}

/** One lens per line, above the code; clicking one opens the explainer on it. */
export function codeLensesOf(contexts: readonly CodeContexts[]): ContextLens[] {
  return contexts.flatMap((code) => {
    const argument: CodePosition = { uri: code.uri, position: code.range.start };
    const tooltip = chainText(code);
    return code.lines.map((title): ContextLens => ({
      range: code.anchor,
      command: { title, command: WHERE_DOES_THIS_RUN_COMMAND, arguments: [argument], tooltip },
    }));
  });
}

/** The lens's tooltip: each chain in plain text, as the command title cannot hold links. */
function chainText(code: CodeContexts): string {
  const chains = code.contexts.filter((context) => context.chain.length > 1).map((context) => `${context.line}: ${context.chain.map((link) => link.label).join(' → ')}`);
  return [...chains, 'Click to see where this runs in the explainer.'].join('\n');
}

/** The hover section of the lensed code whose name is at `position`, if any. */
export function contextHoverAt(contexts: readonly CodeContexts[], position: Position, commandLinks: boolean): { markdown: string; range: TextRange } | undefined {
  const code = contexts.find((candidate) => contains(candidate.range, position));
  return code && { markdown: contextsMarkdown(code, commandLinks), range: code.range };
}

/**
 * Where the code runs, each context with the chain that reaches it, every link opening its place;
 * and, for code that runs once per worker, that each worker process keeps its own copy. Without
 * command links (tsserver's hover, which cannot run Interleave's commands) the panel link is left out.
 */
export function contextsMarkdown(code: CodeContexts, commandLinks: boolean): string {
  const parts = [`**Where ${escapeMessage(code.subject)} runs** · Interleave`];
  if (code.contexts.length === 0) {
    parts.push(`${escapeMessage(code.lines[0]!)}: no route, dependency, lifespan, hook or command Interleave knows calls it.`);
  } else {
    parts.push(code.contexts.map((context) => `- ${escapeMessage(context.line)}${context.chain.length > 1 ? `  \n  ${chainMarkdown(context.chain)}` : ''}`).join('\n'));
  }
  const perWorker = code.contexts.some((context) => context.kind === 'import' || context.kind === 'once-per-worker');
  if (perWorker && code.workers) {
    const where = code.workers.source ? ` ([${fileLabel(code.workers.source.uri, code.workers.source.range)}](${href(code.workers.source.uri, code.workers.source.range)}))` : '';
    parts.push(`Each worker process${where} runs it once and keeps its own copy of what it builds: ${escapeMessage(code.workers.description ?? `${code.workers.count} workers`)}.`);
  }
  if (commandLinks) {
    const argument: CodePosition = { uri: code.uri, position: code.range.start };
    parts.push(`[Show in the explainer](command:${WHERE_DOES_THIS_RUN_COMMAND}?${encodeURIComponent(JSON.stringify([argument]))})`);
  }
  return parts.join('\n\n');
}

function chainMarkdown(chain: readonly ChainLink[]): string {
  return chain.map((link) => `[${escapeMessage(link.caller ? `\`${link.label}\`` : link.label)}](${href(link.uri, link.range)})`).join(' → ');
}

/** A link that opens a file at a line; parentheses are escaped so the Markdown link stays whole. */
function href(uri: string, range: TextRange): string {
  return `${uri.replace(/\(/g, '%28').replace(/\)/g, '%29')}#L${range.start.line + 1}`;
}

function fileLabel(uri: string, range: TextRange): string {
  return `${escapeMessage(decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)))}:${range.start.line + 1}`;
}

function contains(range: TextRange, position: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/** What the lens needs of the server: its documents' analyses, files on disk, and the client. */
export interface LensHost {
  /**
   * The analysis of an open document's current version: waited for when the document is analysed
   * as it is typed, or when `now` (a command asks); undefined when there is none.
   */
  analysisOf(uri: string, now: boolean): Promise<LensAnalysis | undefined>;
  /** A file that is not open, read from disk and analysed against its project; undefined for one Interleave does not read. */
  closedFile(uri: string): AnalysedModule | undefined;
  /** Asks the client to fetch every lens again, when it can be asked. */
  refresh(): void;
}

export interface LensAnalysis {
  version: number;
  /** Undefined when the document was not analysed (turned off, excluded, too large). */
  analysed?: AnalysedModule;
  setting: ContextLensSetting;
}

/** How long a burst of re-analyses (a setting, another file, the index) may last before the editor is asked for the lenses again. */
const REFRESH_DELAY_MS = 150;

/**
 * The language server's lens, its hover section and `interleave/whereDoesThisRun`. It also tells
 * when the lenses an editor shows went out of date without an edit to their document (a setting,
 * another file, the index, the worker count changed), so the editor must be asked to fetch them
 * again; after an edit the editor asks by itself.
 */
export class ContextLensProvider {
  private readonly shown = new Map<string, { version: number; titles: string }>();
  private refreshTimer?: NodeJS.Timeout;

  constructor(private readonly host: LensHost) {}

  async codeLenses(uri: string): Promise<ContextLens[]> {
    const analysis = await this.host.analysisOf(uri, false);
    if (!analysis) return [];
    const lenses = lensesOf(analysis);
    this.shown.set(uri, { version: analysis.version, titles: signature(lenses) });
    return lenses;
  }

  /** The hover section for the lensed code named at a position. */
  hover(analysis: LensAnalysis, position: Position): { markdown: string; range: TextRange } | undefined {
    return analysis.analysed && contextHoverAt(lensContexts(analysis.analysed, analysis.setting), position, true);
  }

  async whereDoesThisRun(position: CodePosition): Promise<CodeContexts | undefined> {
    const analysis = await this.host.analysisOf(position.uri, true);
    const analysed = analysis ? analysis.analysed : this.host.closedFile(position.uri);
    return analysed && contextsAt(analysed, position.position);
  }

  /** After each analysis: when it changed the lenses shown for the same version, the editor is asked for them again. */
  analysed(uri: string, analysis: LensAnalysis): void {
    const shown = this.shown.get(uri);
    if (shown?.version !== analysis.version || shown.titles === signature(lensesOf(analysis)) || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.host.refresh();
    }, REFRESH_DELAY_MS);
  }

  forget(uri: string): void {
    this.shown.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
  }
}

function lensesOf(analysis: LensAnalysis): ContextLens[] {
  return analysis.analysed ? codeLensesOf(lensContexts(analysis.analysed, analysis.setting)) : [];
}

function signature(lenses: readonly ContextLens[]): string {
  return JSON.stringify(lenses.map((lens) => [lens.range.start.line, lens.command.title]));
}

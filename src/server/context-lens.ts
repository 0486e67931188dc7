/**
 * Where code runs, in the editor: the lens over each handler, dependency, lifespan and piece of
 * mutated module state, and its hover with the chain from the entry point (each link opens the
 * place). Drawn from the CodeContexts the analysis worked out (src/server/code-contexts.ts) and
 * nothing else, so the thread answering the editor never reads facts or builds a model.
 */
import type { Position } from '../core/facts';
import { positionWithin } from '../core/positions';
import { escapeMessage } from './hover';
import { WHERE_DOES_THIS_RUN_COMMAND, type ChainLink, type CodeContexts, type CodePosition, type ContextLens, type ContextLensSetting, type TextRange } from './protocol';

/** Code a lens can go over, and the narrowest `contextLens` setting that puts one there. */
export interface LensedCode {
  code: CodeContexts;
  scope: Exclude<ContextLensSetting, 'off'>;
}

/** The code a setting puts a lens over, in source order. */
export function shownContexts(lensed: readonly LensedCode[], setting: ContextLensSetting): CodeContexts[] {
  return setting === 'off' ? [] : lensed.filter((code) => setting === 'all' || code.scope === 'handlers').map((code) => code.code);
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
  const code = contexts.find((candidate) => positionWithin(position, candidate.range));
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

/** An analysis as the lens reads it, under the setting in force now. */
export interface LensAnalysis {
  version: number;
  /** Where the code any setting covers runs, as the analysis worked it out; undefined when the document was not analysed. */
  lensed?: readonly LensedCode[];
  setting: ContextLensSetting;
}

/** How long a burst of re-analyses (a setting, another file, the index) may last before the editor is asked for the lenses again. */
const REFRESH_DELAY_MS = 150;

/**
 * The language server's lens and its hover section. It also tells when the lenses an editor shows
 * went out of date without an edit to their document (a setting, another file, the index, the
 * worker count changed), so the editor must be asked to fetch them again; after an edit the
 * editor asks by itself.
 */
export class ContextLensProvider {
  private readonly shown = new Map<string, { version: number; titles: string }>();
  private refreshTimer?: NodeJS.Timeout;

  /** `refresh` asks the client to fetch every lens again, when it can be asked. */
  constructor(private readonly refresh: () => void) {}

  /** The lenses of a document's analysis, remembered as the ones shown for its version. */
  codeLenses(uri: string, analysis: LensAnalysis): ContextLens[] {
    const lenses = lensesOf(analysis);
    this.shown.set(uri, { version: analysis.version, titles: signature(lenses) });
    return lenses;
  }

  /** The hover section for the lensed code named at a position. */
  hover(analysis: LensAnalysis, position: Position): { markdown: string; range: TextRange } | undefined {
    return contextHoverAt(shownContexts(analysis.lensed ?? [], analysis.setting), position, true);
  }

  /** After each analysis: when it changed the lenses shown for the same version, the editor is asked for them again. */
  analysed(uri: string, analysis: LensAnalysis): void {
    const shown = this.shown.get(uri);
    if (shown?.version !== analysis.version || shown.titles === signature(lensesOf(analysis)) || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
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
  return codeLensesOf(shownContexts(analysis.lensed ?? [], analysis.setting));
}

function signature(lenses: readonly ContextLens[]): string {
  return JSON.stringify(lenses.map((lens) => [lens.range.start.line, lens.command.title]));
}

/**
 * Code actions for Interleave's diagnostics: the rule's fix, suppression comments for the line
 * and the file, the explainer, and `source.fixAll.interleave`. Pure: text and findings in,
 * actions out.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Comment } from '../core/facts';
import type { Fix, Hazard } from '../core/hazard';
import { parseSuppressions } from '../core/suppression';
import { applyTextEdits } from '../core/text-edits';
import { RULES } from '../rules';
import { EXPLAIN_COMMAND, type HazardReference } from './protocol';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.interleave`;

/** The document a code action edits, at the version its findings were computed for. */
export interface EditTarget {
  uri: string;
  version: number;
  /** The client accepts versioned `documentChanges`, so it can refuse an edit made for older text. */
  versionedEdits: boolean;
}

/** What suppression edits need to know about the document: its text and its comments. */
export interface SuppressionContext {
  text: string;
  comments: readonly Comment[];
}

export function workspaceEdit(target: EditTarget, edits: TextEdit[]): WorkspaceEdit {
  return target.versionedEdits
    ? { documentChanges: [{ textDocument: { uri: target.uri, version: target.version }, edits }] }
    : { changes: { [target.uri]: edits } };
}

export function fixAction(diagnostic: Diagnostic, fix: Fix, target: EditTarget): CodeAction {
  return {
    title: `Interleave (${diagnostic.code}): ${fix.message}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.applicability === 'safe',
    edit: workspaceEdit(target, fix.edits),
  };
}

export function explainAction(diagnostic: Diagnostic, uri: string): CodeAction {
  const reference: HazardReference = { uri, range: diagnostic.range, code: String(diagnostic.code) };
  const title = `Explain ${diagnostic.code}`;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title, command: EXPLAIN_COMMAND, arguments: [reference] },
  };
}

export function disableForLineAction(diagnostic: Diagnostic, document: SuppressionContext, target: EditTarget): CodeAction {
  const code = String(diagnostic.code);
  return suppressionAction(diagnostic, `Disable ${code} for this line`, suppressLineEdit(document, code, diagnostic.range.start.line), target);
}

export function disableForFileAction(diagnostic: Diagnostic, document: SuppressionContext, target: EditTarget): CodeAction {
  const code = String(diagnostic.code);
  return suppressionAction(diagnostic, `Disable ${code} for this file`, suppressFileEdit(document, code), target);
}

function suppressionAction(diagnostic: Diagnostic, title: string, edit: TextEdit, target: EditTarget): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(target, [edit]) };
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}

function endOfLine(text: string): string {
  const match = /\r\n|\n|\r/.exec(text);
  return match ? match[0] : '\n';
}

const RULE_METAS = RULES.map((rule) => rule.meta);

/**
 * Adds `code` to the bracketed directive of the comment on `line`, when there is one:
 * `# interleave: ignore[IL102]` → `# interleave: ignore[IL102, IL101]`.
 */
function extendDirective(
  comments: readonly Comment[],
  line: number,
  code: string,
  scope: 'line' | 'file',
): TextEdit | undefined {
  const directive = scope === 'file' ? /^#\s*interleave:\s*ignore-file\[([^\]]*)\]/i : /^#\s*interleave:\s*ignore\[([^\]]*)\]/i;
  for (const comment of comments) {
    if (comment.range.start.line !== line) continue;
    const match = directive.exec(comment.text);
    if (!match) continue;
    const close = comment.range.start.character + match[0].length - 1;
    const position = { line, character: close };
    return { range: { start: position, end: position }, newText: match[1]!.trim() === '' ? code : `, ${code}` };
  }
  return undefined;
}

/**
 * `# interleave: ignore[CODE]` for one line: added to a directive that already covers the line,
 * else at the end of the line, else (the line has a comment of its own, which a directive must
 * start, or ends in a backslash continuation) on a line of its own above, which covers the next
 * code line.
 */
export function suppressLineEdit(document: SuppressionContext, code: string, line: number): TextEdit {
  const lines = splitLines(document.text);
  for (const suppression of parseSuppressions(document.comments, lines, RULE_METAS)) {
    if (suppression.scope !== 'line' || suppression.line !== line || suppression.codes.length === 0) continue;
    const extended = extendDirective(document.comments, suppression.commentLine, code, 'line');
    if (extended) return extended;
  }
  const text = lines[line] ?? '';
  const hasComment = document.comments.some((comment) => comment.range.start.line === line);
  if (hasComment || /\\\s*$/.test(text)) {
    const indentation = /^[ \t]*/.exec(text)![0];
    const start = { line, character: 0 };
    return { range: { start, end: start }, newText: `${indentation}# interleave: ignore[${code}]${endOfLine(document.text)}` };
  }
  const codeEnd = text.trimEnd().length;
  return {
    range: { start: { line, character: codeEnd }, end: { line, character: text.length } },
    newText: `  # interleave: ignore[${code}]`,
  };
}

/** PEP 263's encoding declaration, which must stay on the first or second line. */
const ENCODING_DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;

/** `# interleave: ignore-file[CODE]`: added to an existing one, else at the top, below a shebang and an encoding line. */
export function suppressFileEdit(document: SuppressionContext, code: string): TextEdit {
  const lines = splitLines(document.text);
  for (const suppression of parseSuppressions(document.comments, lines, RULE_METAS)) {
    if (suppression.scope !== 'file' || suppression.codes.length === 0) continue;
    const extended = extendDirective(document.comments, suppression.commentLine, code, 'file');
    if (extended) return extended;
  }
  let line = 0;
  if (lines[0]?.startsWith('#!')) line = 1;
  if (line < 2 && ENCODING_DECLARATION.test(lines[line] ?? '')) line++;
  const eol = endOfLine(document.text);
  const directive = `# interleave: ignore-file[${code}]`;
  if (line < lines.length) {
    const start = { line, character: 0 };
    return { range: { start, end: start }, newText: `${directive}${eol}` };
  }
  const last = lines.length - 1;
  const end = { line: last, character: lines[last]!.length };
  return { range: { start: end, end }, newText: `${eol}${directive}${eol}` };
}

/** What one pass of fix-all needs from the analysis of a text. */
export interface FixPassAnalysis {
  hazards: readonly Hazard[];
  syntaxErrors: number;
}

/**
 * Applies every safe fix, the way Ruff's fix-all does: each pass applies the fixes whose edits
 * neither overlap nor touch one already taken, then re-analyses, until nothing safe is left. A
 * pass that would add syntax errors is dropped. Applying it again to its result changes nothing.
 */
export function applySafeFixes(text: string, analyse: (text: string) => FixPassAnalysis, maxPasses = 10): string {
  let current = text;
  let analysis = analyse(current);
  for (let pass = 0; pass < maxPasses; pass++) {
    const document = TextDocument.create('file:///fix-all', 'python', 0, current);
    const taken: [number, number][] = [];
    const edits: TextEdit[] = [];
    for (const hazard of analysis.hazards) {
      if (hazard.fix?.applicability !== 'safe' || hazard.fix.edits.length === 0) continue;
      const spans = hazard.fix.edits.map((edit): [number, number] => [document.offsetAt(edit.range.start), document.offsetAt(edit.range.end)]);
      if (spans.some(([start, end]) => taken.some(([from, to]) => start <= to && from <= end))) continue;
      taken.push(...spans);
      edits.push(...hazard.fix.edits);
    }
    if (edits.length === 0) break;
    let fixed: string;
    try {
      fixed = applyTextEdits(current, edits);
    } catch {
      break;
    }
    const next = analyse(fixed);
    if (next.syntaxErrors > analysis.syntaxErrors) break;
    current = fixed;
    analysis = next;
  }
  return current;
}

/** One edit turning `before` into `after`: the changed middle, so the cursor and undo stay where they were elsewhere. */
export function replacementEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair or a CRLF.
  while (prefix > 0 && /[\uD800-\uDBFF\r]/.test(before[prefix - 1]!)) prefix--;
  while (suffix > 0 && /[\uDC00-\uDFFF\n]/.test(before[before.length - suffix]!)) suffix--;
  const document = TextDocument.create('file:///before', 'python', 0, before);
  return {
    range: { start: document.positionAt(prefix), end: document.positionAt(before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}

export function fixAllAction(target: EditTarget, edit: TextEdit): CodeAction {
  return {
    title: 'Interleave: apply all safe fixes',
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(target, [edit]),
  };
}

/** Whether a request's `only` filter asks for this kind of action (`source` covers `source.fixAll.interleave`). */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

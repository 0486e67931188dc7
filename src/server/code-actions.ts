/**
 * Code actions for Interleave's diagnostics: the rule's fix, suppression comments for the line
 * and the file (their edits come from src/core/suppression-edits.ts), the explainer, and
 * `source.fixAll.interleave` (its edit from src/core/fix-all.ts). Pure: text and findings in,
 * actions out.
 */
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Fix } from '../core/hazard';
import { suppressFileEdit, suppressLineEdit, type SuppressionContext } from '../core/suppression-edits';
import { RULES } from '../rules';
import { EXPLAIN_COMMAND, type HazardReference } from './protocol';

const RULE_METAS = RULES.map((rule) => rule.meta);

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.interleave`;

/** The document a code action edits, at the version its findings were computed for. */
export interface EditTarget {
  uri: string;
  version: number;
  /** The client accepts versioned `documentChanges`, so it can refuse an edit made for older text. */
  versionedEdits: boolean;
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
  return suppressionAction(diagnostic, `Disable ${code} for this line`, suppressLineEdit(document, code, diagnostic.range.start.line, RULE_METAS), target);
}

export function disableForFileAction(diagnostic: Diagnostic, document: SuppressionContext, target: EditTarget): CodeAction {
  const code = String(diagnostic.code);
  return suppressionAction(diagnostic, `Disable ${code} for this file`, suppressFileEdit(document, code, RULE_METAS), target);
}

function suppressionAction(diagnostic: Diagnostic, title: string, edit: TextEdit, target: EditTarget): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(target, [edit]) };
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

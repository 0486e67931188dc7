/**
 * Quick fixes and `source.fixAll.interleave` for the tsserver plugin's findings. VS Code's
 * TypeScript extension asks tsserver for fixes only for the error codes of TypeScript's global list,
 * which plugins cannot extend, so this provider asks the plugin itself, through the TypeScript
 * extension's `typescript.tsserverRequest` command and the plugin's `_interleave.*` commands: the
 * edits are computed in tsserver, from the text and Program it holds.
 */
import * as vscode from 'vscode';
import { EXPLAIN_COMMAND, type HazardReference } from '../server/protocol';
import {
  CODE_FIXES_REQUEST,
  FIX_ALL_REQUEST,
  INTERLEAVE_ERROR_CODE,
  type CodeFixesRequestArgs,
  type CodeFixesResponse,
  type FixAllRequestArgs,
  type FixAllResponse,
  type PluginTextChange,
} from '../tsplugin/protocol';

export const TYPESCRIPT_DOCUMENTS: { scheme: string; language: string }[] = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

/** A request's arguments as the extension sends them: `typescript.tsserverRequest` turns a `file` URI into tsserver's path. */
export type RequestArgs<T extends { file: string }> = Omit<T, 'file'> & { file: vscode.Uri };

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('interleave');

/** The rule code of a plugin finding, which starts its message: `IL101 await-race: …`. */
export function pluginRuleCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  if (diagnostic.source !== 'interleave' || Number(code) !== INTERLEAVE_ERROR_CODE) return undefined;
  return /^(IL\d{3}) /.exec(diagnostic.message)?.[1];
}

/** Sends a request to the TypeScript extension's tsserver; undefined when it has no answer (no server, cancelled). */
export async function tsserverRequest<T>(command: string, args: unknown, token: vscode.CancellationToken): Promise<T | undefined> {
  const response = await vscode.commands.executeCommand<{ type?: string; body?: T } | undefined>('typescript.tsserverRequest', command, args, undefined, token);
  return response?.type === 'response' ? response.body : undefined;
}

function workspaceEdit(uri: vscode.Uri, changes: readonly PluginTextChange[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const { start, end, newText } of changes) {
    edit.replace(uri, new vscode.Range(start.line - 1, start.offset - 1, end.line - 1, end.offset - 1), newText);
  }
  return edit;
}

export class TypeScriptFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] };

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const file = document.uri;
    if (!context.only || context.only.contains(vscode.CodeActionKind.QuickFix)) {
      for (const diagnostic of context.diagnostics) {
        const code = pluginRuleCode(diagnostic);
        if (!code) continue;
        const { start, end } = diagnostic.range;
        const args: RequestArgs<CodeFixesRequestArgs> = { file, startLine: start.line + 1, startOffset: start.character + 1, endLine: end.line + 1, endOffset: end.character + 1 };
        const response = await tsserverRequest<CodeFixesResponse>(CODE_FIXES_REQUEST, args, token);
        for (const fix of response?.fixes ?? []) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = fix.isPreferred;
          action.edit = workspaceEdit(file, fix.changes);
          actions.push(action);
        }
        const reference: HazardReference = { uri: file.toString(), range: { start, end }, code };
        const explain = new vscode.CodeAction(`Explain ${code}`, vscode.CodeActionKind.QuickFix);
        explain.diagnostics = [diagnostic];
        explain.command = { title: `Explain ${code}`, command: EXPLAIN_COMMAND, arguments: [reference] };
        actions.push(explain);
      }
    }
    // Fix-all only when asked for (on save, or from the Source Action menu), as the server does.
    if (context.only?.contains(FIX_ALL_KIND)) {
      const args: RequestArgs<FixAllRequestArgs> = { file };
      const response = await tsserverRequest<FixAllResponse>(FIX_ALL_REQUEST, args, token);
      if (response && response.changes.length > 0) {
        const action = new vscode.CodeAction('Interleave: apply all safe fixes', FIX_ALL_KIND);
        action.edit = workspaceEdit(file, response.changes);
        actions.push(action);
      }
    }
    return actions;
  }
}

/** The extension's commands, all declared in `contributes.commands`. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ruleUrl } from '../core/rule';
import {
  ANALYZE_WORKSPACE_REQUEST,
  EXPLAIN_COMMAND,
  EXPLAIN_REQUEST,
  type AnalyzeWorkspaceResult,
  type ExplainResult,
  type HazardReference,
} from '../server/protocol';
import type { ExplainerPanel } from './explainer';
import { openDocumentation } from './explainer';
import { pluginRuleCode } from './typescript-fixes';

/** Diagnostics the server publishes carry this source. */
const DIAGNOSTIC_SOURCE = 'interleave';

/** The rule index: where the documentation command goes when no finding is at hand. */
const RULES_INDEX_URL = 'https://github.com/interleave-dev/interleave/tree/main/docs/rules';

export interface CommandContext {
  extension: vscode.ExtensionContext;
  client: LanguageClient;
  output: vscode.LogOutputChannel;
  explainer: ExplainerPanel;
}

export function registerCommands({ extension, client, output, explainer }: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async (reference?: HazardReference) => {
      const target = reference ?? (await pickFinding('Explain which finding?'));
      if (!target) return;
      try {
        const result = await client.sendRequest<ExplainResult>(EXPLAIN_REQUEST, target);
        explainer.show(target, result);
      } catch (error) {
        output.error(`${EXPLAIN_REQUEST} failed`, error);
        void vscode.window.showErrorMessage(`Interleave could not explain ${target.code}: ${describe(error)}`);
      }
    }),
    vscode.commands.registerCommand('interleave.analyzeWorkspace', () => analyzeWorkspace(client, output)),
    vscode.commands.registerCommand('interleave.showOutput', () => output.show()),
    vscode.commands.registerCommand('interleave.restartServer', async () => {
      output.info('Restarting the Interleave server');
      await client.restart();
    }),
    vscode.commands.registerCommand('interleave.openRuleDocumentation', async (code?: string) => {
      const finding = code ? undefined : await pickFinding('Open the documentation of which rule?');
      const ruleCode = code ?? finding?.code;
      await openDocumentation(ruleCode ? ruleUrl({ code: ruleCode }) : RULES_INDEX_URL);
    }),
    vscode.commands.registerCommand('interleave.openExample', () => openExample(extension)),
  ];
}

/**
 * Opens a copy of the example app that ships in the extension, so edits and applied fixes never
 * touch the installed extension. An existing copy is reopened as the user left it.
 */
async function openExample(extension: vscode.ExtensionContext): Promise<void> {
  const copy = vscode.Uri.joinPath(extension.globalStorageUri, 'fastapi-shop');
  const exists = await vscode.workspace.fs.stat(copy).then(
    () => true,
    () => false,
  );
  if (!exists) await vscode.workspace.fs.copy(vscode.Uri.joinPath(extension.extensionUri, 'examples', 'fastapi-shop'), copy);
  await vscode.commands.executeCommand('vscode.openFolder', copy, { forceNewWindow: true });
}

/** Resolves with the server's counts (for scripts and tests), or undefined when it failed. */
async function analyzeWorkspace(client: LanguageClient, output: vscode.LogOutputChannel): Promise<AnalyzeWorkspaceResult | undefined> {
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Interleave: analysing the workspace…' },
      // An empty params object, not none: vscode-jsonrpc hands a param-less request's handler the
      // cancellation token in the params' place.
      () => client.sendRequest<AnalyzeWorkspaceResult>(ANALYZE_WORKSPACE_REQUEST, {}),
    );
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const files = result.files === 1 ? '1 file' : `${result.files} files`;
    const hazards = result.hazards === 1 ? '1 hazard' : `${result.hazards} hazards`;
    void vscode.window.showInformationMessage(`Interleave found ${hazards} in ${files}.`);
    return result;
  } catch (error) {
    output.error(`${ANALYZE_WORKSPACE_REQUEST} failed`, error);
    void vscode.window.showErrorMessage(`Interleave could not analyse the workspace: ${describe(error)}`);
    return undefined;
  }
}

/**
 * The finding under the cursor in the active editor; with several there or none under the cursor,
 * the user picks among the document's findings.
 */
async function pickFinding(placeHolder: string): Promise<HazardReference | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const findings = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
  const underCursor = findings.filter((diagnostic) => diagnostic.range.contains(editor.selection.active));
  const candidates = underCursor.length > 0 ? underCursor : findings;
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('Interleave reports nothing in this file.');
    return undefined;
  }
  const chosen =
    candidates.length === 1
      ? candidates[0]
      : (
          await vscode.window.showQuickPick(
            candidates.map((diagnostic) => ({
              label: `${ruleCode(diagnostic)} line ${diagnostic.range.start.line + 1}`,
              detail: diagnostic.message,
              diagnostic,
            })),
            { placeHolder, matchOnDetail: true },
          )
        )?.diagnostic;
  return chosen && toReference(editor.document.uri, chosen);
}

function toReference(uri: vscode.Uri, diagnostic: vscode.Diagnostic): HazardReference {
  const { start, end } = diagnostic.range;
  return {
    uri: uri.toString(),
    range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
    code: ruleCode(diagnostic),
  };
}

/** The finding's rule code: the server's diagnostics carry it as their code, the tsserver plugin's start their message with it. */
function ruleCode(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return pluginRuleCode(diagnostic) ?? (typeof code === 'object' ? String(code.value) : String(code));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * "Where does this run?": the command that shows, in the explainer panel, where the code at the
 * cursor (or a lens's code) runs; and the lens for TypeScript and JavaScript files while the
 * tsserver plugin reports on them. The language server gives the lens for every other file, and
 * answers the command for them; the plugin answers for its files, from the text tsserver holds.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  WHERE_DOES_THIS_RUN_COMMAND,
  WHERE_DOES_THIS_RUN_REQUEST,
  type CodeContexts,
  type CodePosition,
  type ContextLensSetting,
} from '../server/protocol';
import {
  CONTEXT_LENSES_REQUEST,
  CONTEXTS_AT_REQUEST,
  type ContextLensesRequestArgs,
  type ContextLensesResponse,
  type ContextsAtRequestArgs,
  type ContextsAtResponse,
} from '../tsplugin/protocol';
import type { ExplainerPanel } from './explainer';
import { COVERAGE_SETTINGS, type TypeScriptPlugin } from './typescript-coverage';
import { TYPESCRIPT_DOCUMENTS, tsserverRequest, type RequestArgs } from './typescript-fixes';

const TYPESCRIPT_LANGUAGES = new Set(TYPESCRIPT_DOCUMENTS.map((selector) => selector.language));

export interface WhereCodeRunsContext {
  client: LanguageClient;
  plugin: TypeScriptPlugin;
  explainer: ExplainerPanel;
  output: vscode.LogOutputChannel;
}

export function registerWhereCodeRuns({ client, plugin, explainer, output }: WhereCodeRunsContext): vscode.Disposable[] {
  const lenses = new TypeScriptContextLenses(plugin);
  return [
    lenses,
    vscode.languages.registerCodeLensProvider(TYPESCRIPT_DOCUMENTS, lenses),
    vscode.commands.registerCommand(WHERE_DOES_THIS_RUN_COMMAND, async (target?: CodePosition) => {
      const at = target ?? cursor();
      if (!at) return;
      try {
        const contexts = await (answeredByPlugin(plugin, at.uri) ? contextsFromPlugin(at) : client.sendRequest<CodeContexts>(WHERE_DOES_THIS_RUN_REQUEST, at));
        if (contexts) explainer.showContexts(contexts);
        else void vscode.window.showInformationMessage('Interleave does not analyse this file.');
      } catch (error) {
        output.error(`${WHERE_DOES_THIS_RUN_REQUEST} failed`, error);
        void vscode.window.showErrorMessage(`Interleave could not tell where this runs: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  ];
}

function cursor(): CodePosition | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { line, character } = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line, character } };
}

/** A TypeScript or JavaScript document while the plugin, not the server, reads those. */
function answeredByPlugin(plugin: TypeScriptPlugin, uri: string): boolean {
  const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
  return plugin.coverage === 'plugin' && document !== undefined && TYPESCRIPT_LANGUAGES.has(document.languageId);
}

async function contextsFromPlugin({ uri, position }: CodePosition): Promise<CodeContexts | undefined> {
  const args: RequestArgs<ContextsAtRequestArgs> = { file: vscode.Uri.parse(uri), line: position.line + 1, offset: position.character + 1 };
  const cancellation = new vscode.CancellationTokenSource();
  try {
    return (await tsserverRequest<ContextsAtResponse>(CONTEXTS_AT_REQUEST, args, cancellation.token))?.contexts;
  } finally {
    cancellation.dispose();
  }
}

/** The lens for the plugin's files, asked of the plugin with the document's `interleave.contextLens`. */
class TypeScriptContextLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly plugin: TypeScriptPlugin) {
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('interleave.contextLens') || COVERAGE_SETTINGS.some((setting) => event.affectsConfiguration(setting))) this.changed.fire();
    });
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const setting = vscode.workspace.getConfiguration('interleave', document.uri).get<ContextLensSetting>('contextLens', 'handlers');
    if (this.plugin.coverage !== 'plugin' || setting === 'off') return [];
    const args: RequestArgs<ContextLensesRequestArgs> = { file: document.uri, setting };
    const response = await tsserverRequest<ContextLensesResponse>(CONTEXT_LENSES_REQUEST, args, token);
    return (response?.lenses ?? []).map(({ range, command }) => {
      const lensRange = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      return new vscode.CodeLens(lensRange, { ...command, arguments: [...command.arguments] });
    });
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}

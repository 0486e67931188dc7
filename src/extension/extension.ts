/**
 * The VS Code client: starts the language server, configures the tsserver plugin, and adds what
 * LSP has no words for — the explainer panel, the status item and the commands. Diagnostics, hover
 * and code actions come from the server through standard LSP for Python (and for TypeScript when
 * no plugin can report), and from the tsserver plugin through VS Code's TypeScript support.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type StatusParams } from '../server/protocol';
import { registerCommands } from './commands';
import { ExplainerPanel } from './explainer';
import { createLanguageClient, serverDocuments, setCoverage } from './language-client';
import { HazardStatusItem } from './status';
import { COVERAGE_SETTINGS, TypeScriptPlugin } from './typescript-coverage';
import { TYPESCRIPT_DOCUMENTS, TypeScriptFixProvider } from './typescript-fixes';
import { registerWhereCodeRuns } from './where-code-runs';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Interleave', { log: true });
  const explainer = new ExplainerPanel(context.extensionUri);
  const plugin = await TypeScriptPlugin.start(output);
  // Every language: the count includes the tsserver plugin's findings in TypeScript files.
  const status = new HazardStatusItem(serverDocuments('server'));
  const languageClient = createLanguageClient(context, output, plugin.coverage);
  client = languageClient;
  const fixes = new TypeScriptFixProvider();
  let fixRegistration: vscode.Disposable | undefined;
  /** Quick fixes and fix-all for the plugin's findings, only while the plugin reports. */
  const registerFixes = () => {
    fixRegistration?.dispose();
    fixRegistration = plugin.coverage === 'plugin' ? vscode.languages.registerCodeActionsProvider(TYPESCRIPT_DOCUMENTS, fixes, TypeScriptFixProvider.metadata) : undefined;
  };
  registerFixes();
  context.subscriptions.push(
    output,
    explainer,
    status,
    plugin,
    { dispose: () => fixRegistration?.dispose() },
    languageClient.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params)),
    languageClient.onDidChangeState(({ newState }) => status.setServerRunning(newState !== State.Stopped)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!COVERAGE_SETTINGS.some((setting) => event.affectsConfiguration(setting))) return;
      const before = plugin.coverage;
      if (plugin.recompute() === before) return;
      output.info(`TypeScript and JavaScript files are now reported by ${plugin.coverage === 'plugin' ? 'the tsserver plugin' : 'the Interleave language server'}.`);
      setCoverage(languageClient, plugin.coverage);
      registerFixes();
      await languageClient.restart();
    }),
    ...registerCommands({ extension: context, client: languageClient, output, explainer }),
    ...registerWhereCodeRuns({ client: languageClient, plugin, explainer, output }),
  );
  try {
    await languageClient.start();
  } catch (error) {
    // The client already logged why; the status item says the server is not running.
    output.error('The Interleave language server did not start', error);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

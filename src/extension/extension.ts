/**
 * The VS Code client: starts the language server, and adds what LSP has no words for — the
 * explainer panel, the status item and the commands. Everything else (diagnostics, hover, code
 * actions) comes from the server through standard LSP.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type StatusParams } from '../server/protocol';
import { registerCommands } from './commands';
import { ExplainerPanel } from './explainer';
import { createLanguageClient } from './language-client';
import { HazardStatusItem } from './status';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Interleave', { log: true });
  const explainer = new ExplainerPanel(context.extensionUri);
  const status = new HazardStatusItem();
  client = createLanguageClient(context, output);
  context.subscriptions.push(
    output,
    explainer,
    status,
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params)),
    client.onDidChangeState(({ newState }) => status.setServerRunning(newState !== State.Stopped)),
    ...registerCommands({ extension: context, client, output, explainer }),
  );
  try {
    await client.start();
  } catch (error) {
    // The client already logged why; the status item says the server is not running.
    output.error('The Interleave language server did not start', error);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

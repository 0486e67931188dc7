/**
 * The language client: starts `dist/server.js` as its own Node process over stdio, so the
 * analysis never runs in (or slows down) the extension host.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { EXPLAIN_COMMAND } from '../server/protocol';

/** Python files on disk and unsaved Python editors; TypeScript and JavaScript come later. */
export const PYTHON_DOCUMENTS: { scheme: string; language: string }[] = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
];

/** The client id: it also names the `interleave.trace.server` setting the client reads itself. */
const CLIENT_ID = 'interleave';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // Settings reach the server through `workspace/configuration`, which the client answers from
  // the `interleave` section per folder; the server registers for change notifications itself.
  const clientOptions: LanguageClientOptions = {
    documentSelector: PYTHON_DOCUMENTS,
    outputChannel: output,
    // The hover's "Show the interleaving" link is a command link; trust that command and no other.
    markdown: { isTrusted: { enabledCommands: [EXPLAIN_COMMAND] } },
  };
  return new LanguageClient(CLIENT_ID, 'Interleave', serverOptions, clientOptions);
}

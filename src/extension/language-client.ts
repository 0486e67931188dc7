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
import { EXPLAIN_COMMAND, WHERE_DOES_THIS_RUN_COMMAND, type InitializationOptions } from '../server/protocol';
import type { TypeScriptCoverage } from './typescript-coverage';
import { TYPESCRIPT_DOCUMENTS } from './typescript-fixes';

/** Python files on disk and unsaved Python editors. */
const PYTHON_DOCUMENTS: { scheme: string; language: string }[] = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
];

/** The client id: it also names the `interleave.trace.server` setting the client reads itself. */
const CLIENT_ID = 'interleave';

/** The documents the server reads: Python, and TypeScript and JavaScript unless the tsserver plugin has them. */
export function serverDocuments(coverage: TypeScriptCoverage): { scheme: string; language: string }[] {
  return coverage === 'server' ? [...PYTHON_DOCUMENTS, ...TYPESCRIPT_DOCUMENTS] : PYTHON_DOCUMENTS;
}

/** Points the client at the documents of a coverage; takes effect when the client (re)starts. */
export function setCoverage(client: LanguageClient, coverage: TypeScriptCoverage): void {
  const options: InitializationOptions = { typescript: coverage };
  client.clientOptions.documentSelector = serverDocuments(coverage);
  client.clientOptions.initializationOptions = options;
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, coverage: TypeScriptCoverage): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // Settings reach the server through `workspace/configuration`, which the client answers from
  // the `interleave` section per folder; the server registers for change notifications itself.
  const clientOptions: LanguageClientOptions = {
    outputChannel: output,
    // The hovers' "Show the interleaving" and "Show in the explainer" links are command links; trust those commands and no other.
    markdown: { isTrusted: { enabledCommands: [EXPLAIN_COMMAND, WHERE_DOES_THIS_RUN_COMMAND] } },
  };
  const client = new LanguageClient(CLIENT_ID, 'Interleave', serverOptions, clientOptions);
  setCoverage(client, coverage);
  return client;
}

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './language-server';

/**
 * Serves LSP on this process's stdin/stdout (for dist/server.js and `interleave lsp`). A failure
 * that escapes every handler is logged to stderr, which clients show in their output channel; the
 * server keeps serving rather than leave the editor without diagnostics.
 */
export function startStdioLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const logUnexpected = (error: unknown) =>
    process.stderr.write(`interleave lsp: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.on('uncaughtException', logUnexpected);
  process.on('unhandledRejection', logUnexpected);
  startLanguageServer(connection);
}

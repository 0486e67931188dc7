import { createConnection, ProposedFeatures, StreamMessageWriter } from 'vscode-languageserver/node';
import { startLanguageServer } from './language-server';
import { StrictStreamMessageReader } from './message-framing';

/**
 * Serves LSP on this process's stdin/stdout (for dist/server.js and `interleave lsp`). A failure
 * that escapes every handler is logged to stderr, which clients show in their output channel; the
 * server keeps serving rather than leave the editor without diagnostics. A malformed frame is the
 * exception: the stream can no longer be followed, so the server says why on stderr and exits
 * with status 1, and the client restarts it.
 */
export function startStdioLanguageServer(): void {
  const reader = new StrictStreamMessageReader(process.stdin, (reason) => process.stderr.write(`interleave lsp: skipped ${reason}\n`));
  reader.onError((error) => {
    process.stderr.write(`interleave lsp: cannot read the client's messages: ${error.message}; exiting so the client can restart the server\n`);
    process.exit(1);
  });
  const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  const logUnexpected = (error: unknown) =>
    process.stderr.write(`interleave lsp: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.on('uncaughtException', logUnexpected);
  process.on('unhandledRejection', logUnexpected);
  startLanguageServer(connection);
}

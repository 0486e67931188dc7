import { startStdioLanguageServer } from '../server/stdio';
import { ExitStatus, type CliIO } from './cli-io';
import { helpText, parseCommandLine, UsageError, type OptionSpec } from './command-line';

const LSP_OPTIONS = {
  stdio: { type: 'boolean', description: 'Speak LSP over stdin and stdout (the default, and the only transport)' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
} as const satisfies Record<string, OptionSpec>;

export const LSP_HELP = helpText(
  'interleave lsp [--stdio]',
  'Run the Interleave language server over stdio, for any editor with an LSP client: diagnostics as\n' +
    'you type, quick fixes, hover explanations. Configure it under the `interleave` settings section.',
  LSP_OPTIONS,
);

/**
 * Starts the language server on this process's stdio. The returned promise never settles: the
 * server ends the process when the client sends `exit` or closes the stream.
 */
export function runLsp(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, LSP_OPTIONS, 'lsp');
  if (values.help) {
    io.stdout.write(LSP_HELP);
    return Promise.resolve(ExitStatus.clean);
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``, 'lsp');
  startStdioLanguageServer();
  return new Promise(() => undefined);
}

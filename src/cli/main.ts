import { setFlagsFromString } from 'node:v8';
import { version } from '../../package.json';
import { SuppressionsFileError } from '../core/bulk-suppressions';
import { ConfigError } from '../core/config';
import { CHECK_HELP, runCheck } from './check-command';
import { ExitStatus, type CliIO } from './cli-io';
import { CONTEXTS_HELP, runContexts } from './contexts-command';
import { UsageError } from './command-line';
import { LSP_HELP, runLsp } from './lsp-command';
import { EXPLAIN_HELP, RULES_HELP, runExplain, runRules } from './rule-commands';

export { ExitStatus, type CliIO } from './cli-io';

const COMMAND_HELP: Record<string, string> = { check: CHECK_HELP, contexts: CONTEXTS_HELP, explain: EXPLAIN_HELP, rules: RULES_HELP, lsp: LSP_HELP };

const MAIN_HELP = `Interleave finds concurrency hazards in async web handlers: Python (FastAPI, Starlette, aiohttp) and TypeScript/JavaScript (Express, Fastify, NestJS, Koa, Hono, Next.js).

Usage: interleave <COMMAND> [OPTIONS]

Commands:
  check [PATH]...   Check files or directories for hazards (default: the current directory)
  contexts [PATH]   Print where each function runs: per request, at startup, in the background…
  explain <RULE>    Explain a rule by code or name, e.g. IL101 or await-race
  rules             List every rule
  lsp               Run the language server over stdio, for editors

Options:
  -h, --help        Show help (also \`interleave <COMMAND> --help\`)
  -V, --version     Show the version

Exit status: 0 no hazards, 1 hazards found, 2 usage or configuration error.
`;

/** Runs the CLI: `argv` without the node and script paths. Resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest, io, version);
      case 'contexts':
        return await runContexts(rest, io);
      case 'explain':
        return runExplain(rest, io);
      case 'rules':
        return runRules(rest, io);
      case 'lsp':
        return await runLsp(rest, io);
      case 'help': {
        const topic = rest[0];
        io.stdout.write(topic !== undefined && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : MAIN_HELP);
        return ExitStatus.clean;
      }
      case '--version':
      case '-V':
        io.stdout.write(`interleave ${version}\n`);
        return ExitStatus.clean;
      case '--help':
      case '-h':
        io.stdout.write(MAIN_HELP);
        return ExitStatus.clean;
      case undefined:
        io.stderr.write(MAIN_HELP);
        return ExitStatus.usage;
      default:
        throw new UsageError(`unknown command \`${command}\``);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`error: ${error.describe()}\n`);
      return ExitStatus.usage;
    }
    if (error instanceof SuppressionsFileError) {
      io.stderr.write(`error: ${error.message}\n`);
      return ExitStatus.usage;
    }
    if (error instanceof UsageError) {
      const help = error.command ? `interleave ${error.command} --help` : 'interleave --help';
      io.stderr.write(`error: ${error.message}\n\nFor more information, try \`${help}\`.\n`);
      return ExitStatus.usage;
    }
    throw error;
  }
}

/**
 * How far V8 lets a heap grow past what the last full collection left alive, in percent. Its own
 * choice, up to four times that, is made for programs whose old objects stay: a check keeps every
 * summary in each worker and drops each file's facts once it is checked, so garbage piled up to
 * three times what was alive (past 3 GB at the peak of a million-line check, about 1 GB of it
 * alive). At 50 the peak is about half, for some 7 % more CPU time.
 */
const HEAP_GROWING_PERCENT = 50;

if (require.main === module) {
  // Before any worker starts: they share the process's V8 flags. The language server (`lsp`) keeps its own.
  if (process.argv[2] === 'check') setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // A closed pipe (`interleave check | head`) is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitStatus.clean);
    throw error;
  });
  const interrupt = new AbortController();
  // Ctrl+C ends a watch cleanly (exit 0); any other run ends as interrupted runs do.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupt.abort();
      setImmediate(() => process.exit(process.exitCode ?? 130));
    });
  }
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, signal: interrupt.signal }).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`interleave: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = ExitStatus.usage;
    },
  );
}

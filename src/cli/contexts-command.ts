import { resolve } from 'node:path';
import { DEFAULT_FILE_BUDGET_MS } from '../core/budget';
import { resolveConfig } from '../core/config';
import { workersFor } from '../core/contexts/annotations';
import { contextLine } from '../core/contexts/describe';
import { ContextModel, type Witness } from '../core/contexts';
import type { ContextSummary } from '../core/contexts/summary';
import type { WorkerSetting } from '../core/hazard';
import { RULES } from '../rules';
import { loadFrontends } from '../workspace/analyze';
import { loadSettings } from '../workspace/config-discovery';
import { projectDeployment } from '../workspace/deployment';
import { discoverSourceFiles } from '../workspace/discovery';
import { FileAnalyzer } from '../workspace/file-analysis';
import { ModuleNamer } from '../workspace/module-root';
import { DEFAULT_MAX_FILE_SIZE } from '../workspace/source-file';
import { displayPath } from './check-results';
import { ExitStatus, type CliIO } from './cli-io';
import { helpText, parseCommandLine, UsageError, type OptionSpec } from './command-line';

export const CONTEXTS_OPTIONS = {
  format: { type: 'string', value: 'FORMAT', description: 'Output format: text (default) or json' },
  config: { type: 'string', value: 'FILE', description: 'Use this interleave.toml, pyproject.toml or package.json instead of searching for one' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
} as const satisfies Record<string, OptionSpec>;

export const CONTEXTS_HELP = helpText(
  'interleave contexts [OPTIONS] [PATH]...',
  'Print where each function and each module\'s top-level code runs: per request on the event loop or in the threadpool, at startup, in the background, once per worker, on a thread, or not in the server at all — each with the entry point and the calls that reach it. PATH defaults to the current directory.',
  CONTEXTS_OPTIONS,
);

/** One witness in `--format json`: rows are 1-based, as in `check`. */
export interface JsonWitness {
  kind: Witness['kind'];
  label: string;
  entry: { label: string; filename: string; row: number };
  steps: { caller: string; call: string; filename: string; row: number }[];
}

export interface JsonModuleContexts {
  filename: string;
  module: string;
  /** Where the module's top-level code runs. */
  contexts: JsonWitness[];
  functions: { name: string; row: number; contexts: JsonWitness[] }[];
}

export async function runContexts(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, CONTEXTS_OPTIONS, 'contexts');
  if (values.help) {
    io.stdout.write(CONTEXTS_HELP);
    return ExitStatus.clean;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format \`${format}\` (expected text, json)`, 'contexts');
  const metas = RULES.map((rule) => rule.meta);
  const loaded = loadSettings(io.cwd, metas, values.config);
  const config = resolveConfig([loaded.settings], metas);
  const paths = (positionals.length > 0 ? positionals : ['.']).map((path) => resolve(io.cwd, path));
  const discovery = discoverSourceFiles(paths, { exclude: config.exclude, excludeBase: loaded.directory });
  if (discovery.missing.length > 0) throw new UsageError(`no such file or directory: ${discovery.missing.map((path) => displayPath(io.cwd, path)).join(', ')}`, 'contexts');

  await loadFrontends();
  const project = projectDeployment(loaded.directory, config.workers);
  const analyzer = new FileAnalyzer({ config, project, maxFileSize: DEFAULT_MAX_FILE_SIZE, fileBudgetMs: DEFAULT_FILE_BUDGET_MS, projectRoot: loaded.directory });
  const namer = new ModuleNamer();
  const summaries: ContextSummary[] = [];
  for (const path of discovery.files) {
    const summary = analyzer.summarize({ path, moduleName: namer.moduleName(path) })?.contexts;
    if (summary) summaries.push(summary);
  }
  const model = new ContextModel(summaries);
  const modules = summaries.map((summary) => moduleContexts(summary, model, io.cwd, workersFor(project, summary.language)));
  io.stdout.write(format === 'json' ? `${JSON.stringify(modules, null, 2)}\n` : formatText(modules));
  return ExitStatus.clean;
}

function moduleContexts(summary: ContextSummary, model: ContextModel, cwd: string, workers: WorkerSetting | undefined): JsonModuleContexts {
  const json = (witness: Witness): JsonWitness => ({
    kind: witness.kind,
    label: contextLine(witness, { workers }),
    entry: { label: witness.entry.label, filename: displayPath(cwd, witness.entry.path), row: witness.entry.range.start.line + 1 },
    steps: witness.steps.map((step) => ({ caller: step.caller, call: step.call, filename: displayPath(cwd, step.path), row: step.range.start.line + 1 })),
  });
  return {
    filename: displayPath(cwd, summary.path),
    module: summary.moduleName,
    contexts: model.moduleContextsOf(summary.moduleName).map(json),
    functions: summary.functions.map((fn) => ({
      name: fn.name,
      row: fn.nameRange.start.line + 1,
      contexts: model.contextsOf(summary.moduleName, fn.id).witnesses.map(json),
    })),
  };
}

function formatText(modules: readonly JsonModuleContexts[]): string {
  const lines: string[] = [];
  const chain = (witness: JsonWitness) =>
    witness.steps.length === 0 ? '' : ` ← ${[`${witness.entry.filename}:${witness.entry.row}`, ...witness.steps.map((step) => `${step.call}() (${step.filename}:${step.row})`)].join(' → ')}`;
  for (const module of modules) {
    lines.push(module.filename);
    for (const witness of module.contexts) lines.push(`  (module)  ${witness.label}`);
    for (const fn of module.functions) {
      if (fn.contexts.length === 0) {
        lines.push(`  ${fn.name} :${fn.row}  unknown: no entry point reaches it`);
        continue;
      }
      for (const witness of fn.contexts) lines.push(`  ${fn.name} :${fn.row}  ${witness.label}${chain(witness)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

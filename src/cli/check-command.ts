import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, matchSelector, resolveConfig, type Settings } from '../core/config';
import { compareHazards, type Hazard } from '../core/hazard';
import { RULES } from '../rules';
import { analyzeFiles } from '../workspace/batch-analysis';
import { loadSettings } from '../workspace/config-discovery';
import { projectDeployment } from '../workspace/deployment';
import { discoverSourceFiles } from '../workspace/discovery';
import type { FileOutcome } from '../workspace/file-analysis';
import { ModuleNamer } from '../workspace/module-root';
import { posixPathInside } from '../workspace/relative-path';
import { DEFAULT_MAX_FILE_SIZE, formatByteSize, parseByteSize } from '../workspace/source-file';
import { displayPath, type CheckResults } from './check-results';
import { ExitStatus, type CliIO } from './cli-io';
import { commaSeparated, helpText, parseCommandLine, UsageError, type OptionSpec } from './command-line';
import { formatGithub } from './github-format';
import { formatJson } from './json-format';
import { ProgressLine } from './progress';
import { formatSarif } from './sarif-format';
import { SourceLines } from './source-lines';
import { countByRule, formatRuleCounts, formatThroughput } from './statistics';
import { colorEnabled, paletteFor } from './terminal-style';
import { formatText } from './text-format';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type OutputFormat = (typeof FORMATS)[number];

export const CHECK_OPTIONS = {
  format: { type: 'string', value: 'FORMAT', description: 'Output format: text (default), json, sarif or github' },
  select: { type: 'string', multiple: true, value: 'RULES', description: 'Only these rules (codes, prefixes, names or ALL), comma-separated' },
  'extend-select': { type: 'string', multiple: true, value: 'RULES', description: 'Rules to enable on top of the selection' },
  ignore: { type: 'string', multiple: true, value: 'RULES', description: 'Rules to disable' },
  config: { type: 'string', value: 'FILE', description: 'Use this interleave.toml, pyproject.toml or package.json instead of searching for one' },
  preview: { type: 'boolean', description: 'Enable preview rules, and the preview parts of stable ones' },
  'exit-zero': { type: 'boolean', description: 'Exit with 0 even when hazards are found' },
  statistics: { type: 'boolean', description: 'Print hazard counts per rule and throughput instead of each hazard' },
  'force-exclude': { type: 'boolean', description: 'Apply exclude patterns to paths named on the command line too' },
  'max-file-size': { type: 'string', value: 'SIZE', description: `Skip files larger than this (default ${formatByteSize(DEFAULT_MAX_FILE_SIZE)}; e.g. 512K, 4MB)` },
  threads: { type: 'string', value: 'N', description: 'Worker threads for large trees (default: the available cores; 1 analyses in-process)' },
  quiet: { type: 'boolean', short: 'q', description: 'Print hazards only: no summary line, no progress' },
  'no-progress': { type: 'boolean', description: 'Never show progress on stderr' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
} as const satisfies Record<string, OptionSpec>;

export const CHECK_HELP = helpText(
  'interleave check [OPTIONS] [PATH]...',
  'Check Python, TypeScript and JavaScript files, and the deployment files that run them, for concurrency hazards. PATH defaults to the current directory.\n' +
    'Exit status: 0 no hazards, 1 hazards found, 2 usage or configuration error.',
  CHECK_OPTIONS,
);

type CheckValues = ReturnType<typeof parseCommandLine<typeof CHECK_OPTIONS>>['values'];

function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined) return 'text';
  const format = FORMATS.find((known) => known === value);
  if (!format) throw new UsageError(`unknown format \`${value}\` (expected ${FORMATS.join(', ')})`, 'check');
  return format;
}

/**
 * The command-line layer of the configuration. Selectors are checked here so an error can name
 * the flag, the way a config file error names its line.
 */
function commandLineSettings(values: CheckValues): Settings {
  const metas = RULES.map((rule) => rule.meta);
  const layer: Settings = {};
  const flags = [
    ['select', 'select'],
    ['extend-select', 'extendSelect'],
    ['ignore', 'ignore'],
  ] as const;
  for (const [flag, field] of flags) {
    const selectors = commaSeparated(values[flag]);
    if (selectors === undefined) continue;
    for (const selector of selectors) {
      try {
        matchSelector(selector, metas);
      } catch (error) {
        if (error instanceof ConfigError) throw new ConfigError(`${error.message} in --${flag}`);
        throw error;
      }
    }
    layer[field] = selectors;
  }
  if (values.preview) layer.preview = true;
  return layer;
}

/**
 * Where the project's deployment files are looked for: beside the configuration file, else the
 * nearest directory holding every path checked (`check services/shop` reads that service's).
 */
function projectRoot(configDirectory: string | undefined, paths: readonly string[]): string {
  if (configDirectory !== undefined) return configDirectory;
  const directories = paths.map((path) => (statSync(path).isDirectory() ? path : dirname(path)));
  const holds = (ancestor: string, directory: string) => ancestor === directory || posixPathInside(ancestor, directory) !== undefined;
  return directories.reduce((common, directory) => {
    let ancestor = common;
    while (!holds(ancestor, directory)) ancestor = dirname(ancestor);
    return ancestor;
  });
}

function threadCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`invalid --threads \`${value}\` (a whole number of at least 1)`, 'check');
  return count;
}

function maxFileSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_FILE_SIZE;
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes <= 0) throw new UsageError(`invalid --max-file-size \`${value}\` (e.g. 2000000, 512K, 4MB)`, 'check');
  return bytes;
}

/** Tells the user, on stderr, about files that were skipped or only partly analysed. */
function reportFileIssues(outcomes: readonly FileOutcome[], io: CliIO): void {
  for (const outcome of outcomes) {
    const path = displayPath(io.cwd, outcome.path);
    if (outcome.skipped) io.stderr.write(`warning: skipped ${path}: ${outcome.skipped}\n`);
    const [first] = outcome.syntaxErrors;
    if (first) {
      const more = outcome.syntaxErrors.length - 1;
      io.stderr.write(
        `warning: ${path}:${first.start.line + 1}:${first.start.character + 1}: syntax error` +
          `${more > 0 ? ` (and ${more} more)` : ''}; hazards in code that does not parse are not reported\n`,
      );
    }
    for (const problem of outcome.problems) io.stderr.write(`error: ${problem}\n`);
  }
}

export async function runCheck(args: readonly string[], io: CliIO, version: string): Promise<number> {
  const started = performance.now();
  const { values, positionals } = parseCommandLine(args, CHECK_OPTIONS, 'check');
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return ExitStatus.clean;
  }
  const format = outputFormat(values.format);
  const fileSizeLimit = maxFileSize(values['max-file-size']);
  const threads = threadCount(values.threads);
  if (values.statistics && format !== 'text' && format !== 'json') {
    throw new UsageError('--statistics works with --format text or json', 'check');
  }
  const metas = RULES.map((rule) => rule.meta);
  const loaded = loadSettings(io.cwd, metas, values.config);
  const config = resolveConfig([loaded.settings, commandLineSettings(values)], metas);

  const paths = (positionals.length > 0 ? positionals : ['.']).map((path) => resolve(io.cwd, path));
  const discovery = discoverSourceFiles(paths, {
    exclude: config.exclude,
    excludeBase: loaded.directory,
    forceExclude: values['force-exclude'],
  });
  if (discovery.missing.length > 0) {
    const listed = discovery.missing.map((path) => displayPath(io.cwd, path)).join(', ');
    throw new UsageError(`no such file or directory: ${listed}`, 'check');
  }
  for (const { path, message } of discovery.warnings) io.stderr.write(`warning: ${displayPath(io.cwd, path)}: ${message}\n`);

  const namer = new ModuleNamer();
  const tasks = discovery.files.map((path) => ({ path, moduleName: namer.moduleName(path) }));
  const progress =
    io.stderr.isTTY && !values.quiet && !values['no-progress'] ? new ProgressLine(io.stderr) : undefined;
  const root = projectRoot(loaded.file !== undefined ? loaded.directory : undefined, paths);
  const outcomes = await analyzeFiles(tasks, {
    settings: { config, project: projectDeployment(root, config.workers), maxFileSize: fileSizeLimit, projectRoot: root },
    threads,
    onProgress: progress && ((state) => progress.update(state)),
  });
  progress?.clear();
  reportFileIssues(outcomes, io);

  const hazards = outcomes.flatMap((outcome) => outcome.hazards).sort(compareHazards);
  if (values.statistics) {
    writeStatistics(hazards, outcomes, (performance.now() - started) / 1000, format === 'json' ? 'json' : 'text', values.quiet === true, io);
  } else {
    const results: CheckResults = {
      hazards,
      lines: new SourceLines(new Map(outcomes.flatMap((outcome) => (outcome.source === undefined ? [] : [[outcome.path, outcome.source]])))),
      rules: metas.filter((meta) => config.enabled.has(meta.code)),
      severity: new Map(metas.map((meta) => [meta.code, config.severity.get(meta.code) ?? meta.defaultSeverity])),
      cwd: io.cwd,
    };
    io.stdout.write(render(format, results, io, version, !values.quiet));
  }
  return hazards.length > 0 && !values['exit-zero'] ? ExitStatus.hazards : ExitStatus.clean;
}

/** Counts per rule on stdout, then throughput: on stdout for text, on stderr so JSON stays parseable. */
function writeStatistics(
  hazards: readonly Hazard[],
  outcomes: readonly FileOutcome[],
  seconds: number,
  format: 'text' | 'json',
  quiet: boolean,
  io: CliIO,
): void {
  const counts = countByRule(hazards);
  const analysed = outcomes.filter((outcome) => outcome.skipped === undefined);
  const throughput = formatThroughput({
    files: analysed.length,
    lines: analysed.reduce((sum, outcome) => sum + outcome.lines, 0),
    seconds,
  });
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(counts, null, 2)}\n`);
    io.stderr.write(throughput);
  } else {
    io.stdout.write(formatRuleCounts(counts) + (quiet ? '' : throughput));
  }
}

function render(format: OutputFormat, results: CheckResults, io: CliIO, version: string, summary: boolean): string {
  switch (format) {
    case 'text':
      return formatText(results, paletteFor(colorEnabled(io.stdout, io.env)), { summary });
    case 'json':
      return formatJson(results);
    case 'sarif':
      return formatSarif(results, version);
    case 'github':
      return formatGithub(results);
  }
}

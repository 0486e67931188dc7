import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, matchSelector, resolveConfig, type ResolvedConfig, type Settings } from '../core/config';
import { DEFAULT_FILE_BUDGET_MS } from '../core/budget';
import { withHeadline } from '../core/headline';
import { compareHazards, type Hazard } from '../core/hazard';
import type { RuleMeta } from '../core/rule';
import { RULES } from '../rules';
import { analyzeFiles } from '../workspace/batch-analysis';
import { prepareCacheDirectory, runKey } from '../workspace/analysis-cache';
import { loadSettings } from '../workspace/config-discovery';
import { projectDeployment } from '../workspace/deployment';
import { discoverSourceFiles } from '../workspace/discovery';
import { suppressionsFilePath } from '../workspace/suppressions-file';
import type { FileAnalysisSettings, FileOutcome } from '../workspace/file-analysis';
import { ModuleNamer } from '../workspace/module-root';
import { posixPathInside } from '../workspace/relative-path';
import { DEFAULT_MAX_FILE_SIZE, formatByteSize, parseByteSize } from '../workspace/source-file';
import { displayPath, type CheckResults } from './check-results';
import { ExitStatus, type CliIO } from './cli-io';
import { commaSeparated, helpText, parseCommandLine, UsageError, type OptionSpec } from './command-line';
import { formatGithub } from './github-format';
import { fixCheckedFiles, fixedCount, FIX_OPTIONS, formatDiff, formatShowFixes } from './fix-mode';
import { formatGitlab } from './gitlab-format';
import { addIgnoresToFiles } from './add-ignore';
import { applyBulkSuppressions, SUPPRESSION_OPTIONS } from './suppressions-mode';
import { formatJson, formatJsonLines } from './json-format';
import { formatJunit } from './junit-format';
import { formatRdjson } from './rdjson-format';
import { ProgressLine } from './progress';
import { describeNotAnalysed, notAnalysedFiles, type NotAnalysedFile } from './not-analysed';
import { formatSarif } from './sarif-format';
import { SourceLines } from './source-lines';
import { countByRule, formatRuleCounts, formatThroughput } from './statistics';
import { colorEnabled, paletteFor } from './terminal-style';
import { formatConcise, formatText } from './text-format';
import { watchCheck, type DiscoveredFiles } from './watch-mode';

const FORMATS = ['text', 'concise', 'json', 'json-lines', 'sarif', 'github', 'gitlab', 'junit', 'rdjson'] as const;
type OutputFormat = (typeof FORMATS)[number];

export const CHECK_OPTIONS = {
  format: { type: 'string', value: 'FORMAT', description: `Output format: ${FORMATS.join(', ')} (default text)` },
  select: { type: 'string', multiple: true, value: 'RULES', description: 'Only these rules (codes, prefixes, names or ALL), comma-separated' },
  'extend-select': { type: 'string', multiple: true, value: 'RULES', description: 'Rules to enable on top of the selection' },
  ignore: { type: 'string', multiple: true, value: 'RULES', description: 'Rules to disable' },
  config: { type: 'string', value: 'FILE', description: 'Use this interleave.toml, pyproject.toml or package.json instead of searching for one' },
  preview: { type: 'boolean', description: 'Enable preview rules, and the preview parts of stable ones' },
  'exit-zero': { type: 'boolean', description: 'Exit with 0 even when hazards are found or files could not be analysed' },
  'exit-zero-on-unanalysed': {
    type: 'boolean',
    description: 'Exit with 0 when the only problem is files that could not be analysed (they are still listed)',
  },
  statistics: { type: 'boolean', description: 'Print hazard counts per rule and throughput instead of each hazard' },
  'force-exclude': { type: 'boolean', description: 'Apply exclude patterns to paths named on the command line too' },
  'max-file-size': { type: 'string', value: 'SIZE', description: `Skip files larger than this (default ${formatByteSize(DEFAULT_MAX_FILE_SIZE)}; e.g. 512K, 4MB)` },
  'max-file-time': {
    type: 'string',
    value: 'TIME',
    description: `Report a file as not analysed (too complex) when its analysis takes longer (default ${DEFAULT_FILE_BUDGET_MS / 1000}s; e.g. 30s, 500ms)`,
  },
  'follow-outside-symlinks': { type: 'boolean', description: 'Follow symbolic links that lead out of the directories checked' },
  threads: { type: 'string', value: 'N', description: 'Worker threads for large trees (default: the available cores; 1 analyses in-process)' },
  quiet: { type: 'boolean', short: 'q', description: 'Print hazards only: no summary line, no progress' },
  'no-progress': { type: 'boolean', description: 'Never show progress on stderr' },
  watch: { type: 'boolean', short: 'w', description: 'Check, then check again whatever changes, until Ctrl+C' },
  'no-cache': { type: 'boolean', description: 'Neither read nor write the cache' },
  'cache-dir': { type: 'string', value: 'DIR', description: 'Keep the cache here (default .interleave_cache at the project root)' },
  ...FIX_OPTIONS,
  ...SUPPRESSION_OPTIONS,
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
} as const satisfies Record<string, OptionSpec>;

export const CHECK_HELP = helpText(
  'interleave check [OPTIONS] [PATH]...',
  'Check Python, TypeScript and JavaScript files, and the deployment files that run them, for concurrency hazards. PATH defaults to the current directory.\n' +
    'Exit status: 0 no hazards, 1 hazards found or files not analysed, 2 usage or configuration error.',
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

/** Files that mark a project's root when no configuration file names it. */
const PROJECT_MARKERS = ['pyproject.toml', 'setup.cfg', 'setup.py', 'requirements.txt', 'Pipfile', 'package.json', 'Dockerfile', 'Procfile', '.git'];

/**
 * Where the project's deployment files are looked for: beside the configuration file, else the
 * nearest directory at or above every path checked, and not above the current directory, that
 * holds a project marker (`pyproject.toml`, `requirements.txt`, `package.json`, a `Dockerfile`,
 * `.git`…), else the nearest directory holding every path (`check services/shop` reads that
 * service's when it has its own `Dockerfile`; `check server` from a repository's root reads the
 * repository's).
 */
function projectRoot(configDirectory: string | undefined, paths: readonly string[], cwd: string): string {
  if (configDirectory !== undefined) return configDirectory;
  const directories = paths.map((path) => (statSync(path).isDirectory() ? path : dirname(path)));
  const holds = (ancestor: string, directory: string) => ancestor === directory || posixPathInside(ancestor, directory) !== undefined;
  const common = directories.reduce((found, directory) => {
    let ancestor = found;
    while (!holds(ancestor, directory)) ancestor = dirname(ancestor);
    return ancestor;
  });
  // Never above the current directory: paths outside it are read where they are.
  if (!holds(cwd, common)) return common;
  for (let directory = common; ; directory = dirname(directory)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(join(directory, marker)))) return directory;
    if (directory === cwd) return common;
  }
}

function maxFileTime(value: string | undefined): number {
  if (value === undefined) return DEFAULT_FILE_BUDGET_MS;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(value);
  const milliseconds = match ? Number(match[1]) * (match[2]?.toLowerCase() === 'ms' ? 1 : 1000) : NaN;
  if (!(milliseconds > 0)) throw new UsageError(`invalid --max-file-time \`${value}\` (e.g. 30s, 500ms)`, 'check');
  return milliseconds;
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

/** The files that were not analysed, listed on stderr in every format (stdout may be a JSON or SARIF document). */
function listNotAnalysed(outcomes: readonly FileOutcome[], unreachable: readonly NotAnalysedFile[], io: CliIO): NotAnalysedFile[] {
  const files = notAnalysedFiles(outcomes, unreachable);
  for (const file of files) io.stderr.write(`error: ${describeNotAnalysed(io.cwd, file)}\n`);
  return files;
}

/** Flags that change files or the suppressions file: one at a time (`--fix --suppress-all` records what fixing left). */
function checkEditingFlags(values: CheckValues): void {
  const editing = (['fix', 'diff', 'add-ignore', 'suppress-all', 'prune-suppressions', 'watch'] as const).filter((flag) => values[flag]);
  const fixThenRecord = editing.length === 2 && editing.includes('fix') && editing.includes('suppress-all');
  if (editing.length > 1 && !fixThenRecord) throw new UsageError(`--${editing[0]} and --${editing[1]} cannot be used together`, 'check');
  if (values.watch && values.statistics) throw new UsageError('--watch and --statistics cannot be used together', 'check');
}

/** Everything a check run decides before it reads a file. */
interface CheckPlan {
  metas: RuleMeta[];
  config: ResolvedConfig;
  paths: string[];
  settings: FileAnalysisSettings;
  suppressionsFile: string;
  /** Where the cache is kept; undefined with `--no-cache`. */
  cacheDirectory?: string;
  /** Finds the files to check (again, for `--watch`), warning about what it passes over. */
  discover(): DiscoveredFiles;
}

function planCheck(values: CheckValues, positionals: readonly string[], io: CliIO): CheckPlan {
  const fileSizeLimit = maxFileSize(values['max-file-size']);
  const fileBudgetMs = maxFileTime(values['max-file-time']);
  if (positionals.includes('')) throw new UsageError('an empty path names no file (use `.` for the current directory)', 'check');
  const metas = RULES.map((rule) => rule.meta);
  const loaded = loadSettings(io.cwd, metas, values.config);
  const config = resolveConfig([loaded.settings, commandLineSettings(values)], metas);
  const paths = (positionals.length > 0 ? positionals : ['.']).map((path) => resolve(io.cwd, path));
  const discover = (): DiscoveredFiles => {
    const discovery = discoverSourceFiles(paths, {
      exclude: config.exclude,
      excludeBase: loaded.directory,
      forceExclude: values['force-exclude'],
      followOutsideSymlinks: values['follow-outside-symlinks'],
    });
    for (const { path, message } of discovery.warnings) io.stderr.write(`warning: ${displayPath(io.cwd, path)}: ${message}\n`);
    const namer = new ModuleNamer();
    return {
      tasks: discovery.files.map((path) => ({ path, moduleName: namer.moduleName(path) })),
      unreachable: [...discovery.missing.map((path) => ({ path, reason: 'no such file or directory' })), ...discovery.unreadable],
    };
  };
  const configDirectory = loaded.file !== undefined ? loaded.directory : undefined;
  const existing = paths.filter((path) => existsSync(path));
  const root = projectRoot(configDirectory, existing.length > 0 ? existing : [io.cwd], io.cwd);
  const cacheDirectory = values['cache-dir'] !== undefined
    ? resolve(io.cwd, values['cache-dir'])
    : resolve(loaded.directory, loaded.settings.cacheDir ?? resolve(root, '.interleave_cache'));
  return {
    metas,
    config,
    paths,
    settings: { config, project: projectDeployment(root, config.workers), maxFileSize: fileSizeLimit, fileBudgetMs, projectRoot: root },
    suppressionsFile: suppressionsFilePath(configDirectory ?? io.cwd),
    ...(!values['no-cache'] && { cacheDirectory }),
    discover,
  };
}

export async function runCheck(args: readonly string[], io: CliIO, version: string): Promise<number> {
  const started = performance.now();
  const { values, positionals } = parseCommandLine(args, CHECK_OPTIONS, 'check');
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return ExitStatus.clean;
  }
  const format = outputFormat(values.format);
  const threads = threadCount(values.threads);
  if (values.statistics && format !== 'text' && format !== 'json') {
    throw new UsageError('--statistics works with --format text or json', 'check');
  }
  checkEditingFlags(values);
  const plan = planCheck(values, positionals, io);
  const { tasks, unreachable } = plan.discover();
  const { settings, metas } = plan;
  const unsafeFixes = values['unsafe-fixes'] === true;
  /** Whether files that were not analysed fail the run. */
  const unanalysedFail = (notAnalysed: readonly NotAnalysedFile[]) => notAnalysed.length > 0 && !values['exit-zero-on-unanalysed'];
  /**
   * Lists the files that were not analysed, then reports hazards as the format asks, minus what the
   * suppressions file records; returns whether the run failed.
   */
  const report = (
    outcomes: readonly FileOutcome[],
    unreached: readonly NotAnalysedFile[],
    extra: { fixed?: number; suppressAll?: boolean; prune?: boolean } = {},
  ): boolean => {
    const notAnalysed = listNotAnalysed(outcomes, unreached, io);
    const found = outcomes.flatMap((outcome) => outcome.hazards).sort(compareHazards);
    const bulk = applyBulkSuppressions(outcomes, found, plan.suppressionsFile, { suppressAll: extra.suppressAll === true, prune: extra.prune === true, quiet: values.quiet === true }, io);
    const results: CheckResults = {
      hazards: bulk.reported.map(withHeadline),
      notAnalysed,
      lines: new SourceLines(new Map(outcomes.flatMap((outcome) => (outcome.source === undefined ? [] : [[outcome.path, outcome.source]])))),
      rules: metas.filter((meta) => plan.config.enabled.has(meta.code)),
      severity: new Map(metas.map((meta) => [meta.code, plan.config.severity.get(meta.code) ?? meta.defaultSeverity])),
      cwd: io.cwd,
      unsafeFixes,
      fixed: extra.fixed,
      suppressed: bulk.suppressed,
    };
    if (values.statistics) {
      writeStatistics(bulk.reported, outcomes, (performance.now() - started) / 1000, format === 'json' ? 'json' : 'text', values.quiet === true, io);
    } else {
      io.stdout.write(render(format, results, io, version, !values.quiet));
    }
    return bulk.reported.length > 0 || unanalysedFail(notAnalysed);
  };
  if (values.watch) {
    return watchCheck({ paths: plan.paths, settings, discover: plan.discover, report: (outcomes, unreached) => void report(outcomes, unreached) }, io);
  }

  const progress = io.stderr.isTTY && !values.quiet && !values['no-progress'] ? new ProgressLine(io.stderr) : undefined;
  let project = settings.project;
  const cached = withCache(plan, version, io);
  // Fixes and suppression comments are checked against the project: only they need it decoded here.
  const needsProject = values['add-ignore'] || values.fix || values.diff;
  const analyse = async () => {
    const outcomes = await analyzeFiles(tasks, {
      settings: cached,
      threads,
      onProgress: progress && ((state) => progress.update(state)),
      ...(needsProject && { onProject: (facts: typeof project) => (project = facts) }),
    });
    progress?.clear();
    return outcomes;
  };
  let outcomes = await analyse();
  reportFileIssues(outcomes, io);

  if (values['add-ignore']) {
    const written = await addIgnoresToFiles(outcomes, tasks, settings, project, metas, io);
    if (written > 0) outcomes = await analyse();
  }
  let fixed = 0;
  if (values.fix || values.diff) {
    const fixes = await fixCheckedFiles(outcomes, tasks, settings, project, { unsafe: unsafeFixes, write: !values.diff }, io);
    if (values.diff) {
      const diff = formatDiff(fixes, io.cwd);
      io.stdout.write(diff);
      const count = fixes.reduce((sum, fix) => sum + fix.applied.length, 0);
      if (!values.quiet) io.stderr.write(count === 0 ? 'No fixes to apply.\n' : `Would fix ${count} ${count === 1 ? 'hazard' : 'hazards'}.\n`);
      // A file that was not analysed has no fixes to show: that is no pass either.
      const notAnalysed = listNotAnalysed(outcomes, unreachable, io);
      return (diff !== '' || unanalysedFail(notAnalysed)) && !values['exit-zero'] ? ExitStatus.hazards : ExitStatus.clean;
    }
    fixed = fixedCount(fixes);
    if (values['show-fixes']) io.stdout.write(formatShowFixes(fixes, io.cwd));
    // What remains, from the files as they are now (a fix in one module can change another's findings).
    if (fixed > 0) outcomes = await analyse();
  }
  const failed = report(outcomes, unreachable, { fixed, suppressAll: values['suppress-all'], prune: values['prune-suppressions'] });
  return failed && !values['exit-zero'] ? ExitStatus.hazards : ExitStatus.clean;
}

/** The run's settings with the cache, when there is one and its directory can be written. */
function withCache(plan: CheckPlan, version: string, io: CliIO): FileAnalysisSettings {
  const { settings, cacheDirectory } = plan;
  if (cacheDirectory === undefined) return settings;
  const problem = prepareCacheDirectory(cacheDirectory);
  if (problem !== undefined) {
    io.stderr.write(`warning: running without a cache: cannot use ${displayPath(io.cwd, cacheDirectory)} (${problem})\n`);
    return settings;
  }
  return { ...settings, cache: { directory: cacheDirectory, version, runKey: runKey(version, plan.config, plan.metas, settings.projectRoot) } };
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
    case 'concise':
      return formatConcise(results, paletteFor(colorEnabled(io.stdout, io.env)), { summary });
    case 'json':
      return formatJson(results);
    case 'json-lines':
      return formatJsonLines(results);
    case 'sarif':
      return formatSarif(results, version);
    case 'github':
      return formatGithub(results);
    case 'gitlab':
      return formatGitlab(results, io.env.CI_PROJECT_DIR ?? io.cwd);
    case 'junit':
      return formatJunit(results);
    case 'rdjson':
      return formatRdjson(results);
  }
}

/**
 * `npm run bench`: Interleave's CLI against Ruff's wasm build on generated FastAPI projects of
 * several sizes (or on directories given), cold and then warm (its cache filled by the cold run),
 * then the language server's keystroke latency, cold start and memory after indexing. Prints a
 * table; `--json [FILE]` writes the figures as JSON.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { discoverSourceFiles } from '../../src/workspace/discovery';
import { countLines } from '../../src/workspace/file-analysis';
import { measureAnalysisSteps, type AnalysisSteps } from './analysis-steps';
import { measureContextModel, type ContextModelCost } from './context-model';
import { measureEditorLatency, measureIndexMemory, type EditorLatency, type IndexMemory } from './editor-latency';
import { realPythonApps } from './real-apps';
import { generateExpressProject } from './express-project';
import { generateProject, largeRouterPath, type GeneratedProject } from './fastapi-project';
import type { ParseOnlyResult } from './parse-only';
import type { RuffRunResult } from './ruff-check';
import { runTimed, type TimedRun } from './timed-process';
import { defaultOpenedFile, measureTsServer, type PluginBuild, type TsServerBench } from './tsserver-plugin';

const root = join(__dirname, '..', '..');
/** The bundled tools: under node_modules, so they resolve Ruff's package from there. */
const toolsDirectory = join(root, 'node_modules', '.cache', 'interleave-bench');
/** The generated projects: outside the repository, since both tools skip node_modules and git-ignored paths. */
const projectsDirectory = join(tmpdir(), 'interleave-bench');
const cliScript = join(root, 'dist', 'cli.js');
const serverScript = join(root, 'dist', 'server.js');
/** The stub package tsserver finds the plugin through (scripts/build.mjs writes it) lives under this directory of a build. */
const PLUGIN_PROBE_DIRECTORY = 'tsserver-plugin';

const SIZE_NAMES: Record<string, number> = { '10k': 10_000, '100k': 100_000, '1M': 1_000_000 };
const DEFAULT_SIZES = '10k,100k,1M';
const EDITOR_FILE_LINES = 2_000;
const EDITOR_EDITS = 200;
const INDEX_SIZE = 100_000;
/** Workloads smaller than this run three times and report the median; larger ones once. */
const REPEAT_BELOW_LINES = 500_000;
/** Single-character edits in the tsserver workload: each typed, then deleted. */
const DEFAULT_TSSERVER_EDITS = 40;

interface Workload {
  name: string;
  /** Where the tools run. */
  directory: string;
  /** What they check: the directory itself unless given. */
  paths?: string[];
  files: number;
  lines: number;
  /** Hazards the generator planted; undefined for a user's directory. */
  planted?: number;
}

interface ToolRun {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  linesPerSecond: number;
  filesPerSecond: number;
  findings: number;
}

interface WorkloadResult extends Workload {
  ruffVersion: string;
  /** With an empty cache, which it fills. */
  interleave: ToolRun;
  /** Another build's CLI (`--cli-baseline`), cold, on the same tree in the same run: before and after a change. */
  baseline?: ToolRun;
  /** The same tree checked again, nothing changed, with the cache the cold run left. */
  warm: ToolRun;
  ruff: ToolRun;
  /** Interleave's wall time over Ruff's. */
  ratio: number;
  /** Interleave's warm wall time over its cold one. */
  warmRatio: number;
  /** Interleave's CPU time over Ruff's: less sensitive to other load on the machine, blind to Interleave's threads. */
  cpuRatio: number;
  /** Tree-sitter's parse of every Python file alone, in one thread, in milliseconds: the floor under Interleave's time. */
  parseOnlyMs: number;
  /** Interleave's wall time per line, in microseconds. */
  interleaveMicrosPerLine: number;
  ruffMicrosPerLine: number;
  /** What the execution-context model costs on this tree, measured in process (trees under 500k lines). */
  contextModel?: ContextModelCost;
}

interface BenchReport {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string; loadAverageAtStart: number[] };
  ruffVersion: string;
  interleaveThreads: string;
  workloads: WorkloadResult[];
  editor?: EditorLatency;
  /** The same keystroke run on a generated Express router of about 2,000 lines. */
  editorTypeScript?: EditorLatency;
  steps?: AnalysisSteps;
  index?: IndexMemory;
  tsserver?: TsServerBench;
}

function parseSize(text: string): number {
  const named = SIZE_NAMES[text];
  if (named !== undefined) return named;
  const match = /^(\d+(?:\.\d+)?)([kM]?)$/.exec(text);
  if (!match) throw new Error(`invalid size \`${text}\` (e.g. 10k, 100k, 1M, 25000)`);
  return Math.round(Number(match[1]) * (match[2] === 'k' ? 1_000 : match[2] === 'M' ? 1_000_000 : 1));
}

/** `--json` takes an optional file: the next argument when it ends in `.json`. */
function splitJsonFlag(args: readonly string[]): { args: string[]; json?: string } {
  const index = args.indexOf('--json');
  if (index < 0) return { args: [...args] };
  const next = args[index + 1];
  const file = next !== undefined && next.endsWith('.json') ? next : undefined;
  return { args: args.filter((_, position) => position !== index && !(file !== undefined && position === index + 1)), json: file ?? '-' };
}

interface Tools {
  usageReporter: string;
  ruffCheck: string;
  parseOnly: string;
}

/** Bundles the scripts the timed processes load, so neither pays for compiling TypeScript at start-up. */
function bundleTools(): Tools {
  const directory = toolsDirectory;
  const entries: Record<keyof Tools, string> = { usageReporter: 'process-usage.ts', ruffCheck: 'ruff-check.ts', parseOnly: 'parse-only.ts' };
  const outputs: Tools = {
    usageReporter: join(directory, 'process-usage.cjs'),
    ruffCheck: join(directory, 'ruff-check.cjs'),
    parseOnly: join(directory, 'parse-only.cjs'),
  };
  for (const [key, entry] of Object.entries(entries) as [keyof typeof entries, string][]) {
    buildSync({
      entryPoints: [join(__dirname, entry)],
      outfile: outputs[key],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // Loaded from node_modules at run time, each finding its wasm beside itself.
      external: ['@astral-sh/ruff-wasm-nodejs', 'web-tree-sitter'],
      logLevel: 'warning',
    });
  }
  return outputs;
}

/** Writes a generated project unless the directory already holds exactly this one. */
function materialize(name: string, project: GeneratedProject): string {
  const directory = join(projectsDirectory, name);
  const hash = createHash('sha256');
  for (const file of project.files) hash.update(file.path).update('\0').update(file.text).update('\0');
  const digest = hash.digest('hex');
  const stamp = join(directory, '.bench-digest');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return directory;
  rmSync(directory, { recursive: true, force: true });
  for (const file of project.files) {
    const path = join(directory, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
  }
  writeFileSync(stamp, digest);
  return directory;
}

function userWorkload(name: string, directory: string, paths = [directory]): Workload {
  const files = discoverSourceFiles(paths, { exclude: [], excludeBase: directory }).files;
  const lines = files.reduce((sum, path) => sum + countLines(readFileSync(path, 'utf8')), 0);
  return { name, directory, paths, files: files.length, lines };
}

function toolRun(run: TimedRun, workload: Workload, findings: number): ToolRun {
  const seconds = run.wallMs / 1000;
  return {
    wallMs: run.wallMs,
    cpuMs: run.userMs + run.systemMs,
    maxRssMb: run.maxRssKb / 1024,
    linesPerSecond: workload.lines / seconds,
    filesPerSecond: workload.files / seconds,
    findings,
  };
}

/** The run with the median wall time of `runs` runs: one slow run on a shared machine should not set the figure. */
async function medianRun(runs: number, run: () => Promise<TimedRun>): Promise<TimedRun> {
  const results: TimedRun[] = [];
  for (let index = 0; index < runs; index++) results.push(await run());
  results.sort((a, b) => a.wallMs - b.wallMs);
  return results[Math.floor((results.length - 1) / 2)]!;
}

function succeeded(run: TimedRun, what: string): TimedRun {
  if (run.exitCode !== 0) throw new Error(`${what} exited ${run.exitCode}: ${run.stderr}`);
  return run;
}

async function benchWorkload(workload: Workload, tools: Tools, threads: string | undefined, runs: number, baselineCli?: string): Promise<WorkloadResult> {
  // Outside the workload, so that neither tool walks it and a user's directory is left as it was.
  const cacheDirectory = mkdtempSync(join(tmpdir(), 'interleave-bench-cache-'));
  const paths = workload.paths ?? [workload.directory];
  const checkArgs = (cli: string) => [cli, 'check', ...paths, '--exit-zero', '--statistics', '--format', 'json', '--no-progress', '--cache-dir', cacheDirectory, ...(threads !== undefined ? ['--threads', threads] : [])];
  const cliArgs = checkArgs(cliScript);
  const timed = async (args: string[], what: string, before?: () => void) =>
    succeeded(
      await medianRun(runs, () => {
        before?.();
        return runTimed(tools.usageReporter, args, workload.directory);
      }),
      what,
    );
  const findings = (run: TimedRun) => (JSON.parse(run.stdout) as { count: number }[]).reduce((sum, entry) => sum + entry.count, 0);
  const interleaveRun = await timed(cliArgs, 'interleave check', () => rmSync(cacheDirectory, { recursive: true, force: true }));
  const interleave = toolRun(interleaveRun, workload, findings(interleaveRun));
  const warmRun = await timed(cliArgs, 'interleave check, warm');
  rmSync(cacheDirectory, { recursive: true, force: true });
  const warm = toolRun(warmRun, workload, findings(warmRun));
  if (warmRun.stdout !== interleaveRun.stdout) throw new Error(`a warm run of ${workload.name} found other hazards than the cold one`);
  let baseline: ToolRun | undefined;
  if (baselineCli !== undefined) {
    const baselineRun = await timed(checkArgs(baselineCli), 'interleave check, baseline', () => rmSync(cacheDirectory, { recursive: true, force: true }));
    rmSync(cacheDirectory, { recursive: true, force: true });
    baseline = toolRun(baselineRun, workload, findings(baselineRun));
  }
  const ruffRun = await timed([tools.ruffCheck, ...paths], 'ruff-check');
  const ruffResult = JSON.parse(ruffRun.stdout) as RuffRunResult;
  const ruff = toolRun(ruffRun, workload, Object.values(ruffResult.findings).reduce((sum, count) => sum + count, 0));
  const parseOnly = JSON.parse((await timed([tools.parseOnly, ...paths], 'parse-only')).stdout) as ParseOnlyResult;
  return {
    ...workload,
    ruffVersion: ruffResult.version,
    interleave,
    ...(baseline && { baseline }),
    warm,
    ruff,
    ratio: interleave.wallMs / ruff.wallMs,
    warmRatio: warm.wallMs / interleave.wallMs,
    cpuRatio: interleave.cpuMs / ruff.cpuMs,
    parseOnlyMs: parseOnly.parseMs,
    interleaveMicrosPerLine: (interleave.wallMs * 1000) / workload.lines,
    ruffMicrosPerLine: (ruff.wallMs * 1000) / workload.lines,
  };
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fixed = (value: number, digits = 2) => value.toFixed(digits);

function renderTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Time per line at each generated size, and whether it stays within a quarter from the
 * second-largest size to the largest: smaller sizes are dominated by start-up (loading the
 * parsers, compiling wasm), so the largest step is the one that shows the growth.
 */
function growth(results: readonly WorkloadResult[]): string {
  if (results.length < 2) return '';
  const [previous, last] = results.slice(-2) as [WorkloadResult, WorkloadResult];
  const factor = last.interleaveMicrosPerLine / previous.interleaveMicrosPerLine;
  const perLine = results.map((result) => `${result.name} ${fixed(result.interleaveMicrosPerLine, 1)}`).join(', ');
  const verdict = factor <= 1.25 ? 'linear' : 'worse than linear';
  return `Interleave wall time per line (µs): ${perLine}; ${previous.name} → ${last.name} ×${fixed(factor)}: ${verdict}.`;
}

/** The model's cost beside the facts it is built from, and how many functions got each context kind. */
function contextModelTable(results: readonly WorkloadResult[]): string {
  const kinds = [...new Set(results.flatMap((result) => Object.keys(result.contextModel!.byKind)))].sort();
  const rows = results.map((result) => {
    const cost = result.contextModel!;
    const share = (cost.summariesMs + cost.modelMs) / (cost.factsMs + cost.summariesMs + cost.modelMs);
    return [
      result.name,
      grouped.format(cost.functions),
      grouped.format(cost.factsMs),
      grouped.format(cost.summariesMs),
      grouped.format(cost.modelMs),
      `${fixed(share * 100, 1)}%`,
      ...kinds.map((kind) => grouped.format(cost.byKind[kind] ?? 0)),
    ];
  });
  return renderTable(['workload', 'functions', 'facts', 'summaries', 'model', 'model share', ...kinds], rows);
}

function render(report: BenchReport): string {
  const rows = report.workloads.map((result) => [
    result.name,
    grouped.format(result.files),
    grouped.format(result.lines),
    fixed(result.interleave.wallMs / 1000),
    fixed(result.ruff.wallMs / 1000),
    fixed(result.ratio),
    fixed(result.warm.wallMs / 1000),
    fixed(result.warmRatio),
    fixed(result.cpuRatio),
    fixed(result.parseOnlyMs / 1000),
    grouped.format(result.interleave.linesPerSecond),
    grouped.format(result.ruff.linesPerSecond),
    grouped.format(result.interleave.filesPerSecond),
    fixed(result.interleaveMicrosPerLine, 1),
    grouped.format(result.interleave.maxRssMb),
    grouped.format(result.warm.maxRssMb),
    grouped.format(result.ruff.maxRssMb),
    `${result.interleave.findings}${result.planted === undefined ? '' : `/${result.planted}`}`,
    String(result.ruff.findings),
  ]);
  const sections = [
    `${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}, load average ${report.machine.loadAverageAtStart.join(' ')} at start; ` +
      `Ruff ${report.ruffVersion} (wasm); Interleave threads: ${report.interleaveThreads}`,
  ];
  if (rows.length > 0) {
    sections.push(
      '',
      renderTable(
        ['workload', 'files', 'lines', 'IL s', 'Ruff s', 'IL/Ruff', 'IL warm s', 'warm/cold', 'CPU IL/Ruff', 'parse-only s', 'IL lines/s', 'Ruff lines/s', 'IL files/s', 'IL µs/line', 'IL MB', 'IL warm MB', 'Ruff MB', 'IL found/planted', 'Ruff found'],
        rows,
      ),
    );
  }
  const pairs = report.workloads.flatMap((result) => (result.baseline ? [{ result, before: result.baseline }] : []));
  if (pairs.length > 0) {
    sections.push(
      '',
      'Another build\'s CLI (--cli-baseline), cold, in the same run:',
      '',
      renderTable(
        ['workload', 'before s', 'after s', 'after/before', 'before CPU s', 'after CPU s', 'before MB', 'after MB', 'before found', 'after found'],
        pairs.map(({ result, before }) => [
          result.name,
          fixed(before.wallMs / 1000),
          fixed(result.interleave.wallMs / 1000),
          fixed(result.interleave.wallMs / before.wallMs),
          fixed(before.cpuMs / 1000),
          fixed(result.interleave.cpuMs / 1000),
          grouped.format(before.maxRssMb),
          grouped.format(result.interleave.maxRssMb),
          String(before.findings),
          String(result.interleave.findings),
        ]),
      ),
    );
  }
  const line = growth(report.workloads.filter((result) => result.planted !== undefined));
  if (line) sections.push('', line);
  const modelled = report.workloads.filter((result) => result.contextModel);
  if (modelled.length > 0) sections.push('', 'The execution-context model, in one thread (ms):', '', contextModelTable(modelled));
  if (report.editor) sections.push('', ...renderEditor('Python', report.editor));
  if (report.editorTypeScript) sections.push('', ...renderEditor('TypeScript', report.editorTypeScript));
  if (report.steps) {
    const steps = report.steps;
    sections.push(
      `One analysis of that file, in this process (mean of 30): full parse ${fixed(steps.fullParseMs, 1)} ms, incremental parse after a keystroke ${fixed(steps.incrementalParseMs, 1)} ms, ` +
        `copying the tree ${fixed(steps.copyTreeMs, 1)} ms, facts (copy included) ${fixed(steps.factsMs, 1)} ms, facts and rules ${fixed(steps.factsAndRulesMs, 1)} ms; ` +
        `facts after the keystroke from the previous extraction ${fixed(steps.keystrokeFactsMs, 1)} ms.`,
    );
  }
  if (report.index) {
    const index = report.index;
    sections.push(
      `Language server after indexing ${grouped.format(index.files)} files (${grouped.format(INDEX_SIZE)} lines) in ${fixed(index.indexMs / 1000, 1)} s: ` +
        `${grouped.format(index.rssMb)} MB resident (peak ${grouped.format(index.peakRssMb)} MB).`,
    );
  }
  if (report.tsserver) sections.push('', ...renderTsServer(report.tsserver));
  return `${sections.join('\n')}\n`;
}

function renderEditor(language: string, editor: EditorLatency): string[] {
  return [
    `Language server, ${language}, ${grouped.format(editor.lines)}-line file, ${editor.edits} single-character edits: ` +
      `keystroke → diagnostics p50 ${fixed(editor.p50Ms, 1)} ms, p95 ${fixed(editor.p95Ms, 1)} ms, max ${fixed(editor.maxMs, 1)} ms; ` +
      `cold start to first diagnostics ${grouped.format(editor.coldStartMs)} ms.`,
    `  of which the server's analysis: p50 ${fixed(editor.analysis.p50Ms, 1)} ms, p95 ${fixed(editor.analysis.p95Ms, 1)} ms, max ${fixed(editor.analysis.maxMs, 1)} ms ` +
      `(parse and facts p50 ${fixed(editor.parse.p50Ms, 1)} ms, rules p50 ${fixed(editor.check.p50Ms, 1)} ms).`,
    `  the lens, asked once each keystroke's diagnostics arrived: p50 ${fixed(editor.lens.p50Ms, 1)} ms, p95 ${fixed(editor.lens.p95Ms, 1)} ms, max ${fixed(editor.lens.maxMs, 1)} ms.`,
  ];
}

/** Each tsserver run beside the run without the plugin: the differences are what the plugin costs TypeScript's users. */
function renderTsServer(bench: TsServerBench): string[] {
  const [without, ...withPlugin] = bench.runs;
  if (!without) return [];
  const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${fixed(value, digits)}`;
  const rows = bench.runs.map((run) => [
    run.variant,
    fixed(run.firstDiagnosticsMs / 1000),
    run === without ? '' : `${signed(((run.firstDiagnosticsMs - without.firstDiagnosticsMs) / without.firstDiagnosticsMs) * 100, 0)}%`,
    fixed(run.settledMs / 1000, 1),
    fixed(run.edit.p50Ms, 1),
    fixed(run.edit.p95Ms, 1),
    run === without ? '' : `${signed(run.edit.p50Ms - without.edit.p50Ms, 1)} / ${signed(run.edit.p95Ms - without.edit.p95Ms, 1)}`,
    fixed(run.editCpuMs, 1),
    run === without ? '' : signed(run.editCpuMs - without.editCpuMs, 1),
    run.freshAfterPauseMs === undefined ? '' : fixed(run.freshAfterPauseMs / 1000),
    grouped.format(run.peakRssMb),
    run === without ? '' : signed(run.peakRssMb - without.peakRssMb, 0),
    `${run.diagnostics.typescript} / ${run.diagnostics.interleave}`,
  ]);
  return [
    `tsserver on ${bench.app}, ${bench.file} (${grouped.format(bench.lines)} lines) opened, ${bench.edits} single-character edits, ` +
      `${bench.runsEach === 1 ? 'one run' : `median of ${bench.runsEach} runs`} each` +
      (withPlugin.length > 0 ? '' : ' (no plugin build to compare)'),
    '',
    renderTable(['tsserver', 'open → semantic diagnostics s', 'vs without', 'then busy s', 'edit p50 ms', 'edit p95 ms', 'p50 / p95 vs without', 'edit CPU ms', 'vs without', 'fresh after pause s', 'peak MB', 'vs without', 'TS / Interleave diagnostics'], rows),
  ];
}

async function main(): Promise<void> {
  const loadAverageAtStart = loadavg().map((load) => Math.round(load * 100) / 100);
  const { args, json } = splitJsonFlag(process.argv.slice(2));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      sizes: { type: 'string' },
      seed: { type: 'string', default: '1' },
      threads: { type: 'string' },
      runs: { type: 'string' },
      'no-editor': { type: 'boolean', default: false },
      'editor-only': { type: 'boolean', default: false },
      'tsserver-app': { type: 'string' },
      'tsserver-file': { type: 'string' },
      'tsserver-edits': { type: 'string' },
      'tsserver-baseline': { type: 'string' },
      'cli-baseline': { type: 'string' },
      'real-trees': { type: 'string', default: join(tmpdir(), 'interleave-real-trees') },
      'no-real': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'npm run bench -- [DIRECTORY]... [--sizes 10k,100k,1M|none] [--seed N] [--threads N] [--runs N] [--no-editor | --editor-only] [--json [FILE.json]]\n' +
        '                 [--real-trees DIR | --no-real] [--cli-baseline DIST]\n' +
        '                 [--tsserver-app DIR [--tsserver-file FILE] [--tsserver-edits N] [--tsserver-baseline DIST]]\n' +
        'Without directories, benchmarks generated FastAPI projects of each size; with them, those directories (and --sizes adds generated ones).\n' +
        'The real Python apps of the real-code evaluation are checked too when their trees are under --real-trees ($TMPDIR/interleave-real-trees).\n' +
        '--cli-baseline runs another build\'s CLI (DIST is its dist/) cold on each workload too, in the same run.\n' +
        '--tsserver-app runs tsserver on a TypeScript app without the plugin, with this build\'s plugin, and with the one in DIST (another build\'s dist/).\n',
    );
    return;
  }
  const seed = Number(values.seed);
  const sizeList = values.sizes ?? (positionals.length > 0 || values['editor-only'] ? '' : DEFAULT_SIZES);
  const sizes = (sizeList === 'none' ? [] : sizeList.split(',')).filter(Boolean).map(parseSize);
  const tools = bundleTools();
  const log = (message: string) => process.stderr.write(`${message}\n`);

  const workloads: Workload[] = [];
  for (const size of sizes) {
    const started = performance.now();
    const project = generateProject({ lines: size, seed });
    const name = Object.entries(SIZE_NAMES).find(([, lines]) => lines === size)?.[0] ?? String(size);
    const directory = materialize(`project-${size}`, project);
    log(`generated ${name}: ${project.files.length} files, ${project.lines} lines, ${project.planted.length} hazards planted, in ${grouped.format(performance.now() - started)} ms (written only when changed)`);
    workloads.push({ name, directory, files: project.files.length, lines: project.lines, planted: project.planted.length });
  }
  workloads.push(...positionals.map((directory) => userWorkload(resolve(directory), resolve(directory))));
  if (!values['no-real'] && !values['editor-only']) {
    const real = realPythonApps(resolve(values['real-trees']));
    if ('missing' in real) log(`no real-code workload: ${real.missing}`);
    else workloads.push(userWorkload(real.name, real.directory, real.paths));
  }
  const baselineCli = values['cli-baseline'] !== undefined ? join(resolve(values['cli-baseline']), 'cli.js') : undefined;

  const results: WorkloadResult[] = [];
  for (const workload of workloads) {
    log(`checking ${workload.name} with Interleave and Ruff…`);
    const runs = values.runs !== undefined ? Number(values.runs) : workload.lines < REPEAT_BELOW_LINES ? 3 : 1;
    const result = await benchWorkload(workload, tools, values.threads, runs, baselineCli);
    const [only, ...others] = workload.paths ?? [workload.directory];
    if (workload.lines < REPEAT_BELOW_LINES && only !== undefined && others.length === 0) {
      log(`the execution-context model on ${workload.name}…`);
      result.contextModel = await measureContextModel(only);
    }
    results.push(result);
  }

  let editor: EditorLatency | undefined;
  let editorTypeScript: EditorLatency | undefined;
  let steps: AnalysisSteps | undefined;
  let index: IndexMemory | undefined;
  if (!values['no-editor']) {
    const editorProject = materialize('editor', generateProject({ lines: 10_000, seed, largeRouterLines: EDITOR_FILE_LINES }));
    const editorFile = join(editorProject, largeRouterPath());
    log('language server: keystroke latency…');
    editor = await measureEditorLatency(serverScript, editorProject, editorFile, EDITOR_EDITS, seed);
    const express = generateExpressProject(EDITOR_FILE_LINES, seed);
    const expressProject = materialize('editor-express', { files: express.files, planted: [], lines: 0 });
    log('language server: keystroke latency, TypeScript…');
    editorTypeScript = await measureEditorLatency(serverScript, expressProject, join(expressProject, express.largeRouter), EDITOR_EDITS, seed);
    log('one analysis, step by step…');
    steps = await measureAnalysisSteps(editorFile, readFileSync(editorFile, 'utf8'));
    if (!values['editor-only']) {
      log('language server: memory after indexing…');
      index = await measureIndexMemory(serverScript, materialize(`project-${INDEX_SIZE}`, generateProject({ lines: INDEX_SIZE, seed })));
    }
  }

  let tsserver: TsServerBench | undefined;
  const tsserverApp = values['tsserver-app'];
  if (tsserverApp !== undefined) {
    const app = resolve(tsserverApp);
    const file = values['tsserver-file'] !== undefined ? resolve(app, values['tsserver-file']) : defaultOpenedFile(app);
    const plugins: PluginBuild[] = [
      ...(values['tsserver-baseline'] !== undefined ? [{ name: `plugin from ${values['tsserver-baseline']}`, probeLocation: join(resolve(values['tsserver-baseline']), PLUGIN_PROBE_DIRECTORY) }] : []),
      { name: 'plugin from this build', probeLocation: join(root, 'dist', PLUGIN_PROBE_DIRECTORY) },
    ];
    log(`tsserver on ${app} without and with the plugin…`);
    tsserver = await measureTsServer(app, file, Number(values['tsserver-edits'] ?? DEFAULT_TSSERVER_EDITS), seed, plugins, Number(values.runs ?? 1));
  }

  const report: BenchReport = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverageAtStart,
    },
    ruffVersion: results[0]?.ruffVersion ?? '',
    interleaveThreads: values.threads ?? `default (${availableParallelism()})`,
    workloads: results,
    ...(editor && { editor }),
    ...(editorTypeScript && { editorTypeScript }),
    ...(steps && { steps }),
    ...(index && { index }),
    ...(tsserver && { tsserver }),
  };
  process.stdout.write(render(report));
  if (json === '-') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (json !== undefined) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

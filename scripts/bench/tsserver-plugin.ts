/**
 * The tsserver side of the benchmark: the project's own `typescript/lib/tsserver.js` on a real
 * TypeScript app, once without Interleave's plugin and once with each plugin build given, one
 * after the other in the same run. It opens one file, times the first semantic diagnostics, types
 * single characters (each typed, then deleted) and times each edit's semantic diagnostics, and
 * reads the server's peak memory. Whatever the plugin adds, TypeScript's own answers wait for:
 * tsserver is single-threaded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TsServerClient } from '../../test/support/tsserver-client';
import { INTERLEAVE_ERROR_CODE, TSSERVER_PLUGIN_NAME } from '../../src/tsplugin/protocol';
import { keystrokes, peakRssMb, summarize, type LatencySummary } from './editor-latency';

export interface TsServerRun {
  /** What ran: `without the plugin`, or the plugin build's name. */
  variant: string;
  /** `updateOpen` of the file sent → its first semantic diagnostics received. */
  firstDiagnosticsMs: number;
  /**
   * First diagnostics → tsserver quiet (under 5 % of a core for a second): what it did on its own
   * after answering, such as the plugin summarising the rest of the project. The edits start then.
   */
  settledMs: number;
  /** A change sent → the semantic diagnostics of the changed file received. */
  edit: LatencySummary;
  /**
   * tsserver's CPU time over the edits, per edit: what the plugin adds to each keystroke, less
   * sensitive than the latencies to other work on a shared machine.
   */
  editCpuMs: number;
  /**
   * The last edit's diagnostics received → the plugin's `projectsUpdatedInBackground` event and the
   * diagnostics asked for again: how long fresh findings take once typing pauses, when the plugin
   * leaves a slow analysis until tsserver is idle. Undefined when no such event came.
   */
  freshAfterPauseMs?: number;
  /** tsserver's peak resident memory over the whole run (VmHWM), in megabytes. */
  peakRssMb: number;
  /** Diagnostics of the opened file in the first answer: TypeScript's, and Interleave's. */
  diagnostics: { typescript: number; interleave: number };
}

export interface TsServerBench {
  app: string;
  /** Runs of each variant, taken in turn; each figure is the median of its runs. */
  runsEach: number;
  /** The opened file, relative to the app. */
  file: string;
  lines: number;
  edits: number;
  runs: TsServerRun[];
}

/** A plugin build to load: `probeLocation` holds `node_modules/interleave-tsserver-plugin`. */
export interface PluginBuild {
  name: string;
  probeLocation: string;
}

/** tsserver counts as quiet once it used less CPU time than this over the last QUIET_WINDOW_MS. */
const QUIET_CPU_MS = 50;
const QUIET_WINDOW_MS = 1_000;
const POLL_MS = 250;
const SETTLE_TIMEOUT_MS = 600_000;
/** Linux's clock tick for /proc/<pid>/stat times (USER_HZ). */
const TICK_MS = 10;
/** How long to wait after the edits for the plugin to ask for diagnostics again. */
const REFRESH_TIMEOUT_MS = 10_000;

const ROUTE_CALL = /\brouter\.(get|post|put|patch|delete|all)\(/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'build', 'dist']);

function sourceFilesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED_DIRECTORIES.has(entry.name)) return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFilesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !/\.(test|spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The file a backend developer would open first: the largest one that declares routes, else the largest. */
export function defaultOpenedFile(app: string): string {
  const bySize = sourceFilesUnder(app).sort((a, b) => statSync(b).size - statSync(a).size);
  const chosen = bySize.find((path) => ROUTE_CALL.test(readFileSync(path, 'utf8'))) ?? bySize[0];
  if (!chosen) throw new Error(`no TypeScript source file under ${app}`);
  return chosen;
}

type Diagnostic = { code: number };

function countDiagnostics(diagnostics: readonly Diagnostic[]): TsServerRun['diagnostics'] {
  const interleave = diagnostics.filter((diagnostic) => diagnostic.code === INTERLEAVE_ERROR_CODE).length;
  return { typescript: diagnostics.length - interleave, interleave };
}

/** CPU time a process has used (user and system), in milliseconds, from /proc (Linux only). */
function cpuTimeMs(pid: number): number {
  // Fields after the parenthesised command name: state is the first, utime the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Waits until the process has been quiet for QUIET_WINDOW_MS; resolves with how long that took. */
async function untilQuiet(pid: number): Promise<number> {
  const started = performance.now();
  const samples: { at: number; cpu: number }[] = [];
  while (performance.now() - started < SETTLE_TIMEOUT_MS) {
    const at = performance.now();
    samples.push({ at, cpu: cpuTimeMs(pid) });
    const windowStart = samples.find((sample) => at - sample.at <= QUIET_WINDOW_MS)!;
    if (at - samples[0]!.at >= QUIET_WINDOW_MS && samples.at(-1)!.cpu - windowStart.cpu < QUIET_CPU_MS) return at - started - QUIET_WINDOW_MS;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`tsserver was still busy after ${SETTLE_TIMEOUT_MS} ms`);
}

async function measureOne(app: string, file: string, edits: number, seed: number, plugin: PluginBuild | undefined): Promise<TsServerRun> {
  const text = readFileSync(file, 'utf8');
  const server = new TsServerClient(plugin ? { globalPlugins: [TSSERVER_PLUGIN_NAME], pluginProbeLocations: [plugin.probeLocation] } : {});
  try {
    const semanticDiagnostics = () => server.request<Diagnostic[]>('semanticDiagnosticsSync', { file });
    const opened = performance.now();
    await server.request('updateOpen', { openFiles: [{ file, fileContent: text, projectRootPath: app }] });
    const first = await semanticDiagnostics();
    const firstDiagnosticsMs = performance.now() - opened;
    const settledMs = await untilQuiet(server.pid);
    const samples: number[] = [];
    const cpuBeforeEdits = cpuTimeMs(server.pid);
    for (const place of keystrokes(text, edits, seed)) {
      const line = place.line + 1;
      const offset = place.character + 1;
      for (const change of [
        { line, offset, endLine: line, endOffset: offset, insertString: 'x' },
        { line, offset, endLine: line, endOffset: offset + 1, insertString: '' },
      ]) {
        const sent = performance.now();
        server.notify('change', { file, ...change });
        await semanticDiagnostics();
        samples.push(performance.now() - sent);
      }
    }
    const editCpuMs = (cpuTimeMs(server.pid) - cpuBeforeEdits) / samples.length;
    const paused = performance.now();
    const freshAfterPauseMs = plugin
      ? await server.nextEvent('projectsUpdatedInBackground', REFRESH_TIMEOUT_MS).then(
          async () => (await semanticDiagnostics(), performance.now() - paused),
          () => undefined,
        )
      : undefined;
    return { variant: plugin?.name ?? 'without the plugin', firstDiagnosticsMs, settledMs, edit: summarize(samples), editCpuMs, ...(freshAfterPauseMs !== undefined && { freshAfterPauseMs }), peakRssMb: peakRssMb(server.pid), diagnostics: countDiagnostics(first) };
  } finally {
    await server.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** One figure per variant: the median of each over its runs. */
function medianRun(runs: readonly TsServerRun[]): TsServerRun {
  const of = (figure: (run: TsServerRun) => number) => median(runs.map(figure));
  const fresh = runs.flatMap((run) => (run.freshAfterPauseMs === undefined ? [] : [run.freshAfterPauseMs]));
  return {
    variant: runs[0]!.variant,
    firstDiagnosticsMs: of((run) => run.firstDiagnosticsMs),
    settledMs: of((run) => run.settledMs),
    edit: { p50Ms: of((run) => run.edit.p50Ms), p95Ms: of((run) => run.edit.p95Ms), maxMs: of((run) => run.edit.maxMs) },
    editCpuMs: of((run) => run.editCpuMs),
    ...(fresh.length > 0 && { freshAfterPauseMs: median(fresh) }),
    peakRssMb: of((run) => run.peakRssMb),
    diagnostics: runs[0]!.diagnostics,
  };
}

/**
 * tsserver on `app` without the plugin, then with each build, one server at a time; `runsEach`
 * rounds, so that the variants share whatever else the machine is doing.
 */
export async function measureTsServer(app: string, file: string, edits: number, seed: number, plugins: readonly PluginBuild[], runsEach: number): Promise<TsServerBench> {
  const variants = [undefined, ...plugins];
  const runs: TsServerRun[][] = variants.map(() => []);
  for (let round = 0; round < runsEach; round++) {
    for (const [index, plugin] of variants.entries()) runs[index]!.push(await measureOne(app, file, edits, seed, plugin));
  }
  const text = readFileSync(file, 'utf8');
  return { app, runsEach, file: relative(app, file), lines: text.split('\n').length, edits, runs: runs.map(medianRun) };
}

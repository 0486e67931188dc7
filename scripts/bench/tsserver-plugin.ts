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
import { TSSERVER_PLUGIN_NAME } from '../../src/tsplugin/protocol';
import { keystrokes, peakRssMb, summarize, type LatencySummary } from './editor-latency';

export interface TsServerRun {
  /** What ran: `without the plugin`, or the plugin build's name. */
  variant: string;
  /** `updateOpen` of the file sent → its first semantic diagnostics received. */
  firstDiagnosticsMs: number;
  /** A change sent → the semantic diagnostics of the changed file received. */
  edit: LatencySummary;
  /** tsserver's peak resident memory over the whole run (VmHWM), in megabytes. */
  peakRssMb: number;
  /** Diagnostics of the opened file in the first answer: TypeScript's and, with the plugin, Interleave's. */
  diagnostics: number;
}

export interface TsServerBench {
  app: string;
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

async function measureOne(app: string, file: string, edits: number, seed: number, plugin: PluginBuild | undefined): Promise<TsServerRun> {
  const text = readFileSync(file, 'utf8');
  const server = new TsServerClient(plugin ? { globalPlugins: [TSSERVER_PLUGIN_NAME], pluginProbeLocations: [plugin.probeLocation] } : {});
  try {
    const semanticDiagnostics = () => server.request<Diagnostic[]>('semanticDiagnosticsSync', { file });
    const opened = performance.now();
    await server.request('updateOpen', { openFiles: [{ file, fileContent: text, projectRootPath: app }] });
    const first = await semanticDiagnostics();
    const firstDiagnosticsMs = performance.now() - opened;
    const samples: number[] = [];
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
    return { variant: plugin?.name ?? 'without the plugin', firstDiagnosticsMs, edit: summarize(samples), peakRssMb: peakRssMb(server.pid), diagnostics: first.length };
  } finally {
    await server.close();
  }
}

/** tsserver on `app` without the plugin, then with each build, one server at a time. */
export async function measureTsServer(app: string, file: string, edits: number, seed: number, plugins: readonly PluginBuild[]): Promise<TsServerBench> {
  const runs: TsServerRun[] = [];
  for (const plugin of [undefined, ...plugins]) runs.push(await measureOne(app, file, edits, seed, plugin));
  const text = readFileSync(file, 'utf8');
  return { app, file: relative(app, file), lines: text.split('\n').length, edits, runs };
}

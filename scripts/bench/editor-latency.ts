/**
 * The editor side of the benchmark, through the real language server over stdio: how long from
 * spawning it to the first diagnostics of an open file, how long each keystroke waits for the
 * diagnostics of its version, and how much memory the server holds once it has indexed a folder.
 */
import { readFileSync } from 'node:fs';
import { CodeLensRequest } from 'vscode-languageserver-protocol/node';
import { TestLanguageClient, uriOf } from '../../test/support/lsp-client';
import { SeededRandom } from './seeded-random';

export interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface EditorLatency extends LatencySummary {
  lines: number;
  edits: number;
  /**
   * The server's own time for each analysis (tree-sitter parse, facts, rules), from its verbose
   * log: the latency less the wait for typing to pause and the messages' travel.
   */
  analysis: LatencySummary;
  /** Of the analysis: the incremental parse with the facts drawn from the tree, and the rules. */
  parse: LatencySummary;
  check: LatencySummary;
  /**
   * A `textDocument/codeLens` request sent when each keystroke's diagnostics arrive, to its answer:
   * what the lens adds to a keystroke, reading the model the analysis's rules already built.
   */
  lens: LatencySummary;
  /** Spawn to the first diagnostics of the opened file. */
  coldStartMs: number;
}

export interface IndexMemory {
  files: number;
  indexMs: number;
  /** Resident memory once indexing has finished, in megabytes (VmRSS). */
  rssMb: number;
  /** The most the process held until then (VmHWM). */
  peakRssMb: number;
}

/** Settings that make the server log when a folder is indexed. */
const SETTINGS = { trace: { server: 'messages' } };
/** And each analysis's timing, for the keystroke run. */
const VERBOSE_SETTINGS = { trace: { server: 'verbose' } };
const INDEXED = /Indexed (\d+) files/;
const ANALYSED = /^Analysed .* v(\d+): .*; parse ([\d.]+) ms, check ([\d.]+) ms$/;

export function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted[sorted.length - 1]! };
}

async function indexed(client: TestLanguageClient, timeoutMs: number): Promise<number> {
  const files = () => client.logs.map((log) => INDEXED.exec(log.message)).find((match) => match !== null);
  await client.until(() => files() !== undefined, 'the end of indexing', timeoutMs);
  return Number(files()![1]);
}

/** One single-character edit: `x` typed at a place, then deleted again, so the text keeps returning to the original. */
export function keystrokes(text: string, count: number, seed: number): { line: number; character: number }[] {
  const random = new SeededRandom(seed);
  const lines = text.split('\n');
  const places: { line: number; character: number }[] = [];
  while (places.length < count / 2) {
    const line = random.between(0, lines.length - 1);
    const length = lines[line]!.length;
    if (length > 0) places.push({ line, character: random.between(0, length) });
  }
  return places;
}

/**
 * Opens `file` in a server whose workspace is `folder`, waits for the folder's index, then types
 * `edits` keystrokes, each after the diagnostics of the previous one arrived.
 */
export async function measureEditorLatency(serverScript: string, folder: string, file: string, edits: number, seed: number): Promise<EditorLatency> {
  const text = readFileSync(file, 'utf8');
  const uri = uriOf(file);
  const started = performance.now();
  const client = new TestLanguageClient({ args: [serverScript, '--stdio'], settings: VERBOSE_SETTINGS });
  try {
    await client.initialize([folder]);
    client.open(uri, text);
    await client.diagnosticsFor(uri);
    const coldStartMs = performance.now() - started;
    await indexed(client, 120_000);
    // The re-check after indexing, so typing starts from a quiet server.
    const settled = client.publications.length;
    await client.until(() => client.publications.slice(settled).some((publication) => publication.uri === uri), 'the re-check after indexing', 5_000).catch(() => undefined);

    const firstEdit = client.logs.length;
    const samples: number[] = [];
    const lensSamples: number[] = [];
    for (const place of keystrokes(text, edits, seed)) {
      for (const change of [
        { range: { start: place, end: place }, text: 'x' },
        { range: { start: place, end: { line: place.line, character: place.character + 1 } }, text: '' },
      ]) {
        const sent = performance.now();
        client.change(uri, [change]);
        await client.diagnosticsFor(uri);
        samples.push(performance.now() - sent);
        const asked = performance.now();
        await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
        lensSamples.push(performance.now() - asked);
      }
    }
    const analyses = client.logs.slice(firstEdit).flatMap((log) => {
      const match = ANALYSED.exec(log.message);
      return match ? [{ parse: Number(match[2]), check: Number(match[3]) }] : [];
    });
    return {
      lines: text.split('\n').length - 1,
      edits: samples.length,
      coldStartMs,
      ...summarize(samples),
      analysis: summarize(analyses.map(({ parse, check }) => parse + check)),
      parse: summarize(analyses.map(({ parse }) => parse)),
      check: summarize(analyses.map(({ check }) => check)),
      lens: summarize(lensSamples),
    };
  } finally {
    await client.shutdown();
  }
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** The most memory a running process has held so far (VmHWM), in megabytes (Linux only). */
export function peakRssMb(pid: number): number {
  return statusField(pid, 'VmHWM');
}

/** Starts a server on `folder` and reads its memory from /proc once it has indexed the folder. */
export async function measureIndexMemory(serverScript: string, folder: string): Promise<IndexMemory> {
  const client = new TestLanguageClient({ args: [serverScript, '--stdio'], settings: SETTINGS });
  try {
    const started = performance.now();
    await client.initialize([folder]);
    const files = await indexed(client, 600_000);
    const indexMs = performance.now() - started;
    const pid = client.pid!;
    return { files, indexMs, rssMb: statusField(pid, 'VmRSS'), peakRssMb: statusField(pid, 'VmHWM') };
  } finally {
    await client.shutdown();
  }
}

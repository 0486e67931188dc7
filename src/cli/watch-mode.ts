/**
 * `check --watch`: checks, then re-checks what changes on disk and prints the new state, until
 * interrupted. Incremental the way the language server is: each file's cross-file summary is kept,
 * a changed file is summarised again, and only when what other files see of it changed (or a file
 * came or went) is every file re-checked against the new project facts; otherwise only the changed
 * files are. Deleted and renamed files are found by discovering the files again on every change.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { projectFacts, type ModuleSummaries } from '../core/engine';
import type { ProjectFacts } from '../core/rule';
import { loadFrontends } from '../workspace/analyze';
import { FileAnalyzer, type FileAnalysisSettings, type FileOutcome, type FileTask } from '../workspace/file-analysis';
import { displayPath } from './check-results';
import type { CliIO } from './cli-io';
import type { NotAnalysedFile } from './not-analysed';

/** How long the tree must stay quiet after a change before it is checked: editors save in bursts. */
const SETTLE_MS = 150;

/** The files to check, in order, and those named or found that cannot be (missing, unnameable). */
export interface DiscoveredFiles {
  tasks: FileTask[];
  unreachable: NotAnalysedFile[];
}

/** What a watch needs from the check command: how to find the files, and how to report. */
export interface WatchedRun {
  /** Directories and files to watch. */
  paths: readonly string[];
  settings: FileAnalysisSettings;
  /** The files to check now. */
  discover(): DiscoveredFiles;
  /** Prints the state after a check and returns nothing. */
  report(outcomes: readonly FileOutcome[], unreachable: readonly NotAnalysedFile[]): void;
}

interface WatchedFile {
  stamp: string;
  summary?: ModuleSummaries;
  outcome: FileOutcome;
}

function stampOf(path: string): string {
  try {
    const stats = statSync(path);
    return `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
  } catch {
    return 'gone';
  }
}

/** The state of the watched files between checks. */
export class WatchSession {
  private readonly files = new Map<string, WatchedFile>();
  private readonly analyzer: FileAnalyzer;

  constructor(private readonly settings: FileAnalysisSettings) {
    this.analyzer = new FileAnalyzer(settings);
  }

  /** Checks what changed since the last call; the first call checks everything. */
  update(tasks: readonly FileTask[]): { outcomes: FileOutcome[]; changed: number; removed: number } {
    const present = new Set(tasks.map((task) => task.path));
    const removed = [...this.files.keys()].filter((path) => !present.has(path));
    let summariesChanged = removed.some((path) => this.files.get(path)!.summary !== undefined);
    for (const path of removed) this.files.delete(path);
    const changed: { task: FileTask; stamp: string; summary?: ModuleSummaries }[] = [];
    for (const task of tasks) {
      const stamp = stampOf(task.path);
      const known = this.files.get(task.path);
      if (known?.stamp === stamp) continue;
      const summary = this.analyzer.summarize(task);
      if (JSON.stringify(summary) !== JSON.stringify(known?.summary)) summariesChanged = true;
      changed.push({ task, stamp, summary });
    }
    const recheckAll = summariesChanged;
    if (recheckAll) {
      const summaries = [...this.files.values(), ...changed].flatMap((file) => (file.summary ? [file.summary] : []));
      this.analyzer.setProject(this.projectWith(summaries));
    }
    for (const { task, stamp, summary } of changed) this.files.set(task.path, { stamp, summary, outcome: this.analyzer.check(task) });
    if (recheckAll) {
      const fresh = new Set(changed.map(({ task }) => task.path));
      for (const task of tasks) {
        if (fresh.has(task.path)) continue;
        const file = this.files.get(task.path)!;
        file.outcome = this.analyzer.check(task);
      }
    }
    return { outcomes: tasks.map((task) => this.files.get(task.path)!.outcome), changed: changed.length, removed: removed.length };
  }

  private projectWith(summaries: readonly ModuleSummaries[]): ProjectFacts {
    return projectFacts(summaries, this.settings.project);
  }
}

/** Runs the watch until `io.signal` aborts; resolves to exit status 0. */
export async function watchCheck(run: WatchedRun, io: CliIO): Promise<number> {
  await loadFrontends();
  const session = new WatchSession(run.settings);
  const time = () => new Date().toTimeString().slice(0, 8);
  const check = (why: string) => {
    const { tasks, unreachable } = run.discover();
    const { outcomes, changed, removed } = session.update(tasks);
    io.stdout.write(`[${time()}] ${why}${why === '' ? '' : ': '}checked ${changed} ${changed === 1 ? 'file' : 'files'}${removed > 0 ? `, ${removed} gone` : ''}.\n`);
    run.report(outcomes, unreachable);
    io.stdout.write(`[${time()}] Watching for changes (Ctrl+C stops).\n`);
  };
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const changes = new Set<string>();
  const changed = (_event: string, name: string | null) => {
    if (name !== null) changes.add(basename(name));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const names = [...changes].slice(0, 3).join(', ');
      changes.clear();
      check(`Changed ${names}`);
    }, SETTLE_MS);
  };
  // Watching starts before the first check says it is watching: a change made on reading that line is seen.
  for (const path of run.paths) {
    let watcher: FSWatcher;
    try {
      watcher = watch(path, { recursive: true }, changed);
    } catch (error) {
      // A path that does not exist is reported as not analysed on every check; there is nothing to watch.
      io.stderr.write(`warning: cannot watch ${displayPath(io.cwd, path)}: ${(error as Error).message}\n`);
      continue;
    }
    watcher.on('error', (error) => io.stderr.write(`warning: stopped watching ${displayPath(io.cwd, path)}: ${error.message}\n`));
    watchers.push(watcher);
  }
  check('Started');
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      resolve();
    };
    io.signal?.addEventListener('abort', stop, { once: true });
    if (io.signal?.aborted) stop();
  });
  return 0;
}

/**
 * One workspace folder's view of its project: the configuration in force (files merged with the
 * editor's settings), the worker count, module naming, and the cross-file index — one summary
 * per Python file, kept current as files are edited, saved, created and deleted.
 */
import { dirname, sep } from 'node:path';
import { ConfigError, resolveConfig, type ResolvedConfig } from '../core/config';
import { projectFacts, summarizeModule, type ModuleSummaries, type ParsedModule } from '../core/engine';
import type { WorkerSetting } from '../core/hazard';
import type { ProjectFacts } from '../core/rule';
import { RULES } from '../rules';
import { parseSource } from '../workspace/analyze';
import { loadSettings } from '../workspace/config-discovery';
import { projectWorkers, type ProcessCounts } from '../workspace/deployment';
import { createExcludeMatcher } from '../workspace/discovery';
import { ModuleNamer } from '../workspace/module-root';
import { DEFAULT_MAX_FILE_SIZE, readSourceFile } from '../workspace/source-file';
import type { EditorSettings } from './editor-settings';

const RULE_METAS = RULES.map((rule) => rule.meta);

/** Rules that contribute summaries. Every one is summarised, enabled or not, so a settings change needs no re-index. */
const SUMMARIZING_RULES = RULES.filter((rule) => rule.summarize);

/** `root`: the workspace folder, which tells its `tests/` and `migrations/` from directories above it. */
export function summarize(parsed: ParsedModule, root?: string): ModuleSummaries {
  return summarizeModule(parsed, SUMMARIZING_RULES, root);
}

export class ProjectContext {
  config: ResolvedConfig;
  /** The configuration file in force, when one was found. */
  configFile?: string;
  /** Exclude patterns are relative to this: the configuration file's directory, else the root. */
  configDirectory: string;
  client: EditorSettings;
  private processCounts: ProcessCounts = {};
  private namer = new ModuleNamer();
  private readonly summaries = new Map<string, ModuleSummaries>();
  private project?: ProjectFacts;
  private excluded: (path: string) => boolean;
  /** Bumped whenever the index is rebuilt, so a superseded indexing run stops. */
  indexGeneration = 0;

  constructor(
    /** The folder's URI as the client named it. */
    readonly uri: string,
    readonly root: string,
    readonly name: string,
    /** Whether the folder's files are indexed; false for files opened outside any folder. */
    readonly indexed: boolean,
    client: EditorSettings,
  ) {
    this.client = client;
    this.configDirectory = root;
    this.config = resolveConfig([], RULE_METAS);
    this.excluded = createExcludeMatcher(this.config.exclude, root);
  }

  contains(path: string): boolean {
    return path === this.root || path.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }

  /**
   * Reads the configuration file and merges the editor's settings over it. On a ConfigError the
   * previous configuration stays in force and the error is returned for the user to see.
   */
  reloadConfig(client: EditorSettings): ConfigError | undefined {
    this.client = client;
    try {
      const loaded = loadSettings(this.root, RULE_METAS);
      this.config = resolveConfig([loaded.settings, client.overrides], RULE_METAS);
      this.configFile = loaded.file;
      this.configDirectory = loaded.directory;
      return undefined;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error;
    } finally {
      this.excluded = createExcludeMatcher(this.config.exclude, this.configDirectory);
      this.detectWorkers();
    }
  }

  /** Re-reads the deployment files; true when the worker count changed. */
  detectWorkers(): boolean {
    const counts = projectWorkers(this.root, this.config.workers);
    const changed = JSON.stringify(counts) !== JSON.stringify(this.processCounts);
    this.processCounts = counts;
    if (changed) this.project = undefined;
    return changed;
  }

  /** The worker count overall, for the explainer and the status. */
  get workers(): WorkerSetting | undefined {
    return this.processCounts.workers;
  }

  isExcluded(path: string): boolean {
    for (let current = path; this.contains(current) && current !== this.root; current = dirname(current)) {
      if (this.excluded(current)) return true;
    }
    return false;
  }

  moduleName(path: string): string {
    return this.namer.moduleName(path);
  }

  /** Forgets which directories are packages, after an `__init__.py` came or went. */
  resetModuleNames(): void {
    this.namer = new ModuleNamer();
  }

  /** Records a file's summary (undefined: the file is gone or unreadable); true when it changed. */
  setSummary(path: string, summary: ModuleSummaries | undefined): boolean {
    const previous = this.summaries.get(path);
    if (summary === undefined) {
      if (!previous) return false;
      this.summaries.delete(path);
    } else {
      if (previous && JSON.stringify(previous) === JSON.stringify(summary)) return false;
      this.summaries.set(path, summary);
    }
    this.project = undefined;
    return true;
  }

  /** Drops the summaries of files not in `paths`: what a re-index no longer found. */
  retainSummaries(paths: ReadonlySet<string>): void {
    for (const path of this.summaries.keys()) {
      if (!paths.has(path)) this.setSummary(path, undefined);
    }
  }

  get indexedFiles(): number {
    return this.summaries.size;
  }

  /** The project facts every open document of this folder is checked against. */
  projectFacts(): ProjectFacts {
    this.project ??= projectFacts([...this.summaries.values()], this.processCounts);
    return this.project;
  }
}

/** A file's summary from disk; undefined when it is skipped (too large, binary) or does not parse into facts. */
export function summarizeFile(path: string, moduleName: string, root?: string): ModuleSummaries | undefined {
  const read = readSourceFile(path, DEFAULT_MAX_FILE_SIZE);
  if (read.kind !== 'text') return undefined;
  const parsed = parseSource(path, read.text, moduleName);
  return parsed && summarize(parsed, root);
}

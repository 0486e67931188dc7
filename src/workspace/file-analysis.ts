import { basename, relative } from 'node:path';
import type { ResolvedConfig } from '../core/config';
import type { DeploymentFile } from '../core/deployment-facts';
import { checkDeploymentFile, checkModule, summarizeModule, type ModuleReport, type ModuleSummaries, type ParsedModule } from '../core/engine';
import { withBudget } from '../core/budget';
import type { ContextSummary } from '../core/contexts/summary';
import type { Range } from '../core/facts';
import { notAnalysedReason } from '../core/not-analysed';
import { servesNothing } from '../core/served-code';
import { compareHazards, type Hazard } from '../core/hazard';
import type { ProjectFacts, Rule } from '../core/rule';
import { RULES } from '../rules';
import { TypeScriptProjects } from '../typescript/program';
import { languageOf, parseSource } from './analyze';
import { ModuleNamer } from './module-root';
import { deploymentKindOf, parseDeploymentFile } from './deployment-parsers';
import { readSourceFile, type SourceRead } from './source-file';
import { AnalysisCache, summaryDigest, type CacheEntry, type CacheSettings } from './analysis-cache';
import { moduleOf, partsOfModule, type ModuleParts } from './module-parts';
import { pack, unpack, type PackedValue } from './packed-value';

/** One file to analyse: its absolute path and dotted module name. */
export interface FileTask {
  path: string;
  moduleName: string;
}

/** Everything a file's analysis depends on besides the file; structured-clonable for workers. */
export interface FileAnalysisSettings {
  config: ResolvedConfig;
  /** What is known of the project before any file is read (the worker count, its deployment files). */
  project: ProjectFacts;
  maxFileSize: number;
  /** Milliseconds one file's analysis may take before it is reported as too complex. */
  fileBudgetMs: number;
  /**
   * The project's root: deployment files are named relative to it to tell those for development
   * (`dev/Dockerfile`, `docker-compose.override.yml`); without it only the file name counts.
   */
  projectRoot?: string;
  /** Keep each file's summary and findings here, and reuse them while nothing they depend on changes. */
  cache?: CacheSettings;
}

export interface FileOutcome {
  path: string;
  /** Why the file was passed over as not worth analysing (too large, binary, not a regular file). */
  skipped?: string;
  /**
   * Why source that should have been analysed was not (unreadable, not UTF-8, the parser failed,
   * too complex for the budget): listed in every output format, and it fails the run.
   */
  notAnalysed?: string;
  lines: number;
  hazards: Hazard[];
  /** Rules or frontends that failed on this file; the run goes on. */
  problems: string[];
  /** Regions the parser could not read; hazards inside them were dropped. */
  syntaxErrors: Range[];
  /** The file's text, kept only when hazards need it for code frames and column conversion. */
  source?: string;
}

/** A file read and parsed (as source, as a deployment file, or both), or the outcome that says why it could not be. */
interface PreparedFile {
  outcome: FileOutcome;
  text?: string;
  parsed?: ParsedModule;
  /** Instead of `parsed` (and `text`, which its facts hold), between the passes, once the analyzer holds more facts than its budget. */
  packed?: PackedValue<ModuleParts>;
  deployment?: DeploymentFile;
  /**
   * Instead of `parsed`, between the passes, for a module whose place says it is not served (tests,
   * scripts, browser code): what to ask the project's model whether anything of it is served, and
   * its text, to parse it again when something is. Most such modules serve nothing, and their facts
   * would only be held.
   */
  released?: { moduleName: string; functionIds: string[]; text: string };
  /** The key the file's cache entry is written under; undefined when the file is not cached. */
  cacheKey?: string;
  /** Its cache entry, when the key matched: the summary stands, the findings may. */
  cached?: CacheEntry;
  indexed?: IndexedFile;
}

/** A file's first pass: its summary, and with a cache the summary's digest. */
export interface IndexedFile {
  summary?: ModuleSummaries;
  digest?: string;
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * A deployment file read from its text: Dockerfiles, compose files and the like, and gunicorn
 * configs, which are Python source too. Python files that merely call `uvicorn.run` are source only.
 */
function deploymentFileOf(path: string, text: string, projectRoot: string | undefined): DeploymentFile | undefined {
  const kind = deploymentKindOf(basename(path));
  if (!kind || kind === 'python-launcher') return undefined;
  return parseDeploymentFile(path, projectRoot === undefined ? basename(path) : relative(projectRoot, path), text);
}

/**
 * Never throws: a file that is not source is skipped with a reason; one that cannot be read, that
 * the parser fails on or that overruns the budget is not analysed, with a reason; a crash of
 * Interleave's own becomes a problem.
 */
function prepareFile(task: FileTask, settings: FileAnalysisSettings, typescript: TypeScriptProjects): PreparedFile {
  return prepareRead(task, readSourceFile(task.path, settings.maxFileSize), settings, typescript);
}

function prepareRead(task: FileTask, read: SourceRead, settings: FileAnalysisSettings, typescript: TypeScriptProjects): PreparedFile {
  if (read.kind === 'skipped') return { outcome: { ...emptyOutcome(task), skipped: read.reason } };
  if (read.kind === 'unreadable') return { outcome: { ...emptyOutcome(task), notAnalysed: read.reason } };
  return prepareText(task, read.text, settings, typescript);
}

function emptyOutcome(task: FileTask): FileOutcome {
  return { path: task.path, lines: 0, hazards: [], problems: [], syntaxErrors: [] };
}

/** A file's text parsed as source, as a deployment file, or both. */
function prepareText(task: FileTask, text: string, settings: FileAnalysisSettings, typescript: TypeScriptProjects): PreparedFile {
  const outcome = emptyOutcome(task);
  outcome.lines = countLines(text);
  try {
    // The file's TypeScript Program is shared work, built once for the whole project: it is not
    // this file's to pay for out of its budget.
    if (languageOf(task.path) === 'typescript') typescript.forFile(task.path);
    const parsed = withBudget(settings.fileBudgetMs, () => parseSource(task.path, text, task.moduleName, typescript));
    const deployment = deploymentFileOf(task.path, text, settings.projectRoot);
    if (!parsed && !deployment) return { outcome: { ...outcome, skipped: 'not a file type Interleave analyses' } };
    if (parsed) outcome.syntaxErrors = parsed.facts.syntaxErrors;
    return { outcome, text, ...(parsed && { parsed }), ...(deployment && { deployment }) };
  } catch (error) {
    return { outcome: failedOutcome(outcome, 'parsing', error) };
  }
}

/** The outcome of an analysis step that threw: not analysed when the input is to blame, a problem when Interleave is. */
function failedOutcome(outcome: FileOutcome, step: 'parsing' | 'analysis', error: unknown): FileOutcome {
  const reason = notAnalysedReason(error);
  if (reason !== undefined) return { ...outcome, hazards: [], notAnalysed: reason };
  return { ...outcome, problems: [...outcome.problems, `${step} failed on ${outcome.path}: ${(error as Error).stack ?? String(error)}`] };
}

/** The analysis of a file's text that a fix round needs: its hazards, what does not parse, and a deployment file's commands. */
export interface TextAnalysis {
  hazards: Hazard[];
  syntaxErrors: number;
  /** For a deployment file, how many commands it starts: a fix must not change that. */
  commands?: number;
  /** Why the text could not be analysed (too complex for the budget, the parser failed): its hazards are unknown. */
  notAnalysed?: string;
}

/** The enabled rules that look across files, and so need every module summarised first. */
export function crossFileRules(config: ResolvedConfig): Rule[] {
  return RULES.filter((rule) => rule.summarize && config.enabled.has(rule.meta.code));
}

/**
 * Analyses files with every registered rule, in the engine's two passes: `summarize` each file, hand the project facts built from all summaries to
 * `setProject`, then `check` each file. A file summarised here is kept parsed until it is
 * checked, so each file is read and parsed once. Never throws: a crash becomes a problem on the
 * file's outcome, and the run goes on.
 */
export class FileAnalyzer {
  private readonly prepared = new Map<string, PreparedFile>();
  /** Characters of source whose facts `prepared` holds as objects. */
  private liveChars = 0;
  private readonly summarizing: Rule[];
  private project: ProjectFacts;
  /** TypeScript Programs of the run, built when a file under a tsconfig.json is first read. */
  private readonly typescript: TypeScriptProjects;
  private readonly cache?: AnalysisCache;
  /** What findings in the cache must have been computed against to be reused. */
  private projectDigest?: string;

  /**
   * `liveFactsBudget`: how many characters of source the files summarised and not yet checked may
   * have their facts kept as objects; past it, a file's facts are kept packed (a tenth of the
   * room) and unpacked when it is checked. Facts as objects take about forty times the
   * source's size: kept whole, a million lines' facts take gigabytes.
   */
  constructor(
    readonly settings: FileAnalysisSettings,
    private readonly liveFactsBudget = Infinity,
  ) {
    this.summarizing = crossFileRules(settings.config);
    this.project = settings.project;
    const namer = new ModuleNamer();
    this.typescript = new TypeScriptProjects((path) => namer.moduleName(path));
    if (settings.cache) this.cache = new AnalysisCache(settings.cache);
  }

  summarize(task: FileTask): ModuleSummaries | undefined {
    return this.index(task).summary;
  }

  /** The first pass of one file: from the cache when its entry's key matches the file's text. */
  index(task: FileTask): IndexedFile {
    const read = readSourceFile(task.path, this.settings.maxFileSize);
    const cacheKey = read.kind === 'text' ? this.cacheKeyOf(task, read.text) : undefined;
    const cached = cacheKey === undefined ? undefined : this.cache?.read(task.path);
    if (read.kind === 'text' && cached !== undefined && cached.key === cacheKey) {
      const indexed = { summary: cached.summary, digest: cached.summaryDigest };
      this.prepared.set(task.path, { outcome: { ...emptyOutcome(task), lines: countLines(read.text) }, text: read.text, cacheKey, cached, indexed });
      return indexed;
    }
    const prepared: PreparedFile = { ...prepareRead(task, read, this.settings, this.typescript), cacheKey };
    this.prepared.set(task.path, prepared);
    if (!prepared.parsed || read.kind !== 'text') return this.indexedAs(prepared, undefined);
    const { parsed } = prepared;
    try {
      const summary = withBudget(this.settings.fileBudgetMs, () => summarizeModule(parsed, this.summarizing, this.settings.projectRoot));
      if (summary.contexts?.role?.kind === 'not-served' && !this.settings.config.checkNotServed) this.release(prepared, summary.contexts, read.text);
      else this.keep(prepared);
      return this.indexedAs(prepared, summary);
    } catch (error) {
      this.prepared.set(task.path, { outcome: failedOutcome(prepared.outcome, 'analysis', error) });
      return this.cache ? { digest: summaryDigest(undefined) } : {};
    }
  }

  /** The first pass's answer; with a cache it is also kept with the file, to be written with its findings. */
  private indexedAs(prepared: PreparedFile, summary: ModuleSummaries | undefined): IndexedFile {
    if (!this.cache) return { summary };
    return (prepared.indexed = { summary, digest: summaryDigest(summary) });
  }

  /** `projectDigest`: the digest of what the project facts were built from, when a cache is in use. */
  setProject(project: ProjectFacts, projectDigest?: string): void {
    this.project = project;
    this.projectDigest = projectDigest;
  }

  /** Keeps a summarised file's facts for its check: as objects while the budget allows, else packed. */
  private keep(prepared: PreparedFile): void {
    const { parsed, text } = prepared;
    if (!parsed || text === undefined) return;
    const parts = this.liveChars + text.length > this.liveFactsBudget ? partsOfModule(parsed) : undefined;
    if (!parts) {
      this.liveChars += text.length;
      return;
    }
    prepared.packed = pack(parts);
    delete prepared.parsed;
    if (parts.facts.source === text) delete prepared.text;
  }

  /** Drops a summarised file's facts until the project says whether anything of it is served. */
  private release(prepared: PreparedFile, contexts: ContextSummary, text: string): void {
    delete prepared.parsed;
    delete prepared.text;
    prepared.released = { moduleName: contexts.moduleName, functionIds: contexts.functions.map((fn) => fn.id), text };
  }

  /**
   * A summarised file as it was parsed, its budget given back or its facts unpacked; a released
   * one parsed again when something of it is served, else left without facts, as nothing of it
   * would be reported.
   */
  private take(task: FileTask): PreparedFile | undefined {
    const prepared = this.prepared.get(task.path);
    this.prepared.delete(task.path);
    if (prepared?.released) {
      const { released, ...rest } = prepared;
      if (servesNothing(this.project, released.moduleName, released.functionIds)) return rest;
      return { ...prepareText(task, released.text, this.settings, this.typescript), cacheKey: rest.cacheKey, ...(rest.indexed && { indexed: rest.indexed }) };
    }
    if (!prepared?.packed) {
      if (prepared?.parsed && prepared.text !== undefined) this.liveChars -= prepared.text.length;
      return prepared;
    }
    const { packed, ...rest } = prepared;
    const parsed = moduleOf(unpack(packed));
    return { ...rest, parsed, text: rest.text ?? parsed.facts.source };
  }

  check(task: FileTask): FileOutcome {
    const prepared = this.take(task) ?? prepareFile(task, this.settings, this.typescript);
    const { cached, text } = prepared;
    if (!cached || text === undefined) return this.checkAndStore(task, prepared);
    const { findings } = cached;
    if (findings && findings.projectDigest === this.projectDigest) {
      const { hazards, lines, syntaxErrors } = findings;
      return { path: task.path, lines, hazards, problems: [], syntaxErrors, ...(hazards.length > 0 ? { source: text } : {}) };
    }
    // Another module's summary changed: the file's own summary still stands, its findings are computed again.
    return this.checkAndStore(task, { ...prepareText(task, text, this.settings, this.typescript), cacheKey: prepared.cacheKey, indexed: prepared.indexed });
  }

  /**
   * The key of a file's cache entry, or undefined when it is not cached: a file analysed with a
   * TypeScript Program depends on the types of every file of the Program, not on its text alone.
   */
  private cacheKeyOf(task: FileTask, text: string): string | undefined {
    if (!this.cache) return undefined;
    const language = languageOf(task.path);
    if (language === 'typescript' && this.typescript.hasConfig(task.path)) return undefined;
    return this.cache.keyOf(task.path, task.moduleName, language ?? 'deployment', text);
  }

  /** Checks a prepared file and keeps its summary and findings when it was analysed without a problem. */
  private checkAndStore(task: FileTask, prepared: PreparedFile): FileOutcome {
    const outcome = this.checkPrepared(prepared);
    const { cacheKey, indexed } = prepared;
    const clean = outcome.skipped === undefined && outcome.notAnalysed === undefined && outcome.problems.length === 0;
    if (!this.cache || cacheKey === undefined || indexed?.digest === undefined || this.projectDigest === undefined || !clean) return outcome;
    const { lines, hazards, syntaxErrors } = outcome;
    this.cache.write(task.path, {
      key: cacheKey,
      ...(indexed.summary && { summary: indexed.summary }),
      summaryDigest: indexed.digest,
      findings: { projectDigest: this.projectDigest, lines, hazards, syntaxErrors },
    });
    return outcome;
  }

  /** Checks `text` as the content of the task's file (a fix round's result), with the project as it is. */
  checkText(task: FileTask, text: string): TextAnalysis {
    const prepared = prepareText(task, text, this.settings, this.typescript);
    const outcome = this.checkPrepared(prepared);
    return {
      hazards: outcome.hazards,
      syntaxErrors: outcome.syntaxErrors.length + (prepared.parsed || prepared.deployment ? 0 : 1),
      ...(prepared.deployment ? { commands: prepared.deployment.facts.commands.length } : {}),
      ...(outcome.notAnalysed !== undefined ? { notAnalysed: outcome.notAnalysed } : {}),
    };
  }

  private checkPrepared(prepared: PreparedFile): FileOutcome {
    const { outcome, text, parsed, deployment } = prepared;
    if (!parsed && !deployment) return outcome;
    try {
      const options = { rules: RULES, config: this.settings.config, project: this.project };
      const reports: ModuleReport[] = [];
      if (parsed) reports.push(withBudget(this.settings.fileBudgetMs, () => checkModule(parsed, options)));
      if (deployment) reports.push(checkDeploymentFile(deployment, options));
      const report = { hazards: reports.flatMap((one) => one.hazards).sort(compareHazards), problems: reports.flatMap((one) => one.problems) };
      return {
        ...outcome,
        hazards: report.hazards,
        problems: [...outcome.problems, ...report.problems],
        ...(report.hazards.length > 0 ? { source: text } : {}),
      };
    } catch (error) {
      return failedOutcome(outcome, 'analysis', error);
    }
  }
}

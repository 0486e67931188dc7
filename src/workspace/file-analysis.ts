import { basename, relative } from 'node:path';
import type { ResolvedConfig } from '../core/config';
import type { DeploymentFile } from '../core/deployment-facts';
import { checkDeploymentFile, checkModule, summarizeModule, type ModuleReport, type ModuleSummaries, type ParsedModule } from '../core/engine';
import { withBudget } from '../core/budget';
import type { Range } from '../core/facts';
import { notAnalysedReason } from '../core/not-analysed';
import { compareHazards, type Hazard } from '../core/hazard';
import type { ProjectFacts, Rule } from '../core/rule';
import { RULES } from '../rules';
import { TypeScriptProjects } from '../typescript/program';
import { languageOf, parseSource } from './analyze';
import { ModuleNamer } from './module-root';
import { deploymentKindOf, parseDeploymentFile } from './deployment-parsers';
import { readSourceFile } from './source-file';

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
  deployment?: DeploymentFile;
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
  const outcome: FileOutcome = { path: task.path, lines: 0, hazards: [], problems: [], syntaxErrors: [] };
  const read = readSourceFile(task.path, settings.maxFileSize);
  if (read.kind === 'skipped') return { outcome: { ...outcome, skipped: read.reason } };
  if (read.kind === 'unreadable') return { outcome: { ...outcome, notAnalysed: read.reason } };
  const text = read.text;
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
  private readonly summarizing: Rule[];
  private project: ProjectFacts;
  /** TypeScript Programs of the run, built when a file under a tsconfig.json is first read. */
  private readonly typescript: TypeScriptProjects;

  constructor(private readonly settings: FileAnalysisSettings) {
    this.summarizing = crossFileRules(settings.config);
    this.project = settings.project;
    const namer = new ModuleNamer();
    this.typescript = new TypeScriptProjects((path) => namer.moduleName(path));
  }

  summarize(task: FileTask): ModuleSummaries | undefined {
    const prepared = prepareFile(task, this.settings, this.typescript);
    this.prepared.set(task.path, prepared);
    if (!prepared.parsed) return undefined;
    const { parsed } = prepared;
    try {
      return withBudget(this.settings.fileBudgetMs, () => summarizeModule(parsed, this.summarizing, this.settings.projectRoot));
    } catch (error) {
      this.prepared.set(task.path, { outcome: failedOutcome(prepared.outcome, 'analysis', error) });
      return undefined;
    }
  }

  setProject(project: ProjectFacts): void {
    this.project = project;
  }

  check(task: FileTask): FileOutcome {
    const prepared = this.prepared.get(task.path) ?? prepareFile(task, this.settings, this.typescript);
    this.prepared.delete(task.path);
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

import { basename, relative } from 'node:path';
import type { ResolvedConfig } from '../core/config';
import type { DeploymentFile } from '../core/deployment-facts';
import { checkDeploymentFile, checkModule, summarizeModule, type ModuleReport, type ModuleSummaries, type ParsedModule } from '../core/engine';
import type { Range } from '../core/facts';
import { compareHazards, type Hazard } from '../core/hazard';
import type { ProjectFacts, Rule } from '../core/rule';
import { RULES } from '../rules';
import { TypeScriptProjects } from '../typescript/program';
import { parseSource } from './analyze';
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
  /**
   * The project's root: deployment files are named relative to it to tell those for development
   * (`dev/Dockerfile`, `docker-compose.override.yml`); without it only the file name counts.
   */
  projectRoot?: string;
}

export interface FileOutcome {
  path: string;
  /** Why the file was not analysed; undefined when it was. */
  skipped?: string;
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

/** Never throws: an unreadable file is skipped with a reason, a parser crash becomes a problem. */
function prepareFile(task: FileTask, maxFileSize: number, projectRoot: string | undefined, typescript: TypeScriptProjects): PreparedFile {
  let text: string;
  try {
    const read = readSourceFile(task.path, maxFileSize);
    if (read.kind === 'skipped') return { outcome: { ...emptyOutcome(task), skipped: read.reason } };
    text = read.text;
  } catch (error) {
    return { outcome: { ...emptyOutcome(task), skipped: `cannot read it: ${(error as Error).message}` } };
  }
  return prepareText(task, text, projectRoot, typescript);
}

function emptyOutcome(task: FileTask): FileOutcome {
  return { path: task.path, lines: 0, hazards: [], problems: [], syntaxErrors: [] };
}

/** A file's text parsed as source, as a deployment file, or both. */
function prepareText(task: FileTask, text: string, projectRoot: string | undefined, typescript: TypeScriptProjects): PreparedFile {
  const outcome = emptyOutcome(task);
  outcome.lines = countLines(text);
  try {
    const parsed = parseSource(task.path, text, task.moduleName, typescript);
    const deployment = deploymentFileOf(task.path, text, projectRoot);
    if (!parsed && !deployment) return { outcome: { ...outcome, skipped: 'not a file type Interleave analyses' } };
    if (parsed) outcome.syntaxErrors = parsed.facts.syntaxErrors;
    return { outcome, text, ...(parsed && { parsed }), ...(deployment && { deployment }) };
  } catch (error) {
    outcome.problems.push(`parsing failed on ${task.path}: ${(error as Error).stack ?? String(error)}`);
    return { outcome };
  }
}

/** The analysis of a file's text that a fix round needs: its hazards, what does not parse, and a deployment file's commands. */
export interface TextAnalysis {
  hazards: Hazard[];
  syntaxErrors: number;
  /** For a deployment file, how many commands it starts: a fix must not change that. */
  commands?: number;
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
    const prepared = prepareFile(task, this.settings.maxFileSize, this.settings.projectRoot, this.typescript);
    this.prepared.set(task.path, prepared);
    return prepared.parsed && summarizeModule(prepared.parsed, this.summarizing, this.settings.projectRoot);
  }

  setProject(project: ProjectFacts): void {
    this.project = project;
  }

  check(task: FileTask): FileOutcome {
    const prepared = this.prepared.get(task.path) ?? prepareFile(task, this.settings.maxFileSize, this.settings.projectRoot, this.typescript);
    this.prepared.delete(task.path);
    return this.checkPrepared(task, prepared);
  }

  /** Checks `text` as the content of the task's file (a fix round's result), with the project as it is. */
  checkText(task: FileTask, text: string): TextAnalysis {
    const prepared = prepareText(task, text, this.settings.projectRoot, this.typescript);
    const outcome = this.checkPrepared(task, prepared);
    return {
      hazards: outcome.hazards,
      syntaxErrors: outcome.syntaxErrors.length + (prepared.parsed || prepared.deployment ? 0 : 1),
      ...(prepared.deployment ? { commands: prepared.deployment.facts.commands.length } : {}),
    };
  }

  private checkPrepared(task: FileTask, prepared: PreparedFile): FileOutcome {
    const { outcome, text, parsed, deployment } = prepared;
    if (!parsed && !deployment) return outcome;
    try {
      const options = { rules: RULES, config: this.settings.config, project: this.project };
      const reports: ModuleReport[] = [];
      if (parsed) reports.push(checkModule(parsed, options));
      if (deployment) reports.push(checkDeploymentFile(deployment, options));
      const report = { hazards: reports.flatMap((one) => one.hazards).sort(compareHazards), problems: reports.flatMap((one) => one.problems) };
      return {
        ...outcome,
        hazards: report.hazards,
        problems: [...outcome.problems, ...report.problems],
        ...(report.hazards.length > 0 ? { source: text } : {}),
      };
    } catch (error) {
      return { ...outcome, problems: [...outcome.problems, `analysis failed on ${task.path}: ${(error as Error).stack ?? String(error)}`] };
    }
  }
}

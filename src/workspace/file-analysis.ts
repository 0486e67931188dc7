import type { ResolvedConfig } from '../core/config';
import { checkModule } from '../core/engine';
import type { Range } from '../core/facts';
import type { Hazard } from '../core/hazard';
import type { ProjectFacts } from '../core/rule';
import { RULES } from '../rules';
import { parseSource } from './analyze';
import { readSourceFile } from './source-file';

/** One file to analyse: its absolute path and dotted module name. */
export interface FileTask {
  path: string;
  moduleName: string;
}

/** Everything a file's analysis depends on besides the file; structured-clonable for workers. */
export interface FileAnalysisSettings {
  config: ResolvedConfig;
  project: ProjectFacts;
  maxFileSize: number;
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

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * Reads, parses and checks one file with every registered rule. Never throws: an unreadable
 * file is skipped with a reason and a crash anywhere in the analysis becomes a problem, so one
 * bad file cannot stop a run.
 */
export function analyzeFile(task: FileTask, settings: FileAnalysisSettings): FileOutcome {
  const outcome: FileOutcome = { path: task.path, lines: 0, hazards: [], problems: [], syntaxErrors: [] };
  let text: string;
  try {
    const read = readSourceFile(task.path, settings.maxFileSize);
    if (read.kind === 'skipped') return { ...outcome, skipped: read.reason };
    text = read.text;
  } catch (error) {
    return { ...outcome, skipped: `cannot read it: ${(error as Error).message}` };
  }
  outcome.lines = countLines(text);
  try {
    const parsed = parseSource(task.path, text, task.moduleName);
    if (!parsed) return { ...outcome, skipped: 'not a file type Interleave analyses' };
    const report = checkModule(parsed, { rules: RULES, config: settings.config, project: settings.project });
    outcome.hazards = report.hazards;
    outcome.problems = report.problems;
    outcome.syntaxErrors = parsed.facts.syntaxErrors;
  } catch (error) {
    outcome.problems.push(`analysis failed on ${task.path}: ${(error as Error).stack ?? String(error)}`);
  }
  if (outcome.hazards.length > 0) outcome.source = text;
  return outcome;
}

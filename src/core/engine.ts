import { rethrowBudget, spendBudget } from './budget';
import type { ResolvedConfig } from './config';
import type { DeploymentFile } from './deployment-facts';
import { contextModelOf } from './contexts';
import type { ModuleFacts, Range } from './facts';
import { summarizeCallGraph, type CallGraphSummary } from './call-summary';
import { summarizeContexts, type ContextSummary } from './contexts/summary';
import { compareHazards, type Hazard } from './hazard';
import type { Finding, FixBuilder, ProjectFacts, Rule, RuleMeta } from './rule';
import { sourceLines } from './source-lines';
import { isSuppressed, parseSuppressions } from './suppression';
import { atOrBefore } from './positions';
import { servedCode, servesNothing } from './served-code';

/** What a frontend hands the engine: the facts of one module and its language's edit builder. */
export interface ParsedModule {
  facts: ModuleFacts;
  fixes: FixBuilder;
}

export interface ModuleReport {
  hazards: Hazard[];
  /** Rules that failed on this module; the others still ran. */
  problems: string[];
}

export interface CheckOptions {
  rules: readonly Rule[];
  config: ResolvedConfig;
  project: ProjectFacts;
}

/** A rule's finding as a hazard: the rule's code and name, the severity in force, the file. */
function hazardOf(finding: Finding, meta: RuleMeta, path: string, config: ResolvedConfig): Hazard {
  return {
    ...finding,
    code: meta.code,
    name: meta.name,
    severity: config.severity.get(meta.code) ?? finding.severity ?? meta.defaultSeverity,
    path,
    related: finding.related ?? [],
  };
}

/** Runs every enabled rule over one module: pure, no I/O. */
export function checkModule(parsed: ParsedModule, options: CheckOptions): ModuleReport {
  const { facts } = parsed;
  // Every finding in a module that serves nothing would be dropped below: its rules need not run.
  if (!options.config.checkNotServed && servesNothing(options.project, facts.moduleName, facts.functions.map((fn) => fn.id))) return { hazards: [], problems: [] };
  const hazards: Hazard[] = [];
  const problems: string[] = [];
  for (const rule of options.rules) {
    const { meta } = rule;
    if (!rule.check || !options.config.enabled.has(meta.code) || !meta.languages.includes(facts.language)) continue;
    spendBudget();
    try {
      rule.check({
        module: facts,
        project: options.project,
        config: options.config,
        fixes: parsed.fixes,
        report: (finding) => hazards.push(hazardOf(finding, meta, facts.path, options.config)),
      });
    } catch (error) {
      rethrowBudget(error);
      problems.push(`${meta.code} failed on ${facts.path}: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const suppressions = parseSuppressions(facts.comments, sourceLines(facts), options.rules.map((rule) => rule.meta));
  const served = options.config.checkNotServed ? () => true : servedCode(facts, contextModelOf(options.project, facts));
  const kept = distinct(hazards).filter(
    (hazard) => !overlapsAny(hazard.range, facts.syntaxErrors) && !isSuppressed(hazard, suppressions) && served(hazard.range),
  );
  return { hazards: kept.sort(compareHazards), problems };
}

/**
 * One hazard per rule, range and message. A `finally` body is in the flow graph once for each way
 * out of its `try` (normal, `return`, exception), so a rule that walks the graph meets its
 * statements several times and would otherwise report each of them as often.
 */
function distinct(hazards: readonly Hazard[]): Hazard[] {
  const seen = new Set<string>();
  return hazards.filter((hazard) => {
    const { start, end } = hazard.range;
    const key = `${hazard.code} ${start.line}:${start.character}-${end.line}:${end.character} ${hazard.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Runs every enabled deployment rule over one deployment file (a Dockerfile, compose file,
 * Procfile, Makefile, gunicorn config…): pure, no I/O. Suppression comments in the file apply.
 */
export function checkDeploymentFile(file: DeploymentFile, options: CheckOptions): ModuleReport {
  const hazards: Hazard[] = [];
  const problems: string[] = [];
  for (const rule of options.rules) {
    const { meta } = rule;
    if (!rule.checkDeployment || !options.config.enabled.has(meta.code)) continue;
    try {
      rule.checkDeployment({
        file,
        project: options.project,
        config: options.config,
        report: (finding) => hazards.push(hazardOf(finding, meta, file.path, options.config)),
      });
    } catch (error) {
      problems.push(`${meta.code} failed on ${file.path}: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const suppressions = parseSuppressions(file.comments, file.source.split(/\r?\n|\r/), options.rules.map((rule) => rule.meta));
  return { hazards: hazards.filter((hazard) => !isSuppressed(hazard, suppressions)).sort(compareHazards), problems };
}

function overlapsAny(range: Range, regions: readonly Range[]): boolean {
  return regions.some((region) => atOrBefore(region.start, range.end) && atOrBefore(range.start, region.end));
}

/** A module's summaries: the first pass of a cross-file analysis. */
export interface ModuleSummaries {
  moduleName: string;
  path: string;
  /** What the execution-context model needs of the module; every rule consults the model. */
  contexts?: ContextSummary;
  /** The module's functions and the sync calls they make, for chains across modules (IL202, IL203). */
  callGraph?: CallGraphSummary;
  /** By rule code. */
  byRule: Record<string, unknown>;
}

/** `root`: the project's root, which tells a `tests/` or `migrations/` directory of the project from one above it. */
export function summarizeModule(parsed: ParsedModule, rules: readonly Rule[], root?: string): ModuleSummaries {
  let contexts: ContextSummary | undefined;
  let callGraph: CallGraphSummary | undefined;
  try {
    contexts = summarizeContexts(parsed.facts, root);
    callGraph = summarizeCallGraph(parsed.facts);
  } catch {
    // A module the index cannot summarise is unknown to it: its functions keep the rules' defaults.
  }
  const byRule: Record<string, unknown> = {};
  for (const rule of rules) {
    if (!rule.summarize || !rule.meta.languages.includes(parsed.facts.language)) continue;
    try {
      byRule[rule.meta.code] = rule.summarize(parsed.facts);
    } catch (error) {
      rethrowBudget(error);
      // A module whose summary fails contributes nothing cross-file; its own check still runs.
    }
  }
  return { moduleName: parsed.facts.moduleName, path: parsed.facts.path, ...(contexts && { contexts }), ...(callGraph && { callGraph }), byRule };
}

/**
 * Project facts from every module's summaries (the second pass checks modules against these),
 * added to what was known before the first pass: worker counts, deployment files.
 */
export function projectFacts(modules: readonly ModuleSummaries[], known: Omit<ProjectFacts, 'summaries'> = {}): ProjectFacts {
  const summaries = new Map<string, Map<string, unknown>>();
  const contextSummaries = new Map<string, ContextSummary>();
  const callGraphs = new Map<string, CallGraphSummary>();
  for (const module of modules) {
    if (module.contexts) contextSummaries.set(module.moduleName, module.contexts);
    if (module.callGraph) callGraphs.set(module.moduleName, module.callGraph);
    for (const [code, summary] of Object.entries(module.byRule)) {
      let byModule = summaries.get(code);
      if (!byModule) summaries.set(code, (byModule = new Map()));
      byModule.set(module.moduleName, summary);
    }
  }
  return { ...known, summaries, contextSummaries, callGraphs };
}

/**
 * Project facts with one module's summaries replaced by those of its current text: a document
 * checked as it is typed sees itself as it is now, not as the index last read it.
 */
export function withModuleSummaries(project: ProjectFacts, module: ModuleSummaries): ProjectFacts {
  const replaced = <T>(byModule: ReadonlyMap<string, T> | undefined, value: T | undefined): Map<string, T> => {
    const copy = new Map(byModule);
    if (value === undefined) copy.delete(module.moduleName);
    else copy.set(module.moduleName, value);
    return copy;
  };
  const codes = new Set([...(project.summaries?.keys() ?? []), ...Object.keys(module.byRule)]);
  return {
    ...project,
    summaries: new Map([...codes].map((code) => [code, replaced(project.summaries?.get(code), module.byRule[code])])),
    contextSummaries: replaced(project.contextSummaries, module.contexts),
    callGraphs: replaced(project.callGraphs, module.callGraph),
  };
}

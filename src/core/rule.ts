import type { Language, LockKind, ModuleFacts, Range, StatementRef } from './facts';
import type { Fix, Hazard, HazardStory, RelatedLocation, Severity, TextEdit, WorkerSetting } from './hazard';

export type RuleFamily = 'race' | 'blocking' | 'lifespan' | 'tasks' | 'deployment';

/** What a rule's fixes can be: none, always safe, always unsafe, or depending on the finding. */
export type FixAvailability = 'none' | 'safe' | 'unsafe' | 'sometimes';

export interface RuleExample {
  language: Language;
  /** A tab label for the explainer, e.g. `FastAPI`. */
  framework?: string;
  /** Raises exactly this rule, once. */
  bad: string;
  /** Raises nothing. */
  good: string;
}

/**
 * A rule's documentation, the single source for `interleave explain`, generated docs pages, the
 * hover and the explainer panel. Sections are Markdown.
 */
export interface RuleDocs {
  whatItDoes: string;
  whyIsThisBad: string;
  examples: RuleExample[];
  fixSafety: string;
  whenNotToUse: string;
}

export interface RuleMeta {
  code: string;
  name: string;
  family: RuleFamily;
  defaultSeverity: Severity;
  /** One sentence for rule tables and SARIF `shortDescription`. */
  summary: string;
  languages: Language[];
  fix: FixAvailability;
  docs: RuleDocs;
}

/** What the project around a module tells the rules: how it is deployed, what other modules do. */
export interface ProjectFacts {
  /** The worker process count, from settings or deployment files; undefined when unknown. */
  workers?: WorkerSetting;
  /** Per-module summaries contributed by rules (`Rule.summarize`): by rule code, then module name. */
  summaries?: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}

/** Language-specific edits a rule can ask for without knowing the syntax. */
export interface FixBuilder {
  /**
   * Wrap the statements from `from` to `to` (widened to siblings in their innermost common
   * suite) in a region holding a module-level lock, adding the lock's definition if the module
   * has no lock of that kind yet. Undefined when no well-formed edit exists.
   */
  wrapInLock(
    from: StatementRef,
    to: StatementRef,
    lock: { kind: LockKind; stateRoot: string },
  ): { edits: TextEdit[]; lockName: string } | undefined;
}

export type Finding = Omit<Hazard, 'code' | 'name' | 'severity' | 'path' | 'related' | 'fix' | 'story'> & {
  /** This finding's default severity when it differs from the rule's; user overrides still win. */
  severity?: Severity;
  related?: RelatedLocation[];
  fix?: Fix;
  story?: HazardStory;
};

export interface RuleContext {
  module: ModuleFacts;
  project: ProjectFacts;
  fixes: FixBuilder;
  report(finding: Finding): void;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * For cross-file rules: what other modules' checks need to know about this module (e.g. which
   * sync functions may block). Must be JSON-serialisable: it crosses worker threads and is cached
   * per file by the language server.
   */
  summarize?(module: ModuleFacts): unknown;
  check(context: RuleContext): void;
}

/** The line of `range` as users count it, for messages. */
export function lineOf(range: Range): number {
  return range.start.line + 1;
}

/** Where a rule's documentation page lives; the generated `docs/rules/<code>.md` mirrors it. */
export function ruleUrl(meta: Pick<RuleMeta, 'code'>): string {
  return `https://github.com/interleave-dev/interleave/blob/main/docs/rules/${meta.code}.md`;
}

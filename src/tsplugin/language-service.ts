/**
 * Interleave inside tsserver: a language service that answers as the project's own does and adds
 * Interleave's findings to the semantic diagnostics, its fixes and suppression comments to the code
 * fixes, and its explanation to the hover. The analysis is the CLI's and the language server's —
 * the same frontend, given tsserver's Program so the checker is shared, the same configuration
 * (files, then the editor's settings) and suppression comments — converted to tsserver's shapes.
 * Nothing here may throw into tsserver: a failure leaves the project's own answer unchanged. And
 * tsserver is single-threaded, so nothing here may make TypeScript's own answers wait: a request
 * reads only the file asked about and its imports, and everything else waits until tsserver is
 * idle (program-summaries.ts, idle-slices.ts).
 */
import type * as ts from 'typescript';
import type { BulkSuppressions } from '../core/bulk-suppressions';
import type { ResolvedConfig } from '../core/config';
import { checkModule, type ParsedModule } from '../core/engine';
import type { Position, Range } from '../core/facts';
import { applySafeFixes, replacementEdit } from '../core/fix-all';
import { withHeadline } from '../core/headline';
import type { Hazard, Severity, TextEdit } from '../core/hazard';
import type { ProjectFacts, RuleMeta } from '../core/rule';
import { suppressFileEdit, suppressLineEdit, type SuppressionContext } from '../core/suppression-edits';
import { RULES } from '../rules';
import { DEFAULT_EDITOR_SETTINGS, parseEditorSettings, type EditorSettings } from '../server/editor-settings';
import { contextsAt, lensContexts, type AnalysedModule } from '../server/code-contexts';
import { codeLensesOf, contextHoverAt } from '../server/context-lens';
import { hoverMarkdown } from '../server/hover';
import { pathToUri } from '../server/document-uri';
import { ProjectContext } from '../server/project-context';
import type { CodeContexts, ContextLens, ContextLensSetting } from '../server/protocol';
import type { TypeScriptApi } from '../typescript/compiler';
import { extractTypeScriptFacts, parseTypeScript } from '../typescript/frontend';
import { lineStartsIn } from '../typescript/syntax';
import { TypeScriptProject } from '../typescript/program';
import { languageOf } from '../workspace/analyze';
import { DEFAULT_MAX_FILE_SIZE } from '../workspace/source-file';
import { carryOver } from './carried-diagnostics';
import { IdleSlices } from './idle-slices';
import { ProgramSummaries } from './program-summaries';
import { FIX_ALL_FIX_ID, INTERLEAVE_ERROR_CODE } from './protocol';

const RULE_METAS: readonly RuleMeta[] = RULES.map((rule) => rule.meta);
const META_BY_CODE: ReadonlyMap<string, RuleMeta> = new Map(RULE_METAS.map((meta) => [meta.code, meta]));

/**
 * How often the configuration and deployment files are read again, between requests while the
 * user is active. tsserver tells a plugin nothing about files outside the Program, and reading
 * them (a walk for deployment files included) on a request would delay TypeScript's answer.
 */
const CONFIG_RECHECK_MS = 3000;

const FIX_ALL_DESCRIPTION = 'Interleave: apply all safe fixes';

/**
 * A file whose last analysis took longer than this is not analysed again on the semantic
 * diagnostics request after an edit: its findings are carried over the edit, and the analysis
 * waits until tsserver is idle. TypeScript's own diagnostics go out with them at once.
 */
const FAST_ANALYSIS_MS = 10;

/** What an analysis was checked against: when any of it changes, the findings may. */
interface AnalysisInputs {
  /** The configuration's content: it is read again every few seconds, into a new object each time. */
  configKey: string;
  project: ProjectFacts;
  suppressions: BulkSuppressions | undefined;
}

/** What one analysis of a source file found, valid while the file and its inputs stay the same. */
interface FileAnalysis extends AnalysisInputs {
  sourceFile: ts.SourceFile;
  parsed: ParsedModule;
  hazards: Hazard[];
  config: ResolvedConfig;
}

function sameInputs(a: AnalysisInputs, b: AnalysisInputs): boolean {
  return a.configKey === b.configKey && a.project === b.project && a.suppressions === b.suppressions;
}

/** A configuration's content as text: its sets and maps as arrays of their entries. */
function configKeyOf(config: ResolvedConfig): string {
  return JSON.stringify(config, (_key, value: unknown) => (value instanceof Set || value instanceof Map ? [...value] : value));
}

export class InterleaveLanguageService {
  private settings: EditorSettings = DEFAULT_EDITOR_SETTINGS;
  private readonly context: ProjectContext;
  /** 0: read the configuration files before the next analysis. */
  private configReadAt = 0;
  private configKey = '';
  /** Whether a request came since the configuration files were last read. */
  private activeSinceConfigRead = false;
  private lastConfigError?: string;
  private lastSuppressionsProblem?: string;
  private typeScriptProject?: TypeScriptProject;
  /** Facts of the files analysed on a request (the open ones); other files' facts go once summarised. */
  private readonly parsedFiles = new WeakMap<ts.SourceFile, ParsedModule>();
  private readonly analyses = new WeakMap<ts.SourceFile, FileAnalysis>();
  /** The last analysis of each file analysed, by path, and how long it took. */
  private readonly latest = new Map<string, { analysis: FileAnalysis; tookMs: number }>();
  /** Files whose diagnostics were carried over an edit: they are analysed when tsserver is idle. */
  private readonly deferred = new Set<string>();
  private readonly summaries: ProgramSummaries;
  private readonly idle: IdleSlices;
  /** The inputs of the last findings given to the editor, to tell it to ask again once they changed. */
  private served?: AnalysisInputs;

  constructor(
    private readonly ts: TypeScriptApi,
    private readonly info: ts.server.PluginCreateInfo,
  ) {
    const root = info.project.getCurrentDirectory();
    this.context = new ProjectContext(pathToUri(root), root, info.project.getProjectName(), false, DEFAULT_EDITOR_SETTINGS);
    this.summaries = new ProgramSummaries(ts, this.context, (message) => this.log(message));
    this.idle = new IdleSlices(info.serverHost, (deadline) => this.guard('summaries between requests', false, () => this.workBetweenRequests(deadline)));
  }

  /** Applies the editor's settings, or the plugin's tsconfig entry; unusable values are logged and dropped. */
  configure(raw: unknown): void {
    const { settings, problems } = parseEditorSettings(raw, RULE_METAS);
    for (const problem of problems) this.log(`settings: ${problem}`);
    this.settings = settings;
    this.configReadAt = 0;
  }

  /**
   * The project's language service with Interleave's answers added. Every call counts as a
   * request, which work between requests waits for: from its end, since a long one (TypeScript's
   * first check of a file) must not leave the next request waiting behind a slice.
   */
  decorate(): ts.LanguageService {
    const service = this.info.languageService;
    const noted = Object.fromEntries(
      Object.entries(service).map(([name, member]: [string, unknown]) => [
        name,
        typeof member === 'function'
          ? (...args: unknown[]): unknown => {
              this.idle.noteRequest();
              try {
                return member.apply(service, args) as unknown;
              } finally {
                this.idle.noteRequest();
              }
            }
          : member,
      ]),
    ) as unknown as ts.LanguageService;
    return {
      ...noted,
      getSemanticDiagnostics: (fileName) => {
        const own = noted.getSemanticDiagnostics(fileName);
        return this.guard('diagnostics', own, () => [...own, ...this.diagnostics(fileName)]);
      },
      getSupportedCodeFixes: (fileName) => [...noted.getSupportedCodeFixes(fileName), String(INTERLEAVE_ERROR_CODE)],
      getCodeFixesAtPosition: (fileName, start, end, errorCodes, formatOptions, preferences) => {
        const own = noted.getCodeFixesAtPosition(fileName, start, end, errorCodes, formatOptions, preferences);
        if (!errorCodes.includes(INTERLEAVE_ERROR_CODE)) return own;
        return this.guard('code fixes', own, () => [...own, ...this.codeFixes(fileName, start, end)]);
      },
      getCombinedCodeFix: (scope, fixId, formatOptions, preferences) => {
        if (fixId !== FIX_ALL_FIX_ID) return noted.getCombinedCodeFix(scope, fixId, formatOptions, preferences);
        const nothing: ts.CombinedCodeActions = { changes: [] };
        return this.guard('fix-all', nothing, () => this.fixAll(scope.fileName) ?? nothing);
      },
      getQuickInfoAtPosition: (...args: Parameters<ts.LanguageService['getQuickInfoAtPosition']>) => {
        const own = noted.getQuickInfoAtPosition(...args);
        return this.guard('hover', own, () => this.quickInfo(args[0], args[1], own));
      },
    };
  }

  /** Interleave's findings in a file as tsserver diagnostics. */
  diagnostics(fileName: string): ts.Diagnostic[] {
    const carried = this.carriedOver(fileName);
    if (carried) return carried;
    const analysis = this.analyse(fileName);
    if (!analysis) return [];
    this.served = analysis;
    const program = this.info.languageService.getProgram();
    return analysis.hazards.map((hazard) => this.diagnosticOf(hazard, analysis.sourceFile, program));
  }

  /** An edited file's last findings moved over the edit, when analysing it is too slow to wait for; it is analysed once tsserver is idle. */
  private carriedOver(fileName: string): ts.Diagnostic[] | undefined {
    const latest = this.latest.get(fileName);
    if (!latest || latest.tookMs <= FAST_ANALYSIS_MS || !this.settings.enable || this.configReadAt === 0) return undefined;
    const program = this.info.languageService.getProgram();
    const sourceFile = program?.getSourceFile(fileName);
    const previous = latest.analysis.sourceFile;
    if (!sourceFile || sourceFile === previous) return undefined;
    this.deferred.add(fileName);
    return carryOver(
      latest.analysis.hazards.map((hazard) => this.diagnosticOf(hazard, previous, program)),
      previous,
      sourceFile,
    );
  }

  /** The rule's fix and the suppression comments for each finding overlapping `start`–`end`. */
  codeFixes(fileName: string, start: number, end: number): ts.CodeFixAction[] {
    const analysis = this.analyse(fileName);
    if (!analysis) return [];
    const { sourceFile } = analysis;
    const document: SuppressionContext = { language: 'typescript', text: sourceFile.text, comments: analysis.parsed.facts.comments };
    const actions: ts.CodeFixAction[] = [];
    const fileDisabled = new Set<string>();
    for (const hazard of analysis.hazards) {
      const span = spanOf(sourceFile, hazard.range);
      if (span.start > end || start > span.start + span.length) continue;
      const { fix, code } = hazard;
      if (fix) {
        actions.push({
          fixName: 'interleave',
          description: `Interleave (${code}): ${fix.message}`,
          changes: [fileChanges(sourceFile, fix.edits)],
          ...(fix.applicability === 'safe' ? { fixId: FIX_ALL_FIX_ID, fixAllDescription: FIX_ALL_DESCRIPTION } : {}),
        });
      }
      actions.push({
        fixName: 'interleave-disable-line',
        description: `Disable ${code} for this line`,
        changes: [fileChanges(sourceFile, [suppressLineEdit(document, code, hazard.range.start.line, RULE_METAS)])],
      });
      if (fileDisabled.has(code)) continue;
      fileDisabled.add(code);
      actions.push({
        fixName: 'interleave-disable-file',
        description: `Disable ${code} for this file`,
        changes: [fileChanges(sourceFile, [suppressFileEdit(document, code, RULE_METAS)])],
      });
    }
    return actions;
  }

  /** Every safe fix of the file, applied pass by pass, as one change; undefined when the file is not analysed. */
  fixAll(fileName: string): ts.CombinedCodeActions | undefined {
    const analysis = this.analyse(fileName);
    if (!analysis) return undefined;
    const { sourceFile, config, project } = analysis;
    const original = sourceFile.text;
    const moduleName = this.context.moduleName(fileName);
    // Later passes see text the Program does not hold: they are checked from the syntax alone.
    const analyseText = (text: string) => {
      if (text === original) return { hazards: analysis.hazards, syntaxErrors: analysis.parsed.facts.syntaxErrors.length };
      const parsed = extractTypeScriptFacts({ ts: this.ts, sourceFile: parseTypeScript(this.ts, text, fileName), moduleName });
      return { hazards: checkModule(parsed, { rules: RULES, config, project }).hazards, syntaxErrors: parsed.facts.syntaxErrors.length };
    };
    const edit = replacementEdit(original, applySafeFixes(original, analyseText));
    return { changes: edit ? [fileChanges(sourceFile, [edit])] : [] };
  }

  /** A file's lenses under a `contextLens` setting: where each handler, dependency and piece of mutated module state runs. */
  contextLenses(fileName: string, setting: ContextLensSetting): ContextLens[] {
    return this.guard('lenses', [], () => {
      const analysed = this.analysedModule(fileName);
      return analysed ? codeLensesOf(lensContexts(analysed, setting)) : [];
    });
  }

  /** Where the code at a 0-based position runs; undefined when Interleave does not read the file. */
  contextsAt(fileName: string, position: Position): CodeContexts | undefined {
    return this.guard('contexts', undefined, () => {
      const analysed = this.analysedModule(fileName);
      return analysed && contextsAt(analysed, position);
    });
  }

  private analysedModule(fileName: string): AnalysedModule | undefined {
    const analysis = this.analyse(fileName);
    return analysis && analysedModuleOf(analysis, fileName);
  }

  /** The hover with each finding at `position` explained, and where the code named there runs, after what the project's service says. */
  private quickInfo(fileName: string, position: number, own: ts.QuickInfo | undefined): ts.QuickInfo | undefined {
    const analysis = this.analyse(fileName);
    if (!analysis) return own;
    const { sourceFile } = analysis;
    const here = analysis.hazards.filter((hazard) => {
      const span = spanOf(sourceFile, hazard.range);
      return span.start <= position && position <= span.start + span.length;
    });
    const analysed = analysedModuleOf(analysis, fileName);
    const contexts = contextHoverAt(lensContexts(analysed, this.settings.contextLens), sourceFile.getLineAndCharacterOfPosition(position), false);
    if (here.length === 0 && !contexts) return own;
    const markdown = [...here.map((hazard) => hoverMarkdown(hazard, META_BY_CODE.get(hazard.code)!)), ...(contexts ? [contexts.markdown] : [])].join('\n\n---\n\n');
    if (!own) {
      return {
        kind: this.ts.ScriptElementKind.unknown,
        kindModifiers: '',
        textSpan: spanOf(sourceFile, here[0]?.range ?? contexts!.range),
        displayParts: [],
        documentation: [{ kind: 'text', text: markdown }],
      };
    }
    const documentation = own.documentation ?? [];
    const separator = documentation.length > 0 ? [{ kind: 'text', text: '\n\n---\n\n' }] : [];
    return { ...own, documentation: [...documentation, ...separator, { kind: 'text', text: markdown }] };
  }

  /** The current analysis of a file of the project, or undefined when Interleave does not read it; remembered with the time it took. */
  private analyse(fileName: string): FileAnalysis | undefined {
    const started = performance.now();
    const analysis = this.analyseNow(fileName);
    if (!analysis) this.latest.delete(fileName);
    else if (this.latest.get(fileName)?.analysis !== analysis) this.latest.set(fileName, { analysis, tookMs: performance.now() - started });
    return analysis;
  }

  /**
   * Analyses a file unless its current text was analysed against the current inputs. It reads the
   * file and the files it imports; what those import in turn is summarised between requests, and
   * the editor is asked to fetch the diagnostics again once that changes them.
   */
  private analyseNow(fileName: string): FileAnalysis | undefined {
    if (!this.settings.enable || languageOf(fileName) !== 'typescript') return undefined;
    if (this.configReadAt === 0) this.refreshConfig();
    this.activeSinceConfigRead = true;
    if (this.context.isExcluded(fileName)) return undefined;
    const program = this.info.languageService.getProgram();
    const sourceFile = program?.getSourceFile(fileName);
    if (!program || !sourceFile || sourceFile.text.length > DEFAULT_MAX_FILE_SIZE) return undefined;
    const typeScriptProject = this.projectOf(program);
    const parsed = this.parse(sourceFile, typeScriptProject);
    this.summaries.record(sourceFile, parsed);
    this.summaries.summarizeImports(typeScriptProject, sourceFile);
    const { config, suppressions } = this.context;
    const inputs: AnalysisInputs = { configKey: this.configKey, project: this.context.projectFacts(), suppressions };
    const cached = this.analyses.get(sourceFile);
    if (cached && sameInputs(cached, inputs)) return cached;
    const report = checkModule(parsed, { rules: RULES, config, project: inputs.project });
    for (const problem of report.problems) this.log(problem);
    const hazards = this.context.applySuppressions(fileName, report.hazards.map(withHeadline), sourceFile.text);
    const analysis: FileAnalysis = { ...inputs, sourceFile, parsed, hazards, config };
    this.analyses.set(sourceFile, analysis);
    return analysis;
  }

  /**
   * Between requests: the files whose findings were carried over an edit analysed, one a slice,
   * and the editor told to ask for diagnostics again; the configuration files read again when due;
   * and a slice of the Program's summaries. Once those are all made, the editor is told to ask
   * again if what the last diagnostics were checked against has changed. True while work is left.
   */
  private workBetweenRequests(deadline: number): boolean {
    const [edited] = this.deferred;
    if (edited !== undefined) {
      this.deferred.delete(edited);
      this.analyse(edited);
      if (this.deferred.size === 0) this.info.project.refreshDiagnostics();
      return true;
    }
    if (this.activeSinceConfigRead && Date.now() - this.configReadAt >= CONFIG_RECHECK_MS) this.refreshConfig();
    const more = this.summaries.summarizeSlice(deadline);
    const { served } = this;
    if (!more && served && !sameInputs(served, { configKey: this.configKey, project: this.context.projectFacts(), suppressions: this.context.suppressions })) {
      this.served = undefined;
      this.info.project.refreshDiagnostics();
    }
    return more;
  }

  private projectOf(program: ts.Program): TypeScriptProject {
    if (this.typeScriptProject?.program !== program) {
      this.typeScriptProject = new TypeScriptProject(this.ts, program, (path) => this.context.moduleName(path));
    }
    return this.typeScriptProject;
  }

  /** Facts of a source file; a Program keeps unchanged files' objects between edits, so each is read once. */
  private parse(sourceFile: ts.SourceFile, project: TypeScriptProject): ParsedModule {
    let parsed = this.parsedFiles.get(sourceFile);
    if (!parsed) {
      parsed = project.analyzeSourceFile(sourceFile, this.context.moduleName(sourceFile.fileName));
      this.parsedFiles.set(sourceFile, parsed);
    }
    return parsed;
  }

  /** Reads the configuration files again; a broken one is logged and the last good one kept. */
  private refreshConfig(): void {
    this.configReadAt = Date.now();
    this.activeSinceConfigRead = false;
    const error = this.context.reloadConfig(this.settings)?.describe();
    this.configKey = configKeyOf(this.context.config);
    if (error && error !== this.lastConfigError) this.log(`configuration: ${error}; the previous configuration stays in force`);
    this.lastConfigError = error;
    const suppressionsProblem = this.context.reloadSuppressions();
    if (suppressionsProblem && suppressionsProblem !== this.lastSuppressionsProblem) this.log(`${suppressionsProblem}; findings it records are shown`);
    this.lastSuppressionsProblem = suppressionsProblem;
  }

  private diagnosticOf(hazard: Hazard, sourceFile: ts.SourceFile, program: ts.Program | undefined): ts.Diagnostic {
    const span = spanOf(sourceFile, hazard.range);
    const relatedInformation = hazard.related.flatMap((related): ts.DiagnosticRelatedInformation[] => {
      const file = related.path === sourceFile.fileName ? sourceFile : program?.getSourceFile(related.path);
      if (!file) return [];
      const relatedSpan = spanOf(file, related.range);
      return [{ file, ...relatedSpan, messageText: related.message, category: this.ts.DiagnosticCategory.Message, code: INTERLEAVE_ERROR_CODE }];
    });
    return {
      file: sourceFile,
      ...span,
      messageText: `${hazard.code} ${hazard.name}: ${hazard.message}`,
      category: this.categoryOf(hazard.severity),
      code: INTERLEAVE_ERROR_CODE,
      source: 'interleave',
      ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
      ...(hazard.code === 'IL303' ? { reportsDeprecated: {} } : {}),
    };
  }

  private categoryOf(severity: Severity): ts.DiagnosticCategory {
    const { DiagnosticCategory } = this.ts;
    switch (severity) {
      case 'error':
        return DiagnosticCategory.Error;
      case 'warning':
        return DiagnosticCategory.Warning;
      case 'info':
        return DiagnosticCategory.Message;
      case 'hint':
        return DiagnosticCategory.Suggestion;
    }
  }

  /** Runs an addition to tsserver's answer; on any failure the answer goes out as the project's service gave it. */
  private guard<T>(what: string, own: T, add: () => T): T {
    try {
      return add();
    } catch (error) {
      this.log(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return own;
    }
  }

  private log(message: string): void {
    this.info.project.projectService.logger.info(`[interleave] ${message}`);
  }
}

/** An analysis as the lens reads it: the facts, and the project facts (whose model the rules built) they were checked against. */
function analysedModuleOf(analysis: FileAnalysis, fileName: string): AnalysedModule {
  return { module: analysis.parsed.facts, project: analysis.project, uri: pathToUri(fileName) };
}

/** The offset of a position in a parsed file, clamped to its line. */
function offsetOf(sourceFile: ts.SourceFile, position: Position): number {
  const lineStarts = lineStartsIn(sourceFile);
  const start = lineStarts[position.line];
  if (start === undefined) return sourceFile.text.length;
  return Math.min(start + position.character, lineStarts[position.line + 1] ?? sourceFile.text.length);
}

function spanOf(sourceFile: ts.SourceFile, range: Range): { start: number; length: number } {
  const start = offsetOf(sourceFile, range.start);
  return { start, length: Math.max(0, offsetOf(sourceFile, range.end) - start) };
}

function fileChanges(sourceFile: ts.SourceFile, edits: readonly TextEdit[]): ts.FileTextChanges {
  return { fileName: sourceFile.fileName, textChanges: edits.map((edit) => ({ span: spanOf(sourceFile, edit.range), newText: edit.newText })) };
}

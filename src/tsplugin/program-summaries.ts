/**
 * The cross-file summaries the plugin checks open files against: those of the files the analysed
 * files reach through their imports, never the whole Program. tsserver is single-threaded, so
 * every file summarised on a request delays TypeScript's own answer, and every summary it holds
 * is memory TypeScript's users pay for. A request summarises the file asked about and the files it
 * imports directly (its calls into other modules); the files those import, and so on, are
 * summarised between requests, a slice at a time (`summarizeSlice`). What calls into an open file
 * from files it does not reach is the language server's to index, not tsserver's.
 */
import type * as ts from 'typescript';
import type { ParsedModule } from '../core/engine';
import { notAnalysedReason } from '../core/not-analysed';
import { summarize, type ProjectContext } from '../server/project-context';
import type { TypeScriptApi } from '../typescript/compiler';
import type { TypeScriptProject } from '../typescript/program';
import { languageOf } from '../workspace/analyze';
import { DEFAULT_MAX_FILE_SIZE } from '../workspace/source-file';

/**
 * A Program that can say what an import resolved to. TypeScript keeps the resolutions it made
 * while building the Program but does not declare the method; without it a specifier is resolved
 * again through the file system.
 */
type ResolvingProgram = ts.Program & {
  getResolvedModuleFromModuleSpecifier?: (specifier: ts.StringLiteralLike, sourceFile: ts.SourceFile) => ts.ResolvedModuleWithFailedLookupLocations | undefined;
};

/** Where the summarising of one Program's reachable files stands between slices. */
interface ProgramWalk {
  project: TypeScriptProject;
  /** Files left to summarise, breadth first from the analysed files. */
  reached: ts.SourceFile[];
  seen: Set<string>;
}

export class ProgramSummaries {
  /** The source file each summary was made from, by path; also the files that could not be analysed. */
  private readonly summarized = new Map<string, ts.SourceFile>();
  /** The files analysed on requests: the walk starts from them. */
  private readonly analysed = new Set<string>();
  private walk?: ProgramWalk;
  /** Programs whose reachable files were all summarised; weakly, since a past Program holds its checker's memory. */
  private readonly walked = new WeakSet<ts.Program>();

  constructor(
    private readonly ts: TypeScriptApi,
    private readonly context: ProjectContext,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether Interleave reads a file of the Program: project sources it can parse, not declarations, libraries or excluded files. */
  reads(program: ts.Program, sourceFile: ts.SourceFile): boolean {
    const path = sourceFile.fileName;
    if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile) || languageOf(path) !== 'typescript') return false;
    return !this.context.isExcluded(path) && sourceFile.text.length <= DEFAULT_MAX_FILE_SIZE;
  }

  /** Records the summary of a file analysed on a request, from the facts the analysis made. */
  record(sourceFile: ts.SourceFile, parsed: ParsedModule): void {
    this.analysed.add(sourceFile.fileName);
    if (this.summarized.get(sourceFile.fileName) === sourceFile) return;
    this.summarized.set(sourceFile.fileName, sourceFile);
    this.context.setSummary(sourceFile.fileName, summarize(parsed));
  }

  /**
   * Summarises the files an analysed file imports directly. A new Program (after an edit) starts
   * the walk again from every analysed file; only files whose text changed cost anything.
   */
  summarizeImports(project: TypeScriptProject, sourceFile: ts.SourceFile): void {
    const { program } = project;
    if (this.walk?.project.program !== program && !this.walked.has(program)) {
      const roots = [...this.analysed].flatMap((path) => program.getSourceFile(path) ?? []);
      this.walk = { project, reached: roots, seen: new Set() };
    }
    for (const imported of this.importsOf(program, sourceFile)) this.summarizeFile(project, imported);
  }

  /**
   * Summarises files the analysed files reach until `deadline` (a `performance.now()` time); true
   * while files are left. Once the walk is done, summaries of files that left the Program go.
   */
  summarizeSlice(deadline: number): boolean {
    const walk = this.walk;
    if (!walk) return false;
    const { program } = walk.project;
    while (performance.now() < deadline) {
      const sourceFile = walk.reached.shift();
      if (!sourceFile) {
        this.walk = undefined;
        this.walked.add(program);
        this.retainPresent(program);
        return false;
      }
      if (walk.seen.has(sourceFile.fileName)) continue;
      walk.seen.add(sourceFile.fileName);
      this.summarizeFile(walk.project, sourceFile);
      for (const imported of this.importsOf(program, sourceFile)) if (!walk.seen.has(imported.fileName)) walk.reached.push(imported);
    }
    return true;
  }

  /**
   * Summarises a file unless its summary was made from this very source file; its facts are not
   * kept. As in the language server's index, a file not analysed itself is summarised from its
   * syntax and resolved imports: asking the checker about every file the open ones reach would
   * fill its caches with types TypeScript never needed. A file the frontend cannot analyse (nested
   * too deeply, say) has no summary, as in the CLI.
   */
  private summarizeFile(project: TypeScriptProject, sourceFile: ts.SourceFile): void {
    const path = sourceFile.fileName;
    if (this.summarized.get(path) === sourceFile) return;
    let parsed: ParsedModule;
    try {
      parsed = project.analyzeSyntax(sourceFile, this.context.moduleName(path));
    } catch (error) {
      const reason = notAnalysedReason(error);
      if (reason === undefined) throw error;
      this.log(`not analysed: ${path}: ${reason}`);
      this.summarized.set(path, sourceFile);
      this.context.setSummary(path, undefined);
      return;
    }
    this.summarized.set(path, sourceFile);
    this.context.setSummary(path, summarize(parsed));
  }

  private retainPresent(program: ts.Program): void {
    for (const path of this.summarized.keys()) {
      if (program.getSourceFile(path)) continue;
      this.summarized.delete(path);
      this.analysed.delete(path);
      this.context.setSummary(path, undefined);
    }
  }

  /** The project files a file imports (`import`, `export … from`, `import x = require()`), as the Program resolved them. */
  private importsOf(program: ResolvingProgram, sourceFile: ts.SourceFile): ts.SourceFile[] {
    const { ts: api } = this;
    const imported: ts.SourceFile[] = [];
    for (const statement of sourceFile.statements) {
      const specifier =
        api.isImportDeclaration(statement) || api.isExportDeclaration(statement)
          ? statement.moduleSpecifier
          : api.isImportEqualsDeclaration(statement) && api.isExternalModuleReference(statement.moduleReference)
            ? statement.moduleReference.expression
            : undefined;
      if (!specifier || !api.isStringLiteralLike(specifier)) continue;
      const resolved =
        program.getResolvedModuleFromModuleSpecifier?.(specifier, sourceFile) ??
        api.resolveModuleName(specifier.text, sourceFile.fileName, program.getCompilerOptions(), api.sys);
      const resolvedFile = resolved.resolvedModule && program.getSourceFile(resolved.resolvedModule.resolvedFileName);
      if (resolvedFile && this.reads(program, resolvedFile)) imported.push(resolvedFile);
    }
    return imported;
  }
}

/**
 * The cross-file summaries the plugin checks open files against, built as tsserver can afford
 * them. tsserver is single-threaded: every file summarised on a request delays TypeScript's own
 * answer. So a request summarises only the file asked about and the files it imports directly (its
 * calls into other modules); the rest of the Program — deeper imports first, then every other
 * file, whose callers and shared state the execution-context model needs — is summarised between
 * requests, a slice at a time (`summarizeSlice`).
 */
import type * as ts from 'typescript';
import type { ParsedModule } from '../core/engine';
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

/** Where the summarising of one Program's files stands between slices. */
interface ProgramWalk {
  project: TypeScriptProject;
  /** Files to summarise before the others: what the analysed files import, breadth first. */
  reached: ts.SourceFile[];
  /** The next of the Program's files to look at once `reached` is empty. */
  next: number;
  files: readonly ts.SourceFile[];
  seen: Set<string>;
  /** The paths of every file of the Program Interleave reads, to drop the summaries of files that left it. */
  present: Set<string>;
}

export class ProgramSummaries {
  /** The source file each summary was made from, by path. */
  private readonly summarized = new Map<string, ts.SourceFile>();
  private walk?: ProgramWalk;
  /** The last Program every file of which was looked at. */
  private walked?: ts.Program;

  constructor(
    private readonly ts: TypeScriptApi,
    private readonly context: ProjectContext,
  ) {}

  /** Whether Interleave reads a file of the Program: project sources it can parse, not declarations, libraries or excluded files. */
  reads(program: ts.Program, sourceFile: ts.SourceFile): boolean {
    const path = sourceFile.fileName;
    if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile) || languageOf(path) !== 'typescript') return false;
    return !this.context.isExcluded(path) && sourceFile.text.length <= DEFAULT_MAX_FILE_SIZE;
  }

  /** Records the summary of a file analysed on a request, from the facts the analysis made. */
  record(sourceFile: ts.SourceFile, parsed: ParsedModule): void {
    if (this.summarized.get(sourceFile.fileName) === sourceFile) return;
    this.summarized.set(sourceFile.fileName, sourceFile);
    this.context.setSummary(sourceFile.fileName, summarize(parsed));
  }

  /**
   * Summarises the files an analysed file imports directly, and starts the walk of its Program
   * over again when the Program is new (after an edit only changed files cost anything).
   */
  summarizeImports(project: TypeScriptProject, sourceFile: ts.SourceFile): void {
    const { program } = project;
    if (this.walk?.project.program !== program && this.walked !== program) {
      this.walk = { project, reached: [], next: 0, files: program.getSourceFiles(), seen: new Set(), present: new Set() };
    }
    const { walk } = this;
    walk?.seen.add(sourceFile.fileName);
    walk?.present.add(sourceFile.fileName);
    for (const imported of this.importsOf(program, sourceFile)) {
      this.summarizeFile(project, imported);
      if (walk && !walk.seen.has(imported.fileName)) walk.reached.push(imported);
    }
  }

  /**
   * Summarises files of the current Program until `deadline` (a `performance.now()` time), what
   * the analysed files reach first; true while files are left. Once every file was looked at,
   * the summaries of files no longer in the Program are dropped.
   */
  summarizeSlice(deadline: number): boolean {
    const walk = this.walk;
    if (!walk) return false;
    const { program } = walk.project;
    while (performance.now() < deadline) {
      const sourceFile = walk.reached.shift() ?? walk.files[walk.next++];
      if (!sourceFile) {
        this.walk = undefined;
        this.walked = program;
        for (const path of this.summarized.keys()) if (!walk.present.has(path)) this.summarized.delete(path);
        this.context.retainSummaries(walk.present);
        return false;
      }
      if (walk.seen.has(sourceFile.fileName) || !this.reads(program, sourceFile)) continue;
      walk.seen.add(sourceFile.fileName);
      walk.present.add(sourceFile.fileName);
      this.summarizeFile(walk.project, sourceFile);
      for (const imported of this.importsOf(program, sourceFile)) if (!walk.seen.has(imported.fileName)) walk.reached.push(imported);
    }
    return true;
  }

  /** Summarises a file unless its summary was made from this very source file; its facts are not kept. */
  private summarizeFile(project: TypeScriptProject, sourceFile: ts.SourceFile): void {
    if (this.summarized.get(sourceFile.fileName) === sourceFile) return;
    this.record(sourceFile, project.analyzeSourceFile(sourceFile, this.context.moduleName(sourceFile.fileName)));
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

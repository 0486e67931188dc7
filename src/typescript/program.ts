import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as ts from 'typescript';
import type { ParsedModule } from '../core/engine';
import { loadTypeScript, type TypeScriptApi } from './compiler';
import type { ProgramTyping } from './flow-builder';
import { extractTypeScriptFacts } from './frontend';
import { importBase, moduleForSpecifier } from './module-names';

const CONFIG_FILES = ['tsconfig.json', 'jsconfig.json'];
/** `node_modules/@types/node/fs.d.ts`, `node_modules/@scope/name/index.d.ts`, `node_modules/.prisma/client/…`. */
const PACKAGE_PATH = /[\\/]node_modules[\\/](@types[\\/])?((?:@[^\\/]+[\\/])?[^\\/]+)/;

/** The package a declaration file belongs to, named as code imports it. */
function packageOf(fileName: string): string | undefined {
  const match = PACKAGE_PATH.exec(fileName);
  if (!match) return undefined;
  const name = match[2]!.replace(/\\/g, '/');
  if (name === '.prisma') return '@prisma/client';
  // `@types/scope__name` types `@scope/name`.
  return match[1] && name.includes('__') ? `@${name.replace('__', '/')}` : name;
}

/**
 * A TypeScript or JavaScript project: a Program with its type checker. It resolves imports as the
 * compiler does (`paths`, `baseUrl`, `index` files) and names the types of receivers and the
 * promises calls return.
 *
 * The CLI builds one per `tsconfig.json` (`TypeScriptProjects`). A host that already has a
 * Program — the tsserver plugin, from `info.languageService.getProgram()` and the `typescript`
 * module tsserver hands it — wraps that instead: `new TypeScriptProject(ts, program, (path) =>
 * new ModuleNamer().moduleName(path)).analyzeSourceFile(sourceFile, moduleName)`, then
 * `checkModule` (src/core/engine.ts) on the result.
 */
export class TypeScriptProject {
  private readonly checker: ts.TypeChecker;
  private readonly resolutions = new Map<string, string | undefined>();

  constructor(
    private readonly ts: TypeScriptApi,
    readonly program: ts.Program,
    /** The module name of a file of the project, as the workspace names modules. */
    private readonly moduleNameOf: (path: string) => string,
  ) {
    this.checker = program.getTypeChecker();
  }

  /** Facts for a file of the project, or undefined when the Program does not hold it with this text. */
  analyze(path: string, text: string, moduleName: string): ParsedModule | undefined {
    const sourceFile = this.program.getSourceFile(path);
    return sourceFile && sourceFile.text === text ? this.analyzeSourceFile(sourceFile, moduleName) : undefined;
  }

  /** Facts for one of the Program's source files, with its imports resolved and its types checked. */
  analyzeSourceFile(sourceFile: ts.SourceFile, moduleName: string): ParsedModule {
    return this.facts(sourceFile, moduleName, this.typing());
  }

  /**
   * Facts for one of the Program's source files from its syntax and resolved imports alone,
   * without asking the checker: cheaper, and it leaves the checker's caches as they were.
   */
  analyzeSyntax(sourceFile: ts.SourceFile, moduleName: string): ParsedModule {
    return this.facts(sourceFile, moduleName);
  }

  private facts(sourceFile: ts.SourceFile, moduleName: string, typing?: ProgramTyping): ParsedModule {
    return extractTypeScriptFacts({
      ts: this.ts,
      sourceFile,
      moduleName,
      resolveSpecifier: (specifier) => this.resolveSpecifier(specifier, sourceFile, moduleName),
      ...(typing && { typing }),
    });
  }

  /** The project module a specifier resolves to, or the package it names. */
  resolveSpecifier(specifier: string, from: ts.SourceFile, moduleName: string): string | undefined {
    const resolvedFile = this.resolvedProjectFile(specifier, from);
    return resolvedFile ? this.moduleNameOf(resolvedFile) : moduleForSpecifier(specifier, importBase(moduleName, from.fileName));
  }

  /**
   * The project source file a specifier resolves to from a file, if any. Resolution goes through
   * the file system, and files of one directory import the same modules again and again, so the
   * answers are kept by directory, module format and specifier (the Program's files do not change).
   */
  private resolvedProjectFile(specifier: string, from: ts.SourceFile): string | undefined {
    const key = `${dirname(from.fileName)}\0${from.impliedNodeFormat ?? ''}\0${specifier}`;
    if (this.resolutions.has(key)) return this.resolutions.get(key);
    const { resolvedModule } = this.ts.resolveModuleName(specifier, from.fileName, this.program.getCompilerOptions(), this.ts.sys);
    const projectFile = resolvedModule && !resolvedModule.isExternalLibraryImport && !resolvedModule.resolvedFileName.endsWith('.d.ts') ? resolvedModule.resolvedFileName : undefined;
    this.resolutions.set(key, projectFile);
    return projectFile;
  }

  /** What the checker adds to the facts. */
  typing(): ProgramTyping {
    return {
      typeOf: (node) => this.typeName(node),
      isAwaitable: (node) => this.isAwaitable(node),
    };
  }

  /**
   * A class or interface type's qualified name as the frontend writes types: `pg.Pool()`,
   * `ioredis.Redis()`, `src/services/mailer.Mailer()`. Undefined for primitives, anonymous object
   * types, unions of several classes and anything the checker cannot name.
   */
  private typeName(node: ts.Expression): string | undefined {
    let type: ts.Type;
    try {
      type = this.checker.getNonNullableType(this.checker.getTypeAtLocation(node));
    } catch {
      return undefined;
    }
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const declaration = symbol?.declarations?.[0];
    if (!symbol || !declaration) return undefined;
    const { ts: api } = this;
    if (!api.isClassDeclaration(declaration) && !api.isInterfaceDeclaration(declaration) && !api.isTypeAliasDeclaration(declaration)) return undefined;
    const module = this.declaringModule(declaration);
    return module ? `${module}.${symbol.getName()}()` : undefined;
  }

  /** The module a declaration belongs to: an ambient `declare module 'fs'`, a package, or a project file. */
  private declaringModule(declaration: ts.Declaration): string | undefined {
    const { ts: api } = this;
    for (let node: ts.Node | undefined = declaration.parent; node; node = node.parent) {
      if (api.isModuleDeclaration(node) && api.isStringLiteral(node.name)) return moduleForSpecifier(node.name.text, '');
    }
    const fileName = declaration.getSourceFile().fileName;
    return packageOf(fileName) ?? (this.program.isSourceFileDefaultLibrary(declaration.getSourceFile()) ? undefined : this.moduleNameOf(fileName));
  }

  /** A call whose result has a callable `then`: a Promise or another thenable. */
  private isAwaitable(node: ts.CallExpression | ts.NewExpression): boolean {
    let type: ts.Type;
    try {
      type = this.checker.getTypeAtLocation(node);
    } catch {
      return false;
    }
    const members = type.isUnion() ? type.types : [type];
    const meaningful = members.filter((member) => !(member.flags & (this.ts.TypeFlags.Undefined | this.ts.TypeFlags.Null | this.ts.TypeFlags.Void)));
    return (
      meaningful.length > 0 &&
      meaningful.every((member) => {
        const then = member.getProperty('then');
        return then !== undefined && this.checker.getTypeOfSymbolAtLocation(then, node).getCallSignatures().length > 0;
      })
    );
  }
}

/**
 * The projects of a run, one per `tsconfig.json`/`jsconfig.json`, built the first time one of
 * their files is analysed. A file outside every project (or excluded by its configuration) has
 * none, and is analysed from its syntax alone.
 */
export class TypeScriptProjects {
  private readonly byConfig = new Map<string, TypeScriptProject | undefined>();
  private readonly configByDirectory = new Map<string, string | undefined>();

  constructor(private readonly moduleNameOf: (path: string) => string) {}

  /** The project holding a file, if there is one. */
  forFile(path: string): TypeScriptProject | undefined {
    const config = this.configFor(dirname(resolve(path)));
    if (!config) return undefined;
    if (!this.byConfig.has(config)) this.byConfig.set(config, this.build(config));
    return this.byConfig.get(config);
  }

  /** Whether a file is under a `tsconfig.json` or `jsconfig.json`, without building its Program. */
  hasConfig(path: string): boolean {
    return this.configFor(dirname(resolve(path))) !== undefined;
  }

  private configFor(directory: string): string | undefined {
    if (this.configByDirectory.has(directory)) return this.configByDirectory.get(directory);
    const here = CONFIG_FILES.map((name) => join(directory, name)).find((candidate) => existsSync(candidate));
    const parent = dirname(directory);
    const found = here ?? (parent === directory || existsSync(join(directory, 'package.json')) ? undefined : this.configFor(parent));
    this.configByDirectory.set(directory, found);
    return found;
  }

  private build(config: string): TypeScriptProject | undefined {
    const api = loadTypeScript();
    try {
      const parsed = api.getParsedCommandLineOfConfigFile(config, { noEmit: true }, { ...api.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      if (!parsed || parsed.fileNames.length === 0) return undefined;
      const program = api.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true }, projectReferences: parsed.projectReferences });
      return new TypeScriptProject(api, program, this.moduleNameOf);
    } catch {
      // A configuration the compiler cannot use leaves its files to the syntax-only path.
      return undefined;
    }
  }
}

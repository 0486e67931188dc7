import { posix, relative, sep } from 'node:path';
import { checkModule, type CheckOptions, type ModuleReport, type ParsedModule } from '../core/engine';
import type { Language } from '../core/facts';
import { analyzePython, loadPythonParser } from '../python/frontend';
import { analyzeTypeScript } from '../typescript/frontend';
import type { TypeScriptProjects } from '../typescript/program';

/**
 * Loads every frontend's parser; call once before `analyzeSource`. The TypeScript compiler loads
 * itself on first use, so runs without TypeScript files never pay for it.
 */
export async function loadFrontends(): Promise<void> {
  await loadPythonParser();
}

const EXTENSIONS: ReadonlyMap<string, Language> = new Map([
  ['.py', 'python'],
  ...['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'].map((extension): [string, Language] => [extension, 'typescript']),
]);

export function languageOf(path: string): Language | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || /\.d\.[cm]?ts$/i.test(path)) return undefined;
  return EXTENSIONS.get(path.slice(dot).toLowerCase());
}

/**
 * The dotted module name of a file relative to the root it was found under:
 * `root/app/routers/orders.py` → `app.routers.orders`, `root/app/__init__.py` → `app`.
 */
export function moduleNameFor(path: string, root: string): string {
  const rel = relative(root, path).split(sep).join(posix.sep);
  const withoutExtension = rel.replace(/\.[^./]+$/, '');
  const parts = withoutExtension.split('/').filter((part) => part && part !== '.' && part !== '..');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.') || '__main__';
}

/**
 * Parses a file's text into facts. With `typescript`, a TypeScript or JavaScript file that belongs
 * to a project with a `tsconfig.json` is analysed with its Program's type checker (when the
 * Program read the same text); otherwise from its syntax alone.
 */
export function parseSource(path: string, text: string, moduleName: string, typescript?: TypeScriptProjects): ParsedModule | undefined {
  switch (languageOf(path)) {
    case 'python':
      return analyzePython(text, path, moduleName);
    case 'typescript':
      return typescript?.forFile(path)?.analyze(path, text, moduleName) ?? analyzeTypeScript(text, path, moduleName);
    default:
      return undefined;
  }
}

/** Parses and checks one file's text. Undefined for files no frontend handles. */
export function analyzeSource(
  input: { path: string; text: string; moduleName: string },
  options: CheckOptions,
): ModuleReport | undefined {
  const parsed = parseSource(input.path, input.text, input.moduleName);
  return parsed ? checkModule(parsed, options) : undefined;
}

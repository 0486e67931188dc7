import { existsSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { shadowedModuleName } from '../core/contexts/catalog';
import { typeScriptModuleName } from '../typescript/module-names';
import { languageOf, moduleNameFor } from './analyze';

/** Files that mark the root of a JavaScript or TypeScript project. */
const PACKAGE_MARKERS = ['package.json', 'tsconfig.json', 'jsconfig.json'];

/** Files that mark the root of a Python project: no package above it is the project's. */
const PYTHON_PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

/** Directories without `__init__.py` crossed to find the package a namespace directory sits in. */
const MAX_NAMESPACE_DEPTH = 3;

/**
 * Names modules as Python imports them: a file's module root is the nearest ancestor directory
 * that is not a package (has no `__init__.py`), so `src/app/routers/orders.py` is
 * `app.routers.orders` when `app/` and `routers/` are packages. A directory without
 * `__init__.py` inside a package is a namespace package of it (PEP 420): `app/helpers/mail.py`
 * is `app.helpers.mail` when `app/` is a package, as the app's own imports name it (mypy and Ruff
 * stop at `helpers/` and call it `mail`). TypeScript and JavaScript modules
 * are named by their path from the project root instead (`src/routes/orders`). Remembers which
 * directories are packages and roots, since every file of a tree asks about the same few.
 */
export class ModuleNamer {
  private readonly packageDirectories = new Map<string, boolean>();
  private readonly projectRoots = new Map<string, string>();
  private readonly pythonProjectRoots = new Map<string, boolean>();

  moduleRoot(file: string): string {
    let directory = this.aboveTopPackage(dirname(file));
    for (let above = this.packageAbove(directory); above; above = this.packageAbove(directory)) directory = this.aboveTopPackage(above);
    return directory;
  }

  /** The nearest directory, from this one up, that is not a package. */
  private aboveTopPackage(directory: string): string {
    while (this.isPackage(directory)) {
      const parent = dirname(directory);
      if (parent === directory) break;
      directory = parent;
    }
    return directory;
  }

  /** The package a directory without `__init__.py` is a namespace package of, if any: never above the project's root. */
  private packageAbove(directory: string): string | undefined {
    let current = directory;
    for (let depth = 0; depth < MAX_NAMESPACE_DEPTH && !this.isPythonProjectRoot(current); depth++) {
      const parent = dirname(current);
      if (parent === current) return undefined;
      if (this.isPackage(parent)) return parent;
      current = parent;
    }
    return undefined;
  }

  moduleName(file: string): string {
    if (languageOf(file) === 'typescript') return typeScriptModuleName(file, this.projectRoot(dirname(file)));
    const name = moduleNameFor(file, this.moduleRoot(file));
    return this.isShadowed(file) ? shadowedModuleName(name) : name;
  }

  /**
   * `app/plugins.py` beside a package `app/plugins/`: Python imports the package, so the file is
   * never loaded, and it must not take the package's name.
   */
  private isShadowed(file: string): boolean {
    const { dir, name } = parse(file);
    return name !== '__init__' && this.isPackage(join(dir, name));
  }

  /**
   * A TypeScript or JavaScript file's modules are named from its project's root: the nearest
   * directory with a `package.json`, `tsconfig.json` or `jsconfig.json` (the file system's root
   * when there is none), so that relative imports between its files resolve to module names.
   */
  private projectRoot(directory: string): string {
    const known = this.projectRoots.get(directory);
    if (known !== undefined) return known;
    const parent = dirname(directory);
    const root = PACKAGE_MARKERS.some((marker) => existsSync(join(directory, marker)))
      ? directory
      : parent === directory
        ? parse(directory).root
        : this.projectRoot(parent);
    this.projectRoots.set(directory, root);
    return root;
  }

  private isPythonProjectRoot(directory: string): boolean {
    let known = this.pythonProjectRoots.get(directory);
    if (known === undefined) {
      known = PYTHON_PROJECT_MARKERS.some((marker) => existsSync(join(directory, marker)));
      this.pythonProjectRoots.set(directory, known);
    }
    return known;
  }

  private isPackage(directory: string): boolean {
    let known = this.packageDirectories.get(directory);
    if (known === undefined) {
      known = existsSync(join(directory, '__init__.py'));
      this.packageDirectories.set(directory, known);
    }
    return known;
  }
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { moduleNameFor } from './analyze';

/**
 * Names modules the way mypy and Ruff do: a file's module root is the nearest ancestor directory
 * that is not a package (has no `__init__.py`), so `src/app/routers/orders.py` is
 * `app.routers.orders` when `app/` and `routers/` are packages. Remembers which directories are
 * packages, since every file of a tree asks about the same few.
 */
export class ModuleNamer {
  private readonly packageDirectories = new Map<string, boolean>();

  moduleRoot(file: string): string {
    let directory = dirname(file);
    while (this.isPackage(directory)) {
      const parent = dirname(directory);
      if (parent === directory) break;
      directory = parent;
    }
    return directory;
  }

  moduleName(file: string): string {
    return moduleNameFor(file, this.moduleRoot(file));
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

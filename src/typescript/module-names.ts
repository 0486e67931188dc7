import { posix, relative, sep } from 'node:path';

/** The file extensions the TypeScript frontend reads; `.d.ts` declaration files hold no code. */
const SOURCE_EXTENSION = /\.(d\.)?[cm]?[jt]sx?$/i;

/**
 * A TypeScript or JavaScript module's name: its path relative to the project root, with `/`
 * separators and without the extension, and a directory's `index` file named by the directory —
 * `src/routes/orders.ts` → `src/routes/orders`, `src/db/index.ts` → `src/db`. These are the names
 * relative imports resolve to, so calls across files meet the functions they call.
 */
export function typeScriptModuleName(path: string, root: string): string {
  const parts = relative(root, path)
    .split(sep)
    .join(posix.sep)
    .replace(SOURCE_EXTENSION, '')
    .split('/')
    .filter((part) => part && part !== '.' && part !== '..');
  if (parts.length > 1 && parts[parts.length - 1] === 'index') parts.pop();
  return parts.join('/') || 'index';
}

/** The directory a module's relative imports start from: its own name for an `index` file. */
export function importBase(moduleName: string, path: string): string {
  if (/(^|[\\/])index\.[cm]?[jt]sx?$/i.test(path)) return moduleName === 'index' ? '' : moduleName;
  const slash = moduleName.lastIndexOf('/');
  return slash < 0 ? '' : moduleName.slice(0, slash);
}

/**
 * The module a relative specifier names, or undefined when it climbs out of the project:
 * (`src/routes`, `../db/index.js`) → `src/db`. Node's `node:` prefix is dropped from built-in
 * modules, so `node:fs` and `fs` are one module; package names are kept as written.
 */
export function moduleForSpecifier(specifier: string, base: string): string | undefined {
  if (!specifier.startsWith('.')) return specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  const parts = base ? base.split('/') : [];
  for (const part of specifier.replace(SOURCE_EXTENSION, '').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  if (parts.length > 1 && parts[parts.length - 1] === 'index') parts.pop();
  return parts.join('/') || 'index';
}

/** Whether a path is a TypeScript or JavaScript source file the frontend reads (not a `.d.ts`). */
export function isTypeScriptSource(path: string): boolean {
  const match = SOURCE_EXTENSION.exec(path);
  return match !== null && match[1] === undefined;
}

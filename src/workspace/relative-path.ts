import { isAbsolute, relative, sep } from 'node:path';

/**
 * `path` relative to `base` with `/` separators, the form glob and gitignore patterns are written
 * against; undefined when `path` is `base` itself or lies outside it.
 */
export function posixPathInside(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ignore from 'ignore';
import { posixPathInside } from './relative-path';

/** The patterns of one ignore file, which apply to paths below the directory it sits in. */
export interface GitignoreScope {
  directory: string;
  matcher: ignore.Ignore;
}

/** Scopes from the outermost to the innermost; later scopes take precedence, as in git. */
export type GitignoreChain = readonly GitignoreScope[];

function loadScope(directory: string, file: string): GitignoreScope | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Unreadable or absent: git treats it as empty too.
    return undefined;
  }
  return { directory, matcher: ignore().add(text) };
}

/** The chain extended by `directory/.gitignore`, if the directory has one. */
export function enterDirectory(chain: GitignoreChain, directory: string): GitignoreChain {
  const scope = loadScope(directory, join(directory, '.gitignore'));
  return scope ? [...chain, scope] : chain;
}

/** The nearest directory at or above `directory` holding `.git` (a directory, or a file in worktrees). */
export function findRepositoryRoot(directory: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The ignore files that apply inside `directory` before its own `.gitignore` is read: the
 * repository's `.git/info/exclude` and the `.gitignore` of every directory from the repository
 * root down to the parent of `directory`. Outside a repository, none.
 */
export function inheritedChain(directory: string): GitignoreChain {
  const root = findRepositoryRoot(directory);
  if (root === undefined) return [];
  const exclude = loadScope(root, join(root, '.git', 'info', 'exclude'));
  let chain: GitignoreChain = exclude ? [exclude] : [];
  const between = relative(root, directory).split(sep).filter(Boolean);
  let current = root;
  for (const part of between) {
    chain = enterDirectory(chain, current);
    current = join(current, part);
  }
  return chain;
}

/** Whether git would ignore `path`; the innermost ignore file with an opinion decides. */
export function isGitIgnored(chain: GitignoreChain, path: string, isDirectory: boolean): boolean {
  for (let index = chain.length - 1; index >= 0; index--) {
    const scope = chain[index]!;
    const posixPath = posixPathInside(scope.directory, path);
    if (posixPath === undefined) continue;
    const verdict = scope.matcher.test(isDirectory ? `${posixPath}/` : posixPath);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import picomatch from 'picomatch';
import { languageOf } from './analyze';
import { isDeploymentFile } from './deployment';
import { enterDirectory, inheritedChain, isGitIgnored, type GitignoreChain } from './gitignore';
import { posixPathInside } from './relative-path';

export interface DiscoveryOptions {
  /** Glob patterns (picomatch) of paths to skip, relative to `excludeBase`. */
  exclude: readonly string[];
  /** The directory exclude patterns are written relative to: the config file's, else the cwd. */
  excludeBase: string;
  /** Apply `exclude` to paths named explicitly too (Ruff's `--force-exclude`). */
  forceExclude?: boolean;
  /** Skip what `.gitignore` files and `.git/info/exclude` ignore; on unless turned off. */
  respectGitignore?: boolean;
  /**
   * Follow symbolic links whose target is outside the directory being walked. Off by default: a
   * repository's link to `/etc` or a home directory is not the project's code.
   */
  followOutsideSymlinks?: boolean;
}

export interface DiscoveryWarning {
  path: string;
  message: string;
}

export interface Discovery {
  /** Absolute paths of the files to analyse, sorted, each file once. */
  files: string[];
  /** Paths given that do not exist. */
  missing: string[];
  /** Paths passed over that the user may want to know about, and why. */
  warnings: DiscoveryWarning[];
  /** Source files that cannot be read at all, and why: names that are not UTF-8, written by their bytes. */
  unreadable: { path: string; reason: string }[];
}

/** A file name as bytes when it is not UTF-8: printable ASCII kept, every other byte as `\xNN`. */
export function nameByBytes(name: Buffer): string {
  return [...name].map((byte) => (byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('');
}

/** A directory entry's name, or undefined when it is not valid UTF-8 (and so has no path as a string). */
function utf8Name(name: Buffer): string | undefined {
  const decoded = name.toString('utf8');
  return Buffer.from(decoded, 'utf8').equals(name) ? decoded : undefined;
}

/**
 * Whether a path matches one of the exclude patterns, tried against the path relative to `base`
 * and against its basename, so `venv` skips every directory of that name and `app/gen/*.py` one
 * folder (how Ruff matches `exclude`).
 */
export function createExcludeMatcher(patterns: readonly string[], base: string): (path: string) => boolean {
  const cleaned = patterns.map((pattern) => pattern.replace(/^\.\//, '').replace(/\/+$/, '')).filter(Boolean);
  if (cleaned.length === 0) return () => false;
  const matches = picomatch(cleaned, { dot: true });
  return (path) => {
    const rel = posixPathInside(base, path);
    return (rel !== undefined && matches(rel)) || matches(basename(path));
  };
}

/**
 * Finds the files to analyse under the given absolute paths: directories are walked (honouring
 * ignore files and exclude patterns, each real directory once, so symlink loops end), files named
 * explicitly are kept even when excluded unless `forceExclude` is set.
 */
export function discoverSourceFiles(paths: readonly string[], options: DiscoveryOptions): Discovery {
  const isExcluded = createExcludeMatcher(options.exclude, options.excludeBase);
  const respectGitignore = options.respectGitignore ?? true;
  const seen = new Set<string>();
  const files: string[] = [];
  const missing: string[] = [];
  const warnings: DiscoveryWarning[] = [];
  const unreadable: Discovery['unreadable'] = [];

  /** Marks a real path as visited; false when it was already. */
  const firstVisit = (path: string): boolean => {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = path;
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  };

  /** Whether a link's target is inside the tree being walked (whose real path is `root`), or may be followed anyway. */
  const mayFollow = (path: string, root: string): boolean => {
    if (options.followOutsideSymlinks) return true;
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return false;
    }
    if (real === root || posixPathInside(root, real) !== undefined) return true;
    warnings.push({ path, message: `a symbolic link to ${real}, outside the directory checked; not followed (--follow-outside-symlinks follows it)` });
    return false;
  };

  const walk = (directory: string, inherited: GitignoreChain, root: string): void => {
    if (!firstVisit(directory)) return;
    const chain = respectGitignore ? enterDirectory(inherited, directory) : inherited;
    let entries: Dirent<Buffer>[];
    try {
      // Names as bytes, so one that is not UTF-8 can be told apart and reported; in name order, so
      // which of two paths to one file is kept does not depend on the disk.
      entries = readdirSync(directory, { withFileTypes: true, encoding: 'buffer' }).sort((a, b) => Buffer.compare(a.name, b.name));
    } catch (error) {
      warnings.push({ path: directory, message: `cannot read this directory (${(error as Error).message}); skipped` });
      return;
    }
    for (const entry of entries) {
      const name = utf8Name(entry.name);
      if (name === undefined) {
        const path = join(directory, nameByBytes(entry.name));
        if (entry.isDirectory()) unreadable.push({ path, reason: 'a directory whose name is not valid UTF-8: its files cannot be named, rename it to analyse them' });
        else if (isAnalysable(path)) unreadable.push({ path, reason: 'its name is not valid UTF-8: rename it to analyse it' });
        continue;
      }
      const path = join(directory, name);
      if (isExcluded(path)) continue;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = statOrUndefined(path);
        // A dangling link is nothing to analyse.
        if (!target) continue;
        isDirectory = target.isDirectory();
        isFile = target.isFile();
        if ((isDirectory || (isFile && isAnalysable(path))) && !mayFollow(path, root)) continue;
      }
      // Pipes, sockets and devices are never source, whatever their name.
      if (!isDirectory && !(isFile && isAnalysable(path))) continue;
      if (respectGitignore && isGitIgnored(chain, path, isDirectory)) continue;
      if (isDirectory) walk(path, chain, root);
      else if (firstVisit(path)) files.push(path);
    }
  };

  /** For explicit paths: excluded themselves, or inside an excluded directory under the base. */
  const isExcludedWithAncestors = (path: string): boolean => {
    if (posixPathInside(options.excludeBase, path) === undefined) return isExcluded(path);
    for (let current = path; posixPathInside(options.excludeBase, current) !== undefined; current = dirname(current)) {
      if (isExcluded(current)) return true;
    }
    return false;
  };

  for (const path of paths) {
    const stats = statOrUndefined(path);
    if (!stats) {
      missing.push(path);
    } else if (options.forceExclude && isExcludedWithAncestors(path)) {
      continue;
    } else if (stats.isDirectory()) {
      walk(path, respectGitignore ? inheritedChain(path) : [], realOrSelf(path));
    } else if (!isAnalysable(path)) {
      warnings.push({ path, message: 'not a file type Interleave analyses; skipped' });
    } else if (firstVisit(path)) {
      files.push(path);
    }
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, missing, warnings, unreadable };
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Source files of a language Interleave reads, and deployment files (Dockerfiles, compose files, Procfiles…). */
function isAnalysable(path: string): boolean {
  return languageOf(path) !== undefined || isDeploymentFile(path);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

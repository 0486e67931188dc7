import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';
import type { ResolvedConfig } from '../core/config';
import type { ModuleSummaries } from '../core/engine';
import type { Range } from '../core/facts';
import type { Hazard } from '../core/hazard';
import type { ProjectFacts, RuleMeta } from '../core/rule';

/** Where the cache lives and what every entry of this run is keyed by; structured-clonable for workers. */
export interface CacheSettings {
  directory: string;
  /** Digest of Interleave's version and code, the resolved configuration, the rule set and the project root. */
  runKey: string;
  version: string;
}

/** What one file's first pass and, when they could be reused, its findings were. */
export interface CacheEntry {
  format: typeof FORMAT;
  version: string;
  /** Digest of the run key, the file's path, module name, language and text. */
  key: string;
  summary?: ModuleSummaries;
  summaryDigest: string;
  /** Present only for a file analysed without problems; valid only against the same project digest. */
  findings?: CachedFindings;
}

export interface CachedFindings {
  projectDigest: string;
  lines: number;
  hazards: Hazard[];
  syntaxErrors: Range[];
}

/** Bumped whenever the entry's layout changes, so entries of another layout are never read as this one. */
const FORMAT = 1;
const CHECKSUM_BYTES = 32;

const POSITION = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });
const RANGE = z.object({ start: POSITION, end: POSITION });
const ENTRY = z.object({
  format: z.literal(FORMAT),
  version: z.string(),
  key: z.string(),
  summaryDigest: z.string(),
  summary: z
    .looseObject({ moduleName: z.string(), path: z.string(), byRule: z.record(z.string(), z.unknown()) })
    .optional(),
  findings: z
    .object({
      projectDigest: z.string(),
      lines: z.number().int().min(0),
      hazards: z.array(
        z.looseObject({ code: z.string(), name: z.string(), severity: z.string(), message: z.string(), path: z.string(), range: RANGE, related: z.array(z.unknown()) }),
      ),
      syntaxErrors: z.array(RANGE),
    })
    .optional(),
});

function sha256(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/**
 * The code that is running, as a digest of this file (the bundle, once built) and every other
 * module file loaded from outside node_modules (each source file, under tests). A rule changed
 * without a version bump (a checkout between two runs) must not read the findings of the old rule.
 */
function codeDigest(): string {
  const files = Object.keys(require.cache)
    .filter((file) => file === __filename || !file.includes('node_modules'))
    .sort();
  return sha256(...files.flatMap((file) => [file, existsSync(file) ? readFileSync(file) : '']));
}

/** The part of every entry's key that is the same for all files of a run. */
export function runKey(version: string, config: ResolvedConfig, rules: readonly RuleMeta[], projectRoot: string | undefined): string {
  return sha256(FORMAT.toString(), version, codeDigest(), serialize(config), JSON.stringify(rules), projectRoot ?? '');
}

/**
 * A digest of what other modules' findings can read of this module's summary. The call graph's
 * digest of the module's text is left out: only the module's own check consults it, and that
 * check is rerun whenever its text changes, so a comment edited in a helper leaves every other
 * module's findings standing.
 */
export function summaryDigest(summary: ModuleSummaries | undefined): string {
  if (summary === undefined) return 'none';
  const { callGraph } = summary;
  return sha256(serialize(callGraph ? { ...summary, callGraph: { ...callGraph, digest: '' } } : summary));
}

/**
 * What every file's findings may depend on besides the file: what was known of the project before
 * the first pass (workers, deployment files) and every module's summary. Any change recomputes all findings.
 */
export function projectDigest(runKey: string, known: ProjectFacts, files: readonly { path: string; digest: string }[]): string {
  return sha256(runKey, serialize(known), ...files.flatMap((file) => [file.path, file.digest]));
}

const GITIGNORE = '# Automatically created by Interleave.\n*\n';
const CACHEDIR_TAG =
  'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by Interleave.\n# For information about cache directory tags see https://bford.info/cachedir/\n';

/**
 * Writes `content` to `file` so that a reader sees the old file or the new one, never a part:
 * into a temporary file beside it, then renamed over it.
 */
function writeAtomically(file: string, content: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Creates the cache directory with its `.gitignore` (so nothing in it is ever committed) and its
 * `CACHEDIR.TAG` (so backup tools pass it over). Returns why it cannot be used, if it cannot.
 */
export function prepareCacheDirectory(directory: string): string | undefined {
  try {
    mkdirSync(join(directory, 'files'), { recursive: true });
    if (!existsSync(join(directory, '.gitignore'))) writeAtomically(join(directory, '.gitignore'), GITIGNORE);
    if (!existsSync(join(directory, 'CACHEDIR.TAG'))) writeAtomically(join(directory, 'CACHEDIR.TAG'), CACHEDIR_TAG);
    accessSync(join(directory, 'files'), constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * One entry per source file, named by a digest of its path, holding a checksum of its contents: an
 * entry that is truncated, edited by hand, of another layout or of another version is not read,
 * and the next write replaces it.
 */
export class AnalysisCache {
  constructor(readonly settings: CacheSettings) {}

  /** The key an entry for this file's text must have to be used. */
  keyOf(path: string, moduleName: string, language: string, text: string): string {
    return sha256(this.settings.runKey, path, moduleName, language, text);
  }

  read(path: string): CacheEntry | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.fileOf(path));
    } catch {
      return undefined;
    }
    const payload = bytes.subarray(CHECKSUM_BYTES);
    if (bytes.length <= CHECKSUM_BYTES || !createHash('sha256').update(payload).digest().equals(bytes.subarray(0, CHECKSUM_BYTES))) return undefined;
    try {
      const parsed = ENTRY.safeParse(deserialize(payload));
      if (!parsed.success || parsed.data.version !== this.settings.version) return undefined;
      if (parsed.data.summary && parsed.data.summary.path !== path) return undefined;
      return parsed.data as CacheEntry;
    } catch {
      return undefined;
    }
  }

  /** Best effort: a cache that cannot be written leaves the run's results as they are. */
  write(path: string, entry: Omit<CacheEntry, 'format' | 'version'>): void {
    const payload = serialize({ ...entry, format: FORMAT, version: this.settings.version } satisfies CacheEntry);
    try {
      writeAtomically(this.fileOf(path), Buffer.concat([createHash('sha256').update(payload).digest(), payload]));
    } catch {
      // Read-only or full: the next run recomputes what this one could not keep.
    }
  }

  fileOf(path: string): string {
    return join(this.settings.directory, 'files', sha256(path));
  }
}

/** Reading and writing `interleave-suppressions.json`, which lives in the project's root. */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseBulkSuppressions, serializeBulkSuppressions, SUPPRESSIONS_FILE_NAME, SuppressionsFileError, type BulkSuppressions } from '../core/bulk-suppressions';
import { replaceFile } from './file-fixes';
import { readBoundedFile } from './source-file';

/** The suppressions file of a project whose root (the configuration file's directory, or where it is checked from) is `directory`. */
export function suppressionsFilePath(directory: string): string {
  return join(directory, SUPPRESSIONS_FILE_NAME);
}

/** How the suppressions file names a file: relative to the file's own directory, `/`-separated. */
export function suppressionKey(suppressionsFile: string, path: string): string {
  const rel = relative(join(suppressionsFile, '..'), path);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** A suppressions file larger than this is not read: one finding takes a few dozen bytes. */
const MAX_SUPPRESSIONS_BYTES = 64 * 1024 * 1024;

/**
 * The suppressions file's text, read as source files are (only a regular file, no more than the
 * cap); undefined when there is none. One that cannot be read throws, naming it.
 */
export function readSuppressionsText(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const read = readBoundedFile(path, MAX_SUPPRESSIONS_BYTES);
  if (read.kind !== 'read') throw new SuppressionsFileError(`${path}: cannot be read (${read.reason})`);
  return read.content.toString('utf8');
}

/** The file's suppressions; undefined when there is no file. A file that cannot be used throws, naming it. */
export function readBulkSuppressions(path: string): BulkSuppressions | undefined {
  const text = readSuppressionsText(path);
  if (text === undefined) return undefined;
  try {
    return parseBulkSuppressions(text);
  } catch (error) {
    if (error instanceof SuppressionsFileError) throw new SuppressionsFileError(`${path} ${error.message}`);
    throw error;
  }
}

export function writeBulkSuppressions(path: string, suppressions: BulkSuppressions): void {
  replaceFile(path, Buffer.from(serializeBulkSuppressions(suppressions), 'utf8'), 0o644);
}

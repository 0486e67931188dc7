/** Reading and writing `interleave-suppressions.json`, which lives in the project's root. */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseBulkSuppressions, serializeBulkSuppressions, SUPPRESSIONS_FILE_NAME, SuppressionsFileError, type BulkSuppressions } from '../core/bulk-suppressions';
import { replaceFile } from './file-fixes';

/** The suppressions file of a project whose root (the configuration file's directory, or where it is checked from) is `directory`. */
export function suppressionsFilePath(directory: string): string {
  return join(directory, SUPPRESSIONS_FILE_NAME);
}

/** How the suppressions file names a file: relative to the file's own directory, `/`-separated. */
export function suppressionKey(suppressionsFile: string, path: string): string {
  const rel = relative(join(suppressionsFile, '..'), path);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** The file's suppressions; undefined when there is no file. A file that cannot be used throws, naming it. */
export function readBulkSuppressions(path: string): BulkSuppressions | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SuppressionsFileError(`${path}: cannot be read (${(error as Error).message})`);
  }
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

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Files larger than this are skipped unless the user raises the limit (`--max-file-size`). */
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/** How far into a file a NUL byte marks it as binary, the heuristic git and grep use. */
const BINARY_SNIFF_LENGTH = 8 * 1024;

/**
 * A file read, or why it was not: `skipped` files are not source worth analysing (too large,
 * binary, not a regular file); `unreadable` ones are source that could not be read (permissions,
 * gone, not UTF-8) and are reported as not analysed.
 */
export type FileRead<T> = { kind: 'read'; content: T } | { kind: 'skipped'; reason: string } | { kind: 'unreadable'; reason: string };

export type SourceRead = { kind: 'text'; text: string } | { kind: 'skipped'; reason: string } | { kind: 'unreadable'; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** What a stat says a non-regular file is, for the reason it is skipped. */
function specialKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

function tooLarge(maxBytes: number, size: string): string {
  return `larger than the ${formatByteSize(maxBytes)} limit (${size}; raise it with --max-file-size)`;
}

/**
 * Reads at most `maxBytes` of a regular file. The file is opened without blocking (a named pipe
 * with no writer would otherwise hang the open) and checked with `fstat` on the open descriptor,
 * so what is read is what was checked; reading stops past the limit, so a file that grows while
 * it is read, or a device that never ends, costs no more than the limit.
 */
export function readBoundedFile(path: string, maxBytes: number): FileRead<Buffer> {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { kind: 'unreadable', reason: `cannot read it: ${(error as Error).message}` };
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return { kind: 'skipped', reason: `${specialKind(stats)}, not a regular file` };
    if (stats.size > maxBytes) return { kind: 'skipped', reason: tooLarge(maxBytes, formatByteSize(stats.size)) };
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, stats.size) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) return { kind: 'skipped', reason: tooLarge(maxBytes, 'it grew while being read') };
      if (length === buffer.length) break;
    }
    return { kind: 'read', content: buffer.subarray(0, length) };
  } catch (error) {
    return { kind: 'unreadable', reason: `cannot read it: ${(error as Error).message}` };
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Reads a source file as text, or says why it is not analysed: too large, binary, not a regular
 * file, unreadable, or not UTF-8. A UTF-8 byte order mark is dropped so positions match what
 * editors show.
 */
export function readSourceFile(path: string, maxBytes: number = DEFAULT_MAX_FILE_SIZE): SourceRead {
  const read = readBoundedFile(path, maxBytes);
  if (read.kind !== 'read') return read;
  const bytes = read.content;
  if (bytes.subarray(0, BINARY_SNIFF_LENGTH).includes(0)) {
    return { kind: 'skipped', reason: 'binary file (NUL byte in the first 8 KiB)' };
  }
  try {
    // With ignoreBOM false the decoder drops a leading BOM itself.
    return { kind: 'text', text: utf8.decode(bytes) };
  } catch {
    return { kind: 'unreadable', reason: 'not valid UTF-8 (save it as UTF-8 to analyse it)' };
  }
}

const UNITS: readonly [string, number][] = [
  ['MiB', 1024 * 1024],
  ['KiB', 1024],
];

export function formatByteSize(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}

/** Parses `2000000`, `512K`, `2MB`, `1.5 MiB` (binary units) into bytes; undefined when malformed. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const scale = unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1;
  return Math.floor(Number(match[1]) * scale);
}

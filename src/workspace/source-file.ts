import { readFileSync, statSync } from 'node:fs';

/** Files larger than this are skipped unless the user raises the limit (`--max-file-size`). */
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/** How far into a file a NUL byte marks it as binary, the heuristic git and grep use. */
const BINARY_SNIFF_LENGTH = 8 * 1024;

export type SourceRead = { kind: 'text'; text: string } | { kind: 'skipped'; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a source file as text, or says why it is not worth analysing: too large, binary, or not
 * UTF-8. A UTF-8 byte order mark is dropped so positions match what editors show.
 */
export function readSourceFile(path: string, maxBytes: number = DEFAULT_MAX_FILE_SIZE): SourceRead {
  const size = statSync(path).size;
  if (size > maxBytes) {
    return {
      kind: 'skipped',
      reason: `larger than the ${formatByteSize(maxBytes)} limit (${formatByteSize(size)}; raise it with --max-file-size)`,
    };
  }
  const bytes = readFileSync(path);
  if (bytes.subarray(0, BINARY_SNIFF_LENGTH).includes(0)) {
    return { kind: 'skipped', reason: 'binary file (NUL byte in the first 8 KiB)' };
  }
  try {
    // With ignoreBOM false the decoder drops a leading BOM itself.
    return { kind: 'text', text: utf8.decode(bytes) };
  } catch {
    return { kind: 'skipped', reason: 'not valid UTF-8 (save it as UTF-8 to analyse it)' };
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

/**
 * A finding's fingerprint: what stays the same when lines move above it — its rule and the code it
 * flags, whitespace aside. Bulk suppressions match findings by it, and CI formats that track
 * findings across runs (GitLab Code Quality, SARIF) carry it.
 */
import { createHash } from 'node:crypto';
import type { Range } from './facts';

/** Flagged code beyond this many characters adds nothing to tell findings apart. */
const MAX_FLAGGED_CHARACTERS = 400;

/** The text a range covers in `lines`, whitespace runs collapsed to one space. */
export function flaggedText(lines: readonly string[], range: Range): string {
  const parts: string[] = [];
  for (let line = range.start.line; line <= range.end.line && line < lines.length; line++) {
    const text = lines[line]!;
    const from = line === range.start.line ? range.start.character : 0;
    const to = line === range.end.line ? range.end.character : text.length;
    parts.push(text.slice(from, to));
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, MAX_FLAGGED_CHARACTERS);
}

/** 16 hex digits of SHA-256 over the rule code and the flagged code. */
export function findingFingerprint(code: string, flagged: string): string {
  return createHash('sha256').update(`${code}\0${flagged}`).digest('hex').slice(0, 16);
}

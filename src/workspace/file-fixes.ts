/**
 * Applying fixes to files on disk: read the file again, fix it in rounds against the project the
 * run checked it in, and write the result only when it parses and the file did not change meanwhile.
 */
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { applyFixes, type FixOutcome } from '../core/fix-all';
import type { Hazard } from '../core/hazard';
import type { FileAnalyzer, FileOutcome, FileTask } from './file-analysis';
import { readBoundedFile } from './source-file';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface FileFix extends Omit<FixOutcome, 'text'> {
  path: string;
  /** The text as checked and as fixed, without a byte order mark (for diffs). */
  before: string;
  after: string;
  /** Why the file was left as it is; undefined when it was fixed (or had nothing to fix). */
  problem?: string;
}

/** A CRLF file gets CRLF in what fixes insert too; a file with any lone LF is left to LF. */
function usesCrlf(text: string): boolean {
  return text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
}

function withLineEndings(hazards: readonly Hazard[], crlf: boolean): Hazard[] {
  if (!crlf) return [...hazards];
  return hazards.map((hazard) =>
    hazard.fix ? { ...hazard, fix: { ...hazard.fix, edits: hazard.fix.edits.map((edit) => ({ ...edit, newText: withFileLineEndings(edit.newText, true) })) } } : hazard,
  );
}

/** Writes beside the file and renames over it, so a crash never leaves half a file; keeps its mode. */
export function replaceFile(path: string, bytes: Buffer, mode: number): void {
  const temporary = `${path}.interleave-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes, { mode });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** A checked file as it is on disk now, verified to be the text that was checked. */
export interface CheckedFile {
  bytes: Buffer;
  mode: number;
  bom: boolean;
  text: string;
  crlf: boolean;
}

/**
 * Reads a file the run checked, for changing it, as it was read to be checked (a regular file, no
 * larger than `maxFileSize`): its text must be the one that was checked, it must parse, and (when it
 * is to be written) it must not be read-only. Otherwise, why not.
 */
export function readCheckedFile(outcome: FileOutcome, forWriting: boolean, maxFileSize: number): CheckedFile | { problem: string } {
  if (outcome.syntaxErrors.length > 0) return { problem: 'it has syntax errors; fix them first' };
  const read = readBoundedFile(outcome.path, maxFileSize);
  if (read.kind === 'unreadable') return { problem: read.reason };
  if (read.kind === 'skipped') return { problem: `it changed after it was checked (${read.reason}); run again` };
  const bytes = read.content;
  let mode: number;
  try {
    mode = statSync(outcome.path).mode & 0o7777;
  } catch (error) {
    return { problem: `cannot read it: ${(error as Error).message}` };
  }
  if (forWriting && (mode & 0o222) === 0) return { problem: 'it is read-only' };
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  let text: string;
  try {
    text = utf8.decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    return { problem: 'it is no longer valid UTF-8' };
  }
  if (text !== outcome.source) return { problem: 'it changed after it was checked; run again' };
  return { bytes, mode, bom, text, crlf: usesCrlf(text) };
}

/** Writes a checked file's new text, unless the file changed meanwhile; undefined when written, else why not. */
export function writeCheckedFile(path: string, file: CheckedFile, text: string): string | undefined {
  try {
    const now = readBoundedFile(path, file.bytes.length);
    if (now.kind !== 'read' || !now.content.equals(file.bytes)) return 'it changed while it was being edited; not written';
    replaceFile(path, Buffer.concat([file.bom ? UTF8_BOM : Buffer.alloc(0), Buffer.from(text, 'utf8')]), file.mode);
    return undefined;
  } catch (error) {
    return `cannot write it: ${(error as Error).message}`;
  }
}

/** Text a fix or comment inserts, with the file's line endings. */
export function withFileLineEndings(text: string, crlf: boolean): string {
  return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
}

/** A fix round's result that could not be analysed within the budget: nothing vouches for it. */
class FixNotAnalysed extends Error {}

/**
 * Fixes one checked file: `analyzer` must hold the project the run checked it in. With `write`
 * false nothing is written (for `--diff`). A file that was not analysed is left alone, and so is
 * one whose text, fixed, cannot be analysed (past the budget, say): a result is written only when
 * every round of it was analysed. Never throws: what stopped it is `problem`.
 */
export function fixFile(outcome: FileOutcome, task: FileTask, analyzer: FileAnalyzer, options: { unsafe: boolean; write: boolean }): FileFix {
  const unchanged = (problem?: string): FileFix => ({
    path: outcome.path,
    before: outcome.source ?? '',
    after: outcome.source ?? '',
    applied: [],
    rejected: [],
    exhausted: false,
    ...(problem !== undefined ? { problem } : {}),
  });
  if (outcome.source === undefined || outcome.notAnalysed !== undefined) return unchanged();
  const file = readCheckedFile(outcome, options.write, analyzer.settings.maxFileSize);
  if ('problem' in file) return unchanged(file.problem);
  const { text, crlf } = file;
  const analyse = (candidate: string) => {
    const analysis = analyzer.checkText(task, candidate);
    if (analysis.notAnalysed !== undefined) throw new FixNotAnalysed(analysis.notAnalysed);
    return analysis;
  };
  let fixed: FixOutcome;
  try {
    const commandsBefore = analyse(text).commands;
    fixed = applyFixes(
      text,
      (candidate) => {
        const analysis = analyse(candidate);
        // A deployment file whose fix loses or adds a command no longer starts the same servers.
        const broken = analysis.commands !== commandsBefore ? 1 : 0;
        return { hazards: withLineEndings(analysis.hazards, crlf), syntaxErrors: analysis.syntaxErrors + broken };
      },
      { unsafe: options.unsafe },
    );
  } catch (error) {
    if (error instanceof FixNotAnalysed) return unchanged(`not analysed while fixing: ${error.message}`);
    throw error;
  }
  const result: FileFix = { path: outcome.path, before: text, after: fixed.text, applied: fixed.applied, rejected: fixed.rejected, exhausted: fixed.exhausted };
  if (!options.write || fixed.text === text) return result;
  const problem = writeCheckedFile(outcome.path, file, fixed.text);
  return problem === undefined ? result : { ...unchanged(problem), rejected: fixed.rejected };
}

/**
 * Files Interleave should have analysed and could not — unreadable, not UTF-8, a parser failure,
 * over the time budget, a path that does not exist — listed in one place so that every output
 * format reports the same list the same way (as Ruff reports an E902 in each of its formats). A run
 * with any of them exits non-zero unless `--exit-zero-on-unanalysed` is given: a file that was
 * never read must not pass CI as clean.
 */
import type { FileOutcome } from '../workspace/file-analysis';
import { displayPath } from './check-results';

export interface NotAnalysedFile {
  /** Absolute path, or for a name that is not UTF-8 its bytes written as escapes. */
  path: string;
  reason: string;
}

/** The name not-analysed entries carry where a rule's name would be (JSON `name`, SARIF descriptor id). */
export const NOT_ANALYSED = 'not-analysed';

/** The files of a run that were not analysed, with the paths that could not be found, sorted by path. */
export function notAnalysedFiles(outcomes: readonly FileOutcome[], unreachable: readonly NotAnalysedFile[] = []): NotAnalysedFile[] {
  const files = [...unreachable, ...outcomes.flatMap((outcome) => (outcome.notAnalysed === undefined ? [] : [{ path: outcome.path, reason: outcome.notAnalysed }]))];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One file's line, as stderr and plain-text formats show it: `app/big.py: not analysed: too complex (10012 ms)`. */
export function describeNotAnalysed(cwd: string, file: NotAnalysedFile): string {
  return `${displayPath(cwd, file.path)}: not analysed: ${file.reason}`;
}

/** The message an entry carries in structured formats, where the path has its own field. */
export function notAnalysedMessage(file: NotAnalysedFile): string {
  return `not analysed: ${file.reason}`;
}
